#include "RedisNotificationStore.h"

#include "RedisShards.h"

#include <QHash>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMetaObject>
#include <QPointer>
#include <QThread>

namespace switchboard {

namespace {

Q_LOGGING_CATEGORY(lcNotifications, "switchboard.cluster")

} // namespace

RedisNotificationStore::RedisNotificationStore(const std::vector<RedisUrl>& urls, int keepPerUser)
    : NotificationStore(keepPerUser)
    , m_script(RedisScript::load(QStringLiteral("notifications.lua")))
    , m_thread(new QThread)
    , m_worker(new QObject)
{
    m_thread->setObjectName(QStringLiteral("notifications"));
    m_worker->moveToThread(m_thread);
    m_thread->start();
    QMetaObject::invokeMethod(
        m_worker,
        [this, urls] {
            m_shards = std::make_unique<RedisShards>(urls);
            m_shards->start();
        },
        Qt::BlockingQueuedConnection);
}

RedisNotificationStore::~RedisNotificationStore()
{
    // The connections go in their thread; replies still due are dropped with them.
    QMetaObject::invokeMethod(
        m_worker, [this] { m_shards.reset(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
    delete m_thread;
}

void RedisNotificationStore::run(const QString& userId, const QList<QByteArray>& arguments,
                                 std::function<void(const RedisValue& reply)> reply)
{
    QMetaObject::invokeMethod(m_worker, [this, userId, arguments, reply = std::move(reply)] {
        // Length-prefixed: any text may be a user id.
        const QByteArray user = userId.toUtf8();
        const QByteArray name = QByteArray::number(user.size()) + ':' + user;
        const QByteArray notifications = "sb:n:" + name;
        m_shards->eval(m_shards->shardOf(notifications), m_script,
                       {notifications, "sb:no:" + name, "sb:nr:" + name}, arguments, reply);
    });
}

std::future<bool> RedisNotificationStore::add(const QList<Notification>& notifications)
{
    auto promise = std::make_shared<std::promise<bool>>();
    std::future<bool> future = promise->get_future();
    QHash<QString, QList<QByteArray>> byUser;
    for (const Notification& notification : notifications) {
        byUser[notification.userId]
            << notification.id.toUtf8() << QByteArray::number(notification.createdAt)
            << QJsonDocument(notification.toRecord()).toJson(QJsonDocument::Compact);
    }
    if (byUser.isEmpty()) {
        promise->set_value(true);
        return future;
    }
    // Answered on the store's thread once every user's write is.
    struct Writing {
        qsizetype left = 0;
        bool stored = true;
        std::shared_ptr<std::promise<bool>> promise;
    };
    auto writing = std::make_shared<Writing>(Writing{byUser.size(), true, promise});
    for (auto user = byUser.cbegin(); user != byUser.cend(); ++user) {
        run(user.key(), QList<QByteArray>{"add", QByteArray::number(keepPerUser())} + user.value(),
            [writing, userId = user.key()](const RedisValue& reply) {
                if (reply.isError()) {
                    qCWarning(lcNotifications, "notifications of %s not stored: %s",
                              qUtf8Printable(userId), reply.string.left(200).constData());
                    writing->stored = false;
                }
                if (--writing->left == 0)
                    writing->promise->set_value(writing->stored);
            });
    }
    return future;
}

void RedisNotificationStore::unread(const QString& userId, QObject* receiver,
                                    std::function<void(const QList<Notification>&)> done)
{
    run(userId, {"unread"},
        [home = &m_home, guard = QPointer(receiver),
         done = std::move(done)](const RedisValue& reply) {
            QList<Notification> unread;
            for (const RedisValue& record : reply.elements) {
                const QJsonDocument document = QJsonDocument::fromJson(record.string);
                if (document.isObject())
                    unread.append(Notification::fromRecord(document.object()));
            }
            QMetaObject::invokeMethod(home, [guard, done, unread] {
                if (guard)
                    done(unread);
            });
        });
}

void RedisNotificationStore::markRead(const QString& userId, const QString& id, QObject* receiver,
                                      std::function<void(bool found)> done)
{
    run(userId, {"read", id.toUtf8()},
        [home = &m_home, guard = QPointer(receiver),
         done = std::move(done)](const RedisValue& reply) {
            const bool found = !reply.isError() && reply.toInteger() == 1;
            QMetaObject::invokeMethod(home, [guard, done, found] {
                if (guard)
                    done(found);
            });
        });
}

} // namespace switchboard
