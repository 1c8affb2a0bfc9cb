#pragma once

// The Redis instances of a cluster (--redis, repeatable), each reached through two connections:
// one for commands and one that receives publications. A topic (or any key) lives on one of
// them, chosen by a consistent hash, so every node picks the same one and adding an instance
// moves only a share of the topics, as Centrifugo shards its Redis engine.

#include "../config/RedisUrl.h"
#include "RedisConnection.h"
#include "RedisScript.h"

#include <QObject>

#include <memory>
#include <vector>

namespace switchboard {

class RedisShards : public QObject {
    Q_OBJECT

public:
    explicit RedisShards(const std::vector<RedisUrl>& urls, QObject* parent = nullptr);
    ~RedisShards() override;

    void start();
    int count() const { return int(m_shards.size()); }
    // The shard that holds `key`: a jump consistent hash of its FNV-1a hash.
    int shardOf(QByteArrayView key) const;
    static int shardOf(QByteArrayView key, int shards);

    // Up: both connections of the shard are up.
    bool isUp(int shard) const;
    // Why it is not (empty while up).
    QString problem(int shard) const;
    const RedisUrl& url(int shard) const;
    quint64 reconnects(int shard) const;

    RedisConnection& commands(int shard) { return *m_shards[std::size_t(shard)].commands; }
    RedisConnection& subscriber(int shard) { return *m_shards[std::size_t(shard)].subscriber; }

    // Runs `script` by its SHA-1, and by its source when Redis does not know it yet.
    void eval(int shard, const RedisScript& script, const QList<QByteArray>& keys,
              const QList<QByteArray>& arguments, RedisConnection::Reply reply);

signals:
    void shardUp(int shard);
    void shardDown(int shard, const QString& reason);
    // Subscriber connections: a subscription confirmed, and a message of a subscribed channel.
    void subscribed(int shard, const QByteArray& channel);
    void message(int shard, const QByteArray& channel, const QByteArray& payload);

private:
    struct Shard {
        std::unique_ptr<RedisConnection> commands;
        std::unique_ptr<RedisConnection> subscriber;
        bool up = false;
    };
    void updateState(int shard);

    std::vector<Shard> m_shards;
};

} // namespace switchboard
