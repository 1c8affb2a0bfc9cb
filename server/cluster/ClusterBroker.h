#pragma once

// The hub's Broker over Redis (SPEC §12), after Centrifugo's Redis engine. Each topic lives on
// one shard (RedisShards): a meta hash holds its epoch and newest seq, a capped stream its
// history (entry id = seq), and a channel carries its publications to the nodes that watch it.
// A publication is numbered, kept and sent in one Lua script (cluster/lua/publish.lua), so
// every node receives a topic's publications in seq order; where a topic stands, and what came
// after a seq, is one more script (position.lua). A topic whose history Redis lost (a restart
// without persistence, a flush, an evicted key) gets a new epoch, which the hub answers with
// `resync` instead of a silent gap.

#include "../hub/Broker.h"
#include "RedisScript.h"

#include <QHash>
#include <QObject>

#include <chrono>

namespace switchboard {

class Histogram;
class RedisShards;

class ClusterBroker final : public QObject, public Broker {
    Q_OBJECT

public:
    struct Settings {
        int historyLimit = 1000;
        std::chrono::seconds historyAge{300};
        // A topic unused this long forgets its numbering: its next publication starts an epoch.
        std::chrono::seconds metaAge{7 * 24 * 3600};
    };

    // `publishRoundTrip` records how long each publication took to be numbered (seconds).
    ClusterBroker(RedisShards& shards, Settings settings, Histogram& publishRoundTrip,
                  QObject* parent = nullptr);

    void attach(BrokerListener& listener) override;
    void publish(const QString& topic, const QByteArray& body,
                 std::function<void(const Published&)> done) override;
    void watch(const QString& topic) override;
    void unwatch(const QString& topic) override;
    void position(const QString& topic, quint64 since, int limit,
                  std::function<void(const BrokerPosition&)> done) override;
    bool isAvailable(const QString& topic) const override;

    // The channel, meta key and history key of a topic.
    static QByteArray channelOf(const QString& topic);
    static QByteArray metaKeyOf(const QString& topic);
    static QByteArray historyKeyOf(const QString& topic);

    // Publications this broker received back from Redis (all nodes' publications of the
    // topics it watches) and the bytes they carried.
    quint64 received() const { return m_received; }
    quint64 receivedBytes() const { return m_receivedBytes; }

private:
    void onShardUp(int shard);
    void onShardDown(int shard);
    void onSubscribed(int shard, const QByteArray& channel);
    void onMessage(int shard, const QByteArray& channel, const QByteArray& payload);
    QByteArray newEpoch() const;

    RedisShards& m_shards;
    Settings m_settings;
    Histogram& m_publishRoundTrip;
    BrokerListener* m_listener = nullptr;
    RedisScript m_publishScript;
    RedisScript m_positionScript;
    QHash<QString, int> m_watched; // topic -> its shard
    quint64 m_received = 0;
    quint64 m_receivedBytes = 0;
};

} // namespace switchboard
