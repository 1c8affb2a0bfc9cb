#pragma once

// The notifications table of the 004 dialect (SPEC §6.5): every notification stored per
// user, whether it was read, and the newest `keepPerUser` of each user kept. Writes that a
// caller acknowledges wait for their commit; reads answer through a callback on the hub
// thread, so no WebSocket message waits for the disk.

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <future>
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
};

class NotificationStore {
public:
    NotificationStore(Database& database, int keepPerUser);

    // Start-up: creates the table if needed. Blocks (the hub is not serving yet).
    std::optional<QString> prepare();

    // Stores the notifications; the future becomes true once they are committed.
    std::future<bool> add(const QList<Notification>& notifications);
    // The user's unread notifications, oldest first, handed to `done` in `receiver`'s thread.
    void unread(const QString& userId, QObject* receiver,
                std::function<void(const QList<Notification>&)> done);
    // Marks one of the user's notifications read; `done(found)` runs in `receiver`'s thread.
    void markRead(const QString& userId, const QString& id, QObject* receiver,
                  std::function<void(bool found)> done);

    int keepPerUser() const { return m_keepPerUser; }

private:
    Database& m_database;
    int m_keepPerUser;
};

} // namespace switchboard
