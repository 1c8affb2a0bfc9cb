#pragma once

// The stored 004 notifications of a cluster (SPEC §12 "Registries"): in Redis, on the shard the
// user's name hashes to (cluster/lua/notifications.lua: a hash of the user's notifications, a
// sorted set of their order and a set of those read), so a notification stored through one
// node is delivered on connect and marked read through any.
//
// On the cluster's own connections, on the hub thread: every answer comes back there, to a
// receiver that is still alive. With Redis out of reach a write fails at once (false) and a
// read finds nothing.

#include "../store/NotificationStore.h"
#include "RedisScript.h"

#include <QObject>

namespace switchboard {

class RedisShards;
struct RedisValue;

class RedisNotificationStore final : public NotificationStore {
public:
    RedisNotificationStore(RedisShards& shards, int keepPerUser);

    void add(const QList<Notification>& notifications, QObject* receiver,
             std::function<void(bool stored)> done) override;
    void unread(const QString& userId, QObject* receiver,
                std::function<void(const QList<Notification>&)> done) override;
    void markRead(const QString& userId, const QString& id, QObject* receiver,
                  std::function<void(bool found)> done) override;

private:
    // Runs the script for `userId`; `reply` gets the answer, unless `receiver` went meanwhile.
    void run(const QString& userId, const QList<QByteArray>& arguments, QObject* receiver,
             std::function<void(const RedisValue& reply)> reply);

    RedisShards& m_shards;
    RedisScript m_script;
};

} // namespace switchboard
