#pragma once

// The stored notifications of the 004 dialect (SPEC §6.5): every notification stored per
// user, whether it was read, and the newest `keepPerUser` of each user kept. Every answer comes
// through a callback in the caller's thread (the hub thread), so nothing waits for the disk or
// for Redis: a write is answered once it is durable, so that what a caller acknowledges is
// stored. Where they are kept is the
// implementation's: SQLite on a node alone (SqliteNotificationStore), Redis for the nodes of a
// cluster (cluster/RedisNotificationStore), so that what is stored through one node is
// delivered and marked read through any.

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace switchboard {

class Database;

struct Notification {
    QString id;
    QString userId;
    QString eventType = QStringLiteral("notification_created");
    QString title;
    QString message;
    QString category;
    QString priority = QStringLiteral("normal");
    QString moduleName;
    QJsonObject data; // whatever else the sender attached
    qint64 createdAt = 0;
    bool read = false;

    // The `notification` object of a notification_event.
    QJsonObject toJson() const;
    // As a store keeps it (every field but `read`), and back.
    QJsonObject toRecord() const;
    static Notification fromRecord(const QJsonObject& record);
};

class NotificationStore {
public:
    explicit NotificationStore(int keepPerUser)
        : m_keepPerUser(keepPerUser)
    {}
    virtual ~NotificationStore() = default;
    NotificationStore(const NotificationStore&) = delete;
    NotificationStore& operator=(const NotificationStore&) = delete;

    // Start-up: what the store needs before the hub serves (a table). Blocks.
    virtual std::optional<QString> prepare() { return std::nullopt; }

    // Stores the notifications (a stored one of the same user and id is replaced, unread
    // again); `done(stored)` runs in `receiver`'s thread once they are durable, or failed.
    virtual void add(const QList<Notification>& notifications, QObject* receiver,
                     std::function<void(bool stored)> done) = 0;
    // The user's unread notifications, oldest first, handed to `done` in `receiver`'s thread.
    virtual void unread(const QString& userId, QObject* receiver,
                        std::function<void(const QList<Notification>&)> done) = 0;
    // Marks one of the user's notifications read; `done(found)` runs in `receiver`'s thread.
    virtual void markRead(const QString& userId, const QString& id, QObject* receiver,
                          std::function<void(bool found)> done) = 0;

    int keepPerUser() const { return m_keepPerUser; }

private:
    int m_keepPerUser;
};

// One node's notifications, in its SQLite file.
class SqliteNotificationStore final : public NotificationStore {
public:
    SqliteNotificationStore(Database& database, int keepPerUser);

    // Creates the table if needed.
    std::optional<QString> prepare() override;
    void add(const QList<Notification>& notifications, QObject* receiver,
             std::function<void(bool stored)> done) override;
    void unread(const QString& userId, QObject* receiver,
                std::function<void(const QList<Notification>&)> done) override;
    void markRead(const QString& userId, const QString& id, QObject* receiver,
                  std::function<void(bool found)> done) override;

private:
    Database& m_database;
};

} // namespace switchboard
