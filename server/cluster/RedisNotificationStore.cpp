#include "RedisNotificationStore.h"

#include "RedisShards.h"

#include <QHash>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>

#include <memory>

namespace switchboard {

namespace {

Q_LOGGING_CATEGORY(lcNotifications, "switchboard.cluster")

} // namespace

RedisNotificationStore::RedisNotificationStore(RedisShards& shards, int keepPerUser)
    : NotificationStore(keepPerUser)
    , m_shards(shards)
    , m_script(RedisScript::load(QStringLiteral("notifications.lua")))
{}

void RedisNotificationStore::run(const QString& userId, const QList<QByteArray>& arguments,
                                 QObject* receiver,
                                 std::function<void(const RedisValue& reply)> reply)
{
    // Length-prefixed: any text may be a user id.
    const QByteArray user = userId.toUtf8();
    const QByteArray name = QByteArray::number(user.size()) + ':' + user;
    const QByteArray notifications = "sb:n:" + name;
    m_shards.eval(m_shards.shardOf(notifications), m_script,
                  {notifications, "sb:no:" + name, "sb:nr:" + name}, arguments,
                  [guard = QPointer(receiver), reply = std::move(reply)](const RedisValue& answer) {
                      if (guard)
                          reply(answer);
                  });
}

void RedisNotificationStore::add(const QList<Notification>& notifications, QObject* receiver,
                                 std::function<void(bool stored)> done)
{
    QHash<QString, QList<QByteArray>> byUser;
    for (const Notification& notification : notifications) {
        byUser[notification.userId]
            << notification.id.toUtf8() << QByteArray::number(notification.createdAt)
            << QJsonDocument(notification.toRecord()).toJson(QJsonDocument::Compact);
    }
    if (byUser.isEmpty())
        return done(true);
    // Answered once every user's write is.
    struct Writing {
        qsizetype left = 0;
        bool stored = true;
        std::function<void(bool stored)> done;
    };
    auto writing = std::make_shared<Writing>(Writing{byUser.size(), true, std::move(done)});
    for (auto user = byUser.cbegin(); user != byUser.cend(); ++user) {
        run(user.key(), QList<QByteArray>{"add", QByteArray::number(keepPerUser())} + user.value(),
            receiver, [writing, userId = user.key()](const RedisValue& reply) {
                if (reply.isError()) {
                    qCWarning(lcNotifications, "notifications of %s not stored: %s",
                              qUtf8Printable(userId), reply.string.left(200).constData());
                    writing->stored = false;
                }
                if (--writing->left == 0)
                    writing->done(writing->stored);
            });
    }
}

void RedisNotificationStore::unread(const QString& userId, QObject* receiver,
                                    std::function<void(const QList<Notification>&)> done)
{
    run(userId, {"unread"}, receiver, [done = std::move(done)](const RedisValue& reply) {
        QList<Notification> unread;
        for (const RedisValue& record : reply.elements) {
            const QJsonDocument document = QJsonDocument::fromJson(record.string);
            if (document.isObject())
                unread.append(Notification::fromRecord(document.object()));
        }
        done(unread);
    });
}

void RedisNotificationStore::markRead(const QString& userId, const QString& id, QObject* receiver,
                                      std::function<void(bool found)> done)
{
    run(userId, {"read", id.toUtf8()}, receiver, [done = std::move(done)](const RedisValue& reply) {
        done(!reply.isError() && reply.toInteger() == 1);
    });
}

} // namespace switchboard
