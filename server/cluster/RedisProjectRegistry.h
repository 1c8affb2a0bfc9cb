#pragma once

// The 003 project registry of a cluster (SPEC §12 "Registries"): one hash in Redis
// (`sb:projects`: project id -> {project_id, tenant, name, updated_at}) that every node
// registers into, and a channel of the same name on which a node announces each registration,
// so that the others know it at once. Each node keeps the whole registry in memory for the
// checks (TopicPolicy asks on the hub thread, without waiting), and reads the hash whole again
// whenever its subscription to the channel is made (at start, after every reconnect), so that
// nothing announced while it was cut off is missed.

#include "../store/ProjectRegistry.h"

#include <QObject>

namespace switchboard {

class RedisShards;

class RedisProjectRegistry final : public QObject, public ProjectRegistry {
    Q_OBJECT

public:
    explicit RedisProjectRegistry(RedisShards& shards, QObject* parent = nullptr);

    // Nothing to wait for: the registry is read once Redis answers.
    std::optional<QString> load() override { return std::nullopt; }
    // Answered false at once when Redis is out of reach; nothing is registered then.
    void put(Project project, PutDone done) override;

    static const QByteArray key; // the hash, and the channel

private:
    int shard() const;
    void reload();

    RedisShards& m_shards;
};

} // namespace switchboard
