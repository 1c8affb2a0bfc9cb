#include "NotificationStore.h"

#include "../wire/Json.h"
#include "Database.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QMetaObject>
#include <QPointer>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace switchboard {

namespace {

const char* const createTable = R"(
CREATE TABLE IF NOT EXISTS notifications (
    id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    priority TEXT NOT NULL DEFAULT 'normal',
    module_name TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    read_at INTEGER,
    PRIMARY KEY (user_id, id)
))";

const char* const createIndex =
    "CREATE INDEX IF NOT EXISTS notifications_unread ON notifications(user_id, read_at)";

void warn(const QString& what, const QSqlQuery& query)
{
    qWarning("notification store: %s: %s", qPrintable(what), qPrintable(query.lastError().text()));
}

Notification readNotification(const QSqlQuery& query)
{
    Notification notification;
    notification.id = query.value(0).toString();
    notification.userId = query.value(1).toString();
    notification.eventType = query.value(2).toString();
    notification.title = query.value(3).toString();
    notification.message = query.value(4).toString();
    notification.category = query.value(5).toString();
    notification.priority = query.value(6).toString();
    notification.moduleName = query.value(7).toString();
    notification.data = QJsonDocument::fromJson(query.value(8).toString().toUtf8()).object();
    notification.createdAt = query.value(9).toLongLong();
    notification.read = !query.value(10).isNull();
    return notification;
}

} // namespace

QJsonObject Notification::toJson() const
{
    QJsonObject object = data;
    object.insert(QLatin1String("id"), id);
    object.insert(QLatin1String("title"), title);
    object.insert(QLatin1String("message"), message);
    object.insert(QLatin1String("category"), category);
    object.insert(QLatin1String("priority"), priority);
    object.insert(QLatin1String("module_name"), moduleName);
    object.insert(QLatin1String("created_at"), Json::isoTimestamp(createdAt));
    object.insert(QLatin1String("read"), read);
    return object;
}

QJsonObject Notification::toRecord() const
{
    return {{QLatin1String("id"), id},
            {QLatin1String("user_id"), userId},
            {QLatin1String("event_type"), eventType},
            {QLatin1String("title"), title},
            {QLatin1String("message"), message},
            {QLatin1String("category"), category},
            {QLatin1String("priority"), priority},
            {QLatin1String("module_name"), moduleName},
            {QLatin1String("data"), data},
            {QLatin1String("created_at"), double(createdAt)}};
}

Notification Notification::fromRecord(const QJsonObject& record)
{
    Notification notification;
    notification.id = record.value(QLatin1String("id")).toString();
    notification.userId = record.value(QLatin1String("user_id")).toString();
    notification.eventType = record.value(QLatin1String("event_type")).toString();
    notification.title = record.value(QLatin1String("title")).toString();
    notification.message = record.value(QLatin1String("message")).toString();
    notification.category = record.value(QLatin1String("category")).toString();
    notification.priority = record.value(QLatin1String("priority")).toString();
    notification.moduleName = record.value(QLatin1String("module_name")).toString();
    notification.data = record.value(QLatin1String("data")).toObject();
    notification.createdAt = qint64(record.value(QLatin1String("created_at")).toDouble());
    return notification;
}

SqliteNotificationStore::SqliteNotificationStore(Database& database, int keepPerUser)
    : NotificationStore(keepPerUser)
    , m_database(database)
{}

std::optional<QString> SqliteNotificationStore::prepare()
{
    return m_database
        .call<std::optional<QString>>([](QSqlDatabase& connection) -> std::optional<QString> {
            QSqlQuery query(connection);
            if (!query.exec(QLatin1String(createTable)) || !query.exec(QLatin1String(createIndex)))
                return QStringLiteral("cannot prepare the notifications table: %1")
                    .arg(query.lastError().text());
            return std::nullopt;
        })
        .get();
}

namespace {

// Writes the notifications in one transaction; true once committed.
bool store(QSqlDatabase& connection, const QList<Notification>& notifications, int keep)
{
    if (!connection.transaction())
        return false;
    QSqlQuery insert(connection);
    insert.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO notifications (id, user_id, event_type, title, message, "
        "category, priority, module_name, data, created_at, read_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)"));
    QSqlQuery prune(connection);
    prune.prepare(QStringLiteral("DELETE FROM notifications WHERE user_id = ? AND rowid NOT IN ("
                                 "SELECT rowid FROM notifications WHERE user_id = ? "
                                 "ORDER BY created_at DESC, rowid DESC LIMIT ?)"));
    for (const Notification& n : notifications) {
        insert.addBindValue(n.id);
        insert.addBindValue(n.userId);
        insert.addBindValue(n.eventType);
        insert.addBindValue(n.title);
        insert.addBindValue(n.message);
        insert.addBindValue(n.category);
        insert.addBindValue(n.priority);
        insert.addBindValue(n.moduleName);
        insert.addBindValue(
            QString::fromUtf8(QJsonDocument(n.data).toJson(QJsonDocument::Compact)));
        insert.addBindValue(n.createdAt);
        prune.addBindValue(n.userId);
        prune.addBindValue(n.userId);
        prune.addBindValue(keep);
        if (!insert.exec() || !prune.exec()) {
            warn(QStringLiteral("add %1").arg(n.id), insert.lastError().isValid() ? insert : prune);
            connection.rollback();
            return false;
        }
    }
    return connection.commit();
}

} // namespace

void SqliteNotificationStore::add(const QList<Notification>& notifications, QObject* receiver,
                                  std::function<void(bool stored)> done)
{
    m_database.post([notifications, keep = keepPerUser(), guard = QPointer(receiver),
                     done = std::move(done)](QSqlDatabase& connection) {
        const bool stored = store(connection, notifications, keep);
        // Dropped with the receiver, if it went meanwhile.
        if (QObject* target = guard.data())
            QMetaObject::invokeMethod(target, [done, stored] { done(stored); });
    });
}

void SqliteNotificationStore::unread(const QString& userId, QObject* receiver,
                                     std::function<void(const QList<Notification>&)> done)
{
    m_database.post([userId, receiver, done = std::move(done)](QSqlDatabase& connection) {
        QSqlQuery query(connection);
        query.prepare(QStringLiteral(
            "SELECT id, user_id, event_type, title, message, category, priority, module_name, "
            "data, created_at, read_at FROM notifications WHERE user_id = ? AND read_at IS NULL "
            "ORDER BY created_at, rowid"));
        query.addBindValue(userId);
        QList<Notification> found;
        if (query.exec()) {
            while (query.next())
                found.append(readNotification(query));
        } else {
            warn(QStringLiteral("unread"), query);
        }
        QMetaObject::invokeMethod(receiver, [done, found] { done(found); });
    });
}

void SqliteNotificationStore::markRead(const QString& userId, const QString& id, QObject* receiver,
                                       std::function<void(bool found)> done)
{
    m_database.post([userId, id, receiver, done = std::move(done)](QSqlDatabase& connection) {
        QSqlQuery query(connection);
        query.prepare(QStringLiteral("UPDATE notifications SET read_at = COALESCE(read_at, ?) "
                                     "WHERE user_id = ? AND id = ?"));
        query.addBindValue(QDateTime::currentMSecsSinceEpoch());
        query.addBindValue(userId);
        query.addBindValue(id);
        bool found = false;
        if (query.exec())
            found = query.numRowsAffected() > 0;
        else
            warn(QStringLiteral("mark read %1").arg(id), query);
        QMetaObject::invokeMethod(receiver, [done, found] { done(found); });
    });
}

} // namespace switchboard
