#pragma once

// The stored 004 notifications of a cluster (SPEC §12 "Registries"): in Redis, on the shard the
// user's name hashes to (cluster/lua/notifications.lua: a hash of the user's notifications, a
// sorted set of their order and a set of those read), so a notification stored through one
// node is delivered on connect and marked read through any.
//
// Its Redis connections live on a thread of their own, as the SQLite store's connection does:
// whoever stores a notification may wait for the write (the admin route does, so that what it
// acknowledges is stored) without holding up the answer, which is read on that thread. Reads
// answer in the receiver's thread. With Redis out of reach a write fails at once (false) and a
// read finds nothing.

#include "../config/RedisUrl.h"
#include "../store/NotificationStore.h"
#include "RedisScript.h"

#include <QObject>

#include <memory>
#include <vector>

class QThread;

namespace switchboard {

class RedisShards;
struct RedisValue;

class RedisNotificationStore final : public NotificationStore {
public:
    RedisNotificationStore(const std::vector<RedisUrl>& urls, int keepPerUser);
    ~RedisNotificationStore() override;

    std::future<bool> add(const QList<Notification>& notifications) override;
    void unread(const QString& userId, QObject* receiver,
                std::function<void(const QList<Notification>&)> done) override;
    void markRead(const QString& userId, const QString& id, QObject* receiver,
                  std::function<void(bool found)> done) override;

private:
    // Runs the script for `userId` on the store's thread; `reply` gets the answer there.
    void run(const QString& userId, const QList<QByteArray>& arguments,
             std::function<void(const RedisValue& reply)> reply);

    RedisScript m_script;
    QObject m_home; // in the thread that made the store: where answers come back to
    QThread* m_thread;
    QObject* m_worker;                     // lives in m_thread
    std::unique_ptr<RedisShards> m_shards; // created, used and destroyed in m_thread
};

} // namespace switchboard
