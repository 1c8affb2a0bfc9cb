#include "ClusterBroker.h"

#include "../hub/Histogram.h"
#include "../hub/Hub.h"
#include "RedisShards.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

#include <algorithm>

namespace switchboard {

namespace {

Q_LOGGING_CATEGORY(lcBroker, "switchboard.cluster")

const QByteArray channelPrefix = "sb:t:";

QByteArray topicKey(const QString& topic)
{
    return topic.toUtf8();
}

} // namespace

ClusterBroker::ClusterBroker(RedisShards& shards, Settings settings, Histogram& publishRoundTrip,
                             QObject* parent)
    : QObject(parent)
    , m_shards(shards)
    , m_settings(settings)
    , m_publishRoundTrip(publishRoundTrip)
    , m_publishScript(RedisScript::load(QStringLiteral("publish.lua")))
    , m_positionScript(RedisScript::load(QStringLiteral("position.lua")))
{
    connect(&shards, &RedisShards::shardUp, this, &ClusterBroker::onShardUp);
    connect(&shards, &RedisShards::shardDown, this,
            [this](int shard, const QString&) { onShardDown(shard); });
    connect(&shards, &RedisShards::subscribed, this, &ClusterBroker::onSubscribed);
    connect(&shards, &RedisShards::message, this, &ClusterBroker::onMessage);
}

void ClusterBroker::attach(BrokerListener& listener)
{
    m_listener = &listener;
}

QByteArray ClusterBroker::channelOf(const QString& topic)
{
    return channelPrefix + topicKey(topic);
}

QByteArray ClusterBroker::metaKeyOf(const QString& topic)
{
    return "sb:m:" + topicKey(topic);
}

QByteArray ClusterBroker::historyKeyOf(const QString& topic)
{
    return "sb:h:" + topicKey(topic);
}

QByteArray ClusterBroker::newEpoch() const
{
    // Random, so that two numberings of a topic never share an epoch.
    return QByteArray::number(QRandomGenerator::global()->generate64(), 36);
}

bool ClusterBroker::isAvailable(const QString& topic) const
{
    return m_shards.isUp(m_shards.shardOf(topicKey(topic)));
}

void ClusterBroker::publish(const QString& topic, const QByteArray& body,
                            std::function<void(const Published&)> done)
{
    const int shard = m_shards.shardOf(topicKey(topic));
    const qint64 started = Hub::steadyNowNs();
    m_shards.eval(shard, m_publishScript, {metaKeyOf(topic), historyKeyOf(topic)},
                  {body, channelOf(topic), QByteArray::number(m_settings.historyLimit),
                   QByteArray::number(qint64(m_settings.historyAge.count())),
                   QByteArray::number(qint64(m_settings.metaAge.count())), newEpoch()},
                  [this, started, done = std::move(done)](const RedisValue& reply) {
                      Published published;
                      if (!reply.isError() && reply.isArray() && reply.elements.size() == 2) {
                          published.ok = true;
                          published.seq = quint64(reply.at(0).toInteger());
                          published.epoch = QString::fromLatin1(reply.at(1).string);
                          m_publishRoundTrip.record(double(Hub::steadyNowNs() - started) / 1e9);
                      } else if (reply.isError() && !reply.string.startsWith("CONNECTION ")) {
                          // (A lost connection is said once, by the connection.)
                          qCWarning(lcBroker) << "publish failed:" << reply.string.left(200);
                      }
                      done(published);
                  });
}

void ClusterBroker::watch(const QString& topic)
{
    const int shard = m_shards.shardOf(topicKey(topic));
    m_watched.insert(topic, shard);
    m_shards.subscriber(shard).subscribe(channelOf(topic));
}

void ClusterBroker::unwatch(const QString& topic)
{
    const auto it = m_watched.find(topic);
    if (it == m_watched.end())
        return;
    m_shards.subscriber(*it).unsubscribe(channelOf(topic));
    m_watched.erase(it);
}

void ClusterBroker::position(const QString& topic, quint64 since, int limit,
                             std::function<void(const BrokerPosition&)> done)
{
    const int shard = m_shards.shardOf(topicKey(topic));
    m_shards.eval(shard, m_positionScript, {metaKeyOf(topic), historyKeyOf(topic)},
                  {QByteArray::number(since), QByteArray::number(limit),
                   QByteArray::number(qint64(m_settings.metaAge.count())), newEpoch()},
                  [since, done = std::move(done)](const RedisValue& reply) {
                      BrokerPosition position;
                      if (reply.isError() || !reply.isArray() || reply.elements.size() != 3) {
                          done(position);
                          return;
                      }
                      position.ok = true;
                      position.seq = quint64(reply.at(0).toInteger());
                      position.epoch = QString::fromLatin1(reply.at(1).string);
                      // Newest first from Redis; the hub wants them oldest first.
                      const std::vector<RedisValue>& entries = reply.at(2).elements;
                      position.entries.reserve(entries.size());
                      for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
                          const QByteArray id = it->at(0).string;
                          const RedisValue& fields = it->at(1);
                          BrokerEntry entry;
                          entry.seq = id.left(id.indexOf('-')).toULongLong();
                          for (std::size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
                              if (fields.elements[i].string == "d")
                                  entry.body = fields.elements[i + 1].string;
                          }
                          position.entries.push_back(std::move(entry));
                      }
                      // Complete when every seq after `since` up to the newest is there.
                      const quint64 wanted = position.seq > since ? position.seq - since : 0;
                      position.complete =
                          quint64(position.entries.size()) == wanted &&
                          (wanted == 0 || position.entries.front().seq == since + 1);
                      done(position);
                  });
}

void ClusterBroker::onShardUp(int shard)
{
    // Subscribed again (or still), the topics' publications flow once Redis confirms: then the
    // hub asks where each stands.
    for (auto it = m_watched.cbegin(); it != m_watched.cend(); ++it) {
        if (*it == shard)
            m_shards.subscriber(shard).resubscribe(channelOf(it.key()));
    }
}

void ClusterBroker::onShardDown(int shard)
{
    if (!m_listener)
        return;
    const QList<QString> topics = m_watched.keys(shard);
    for (const QString& topic : topics)
        m_listener->brokerLost(topic);
}

void ClusterBroker::onSubscribed(int shard, const QByteArray& channel)
{
    if (!m_listener || !channel.startsWith(channelPrefix) || !m_shards.isUp(shard))
        return;
    const QString topic = QString::fromUtf8(channel.mid(channelPrefix.size()));
    if (m_watched.contains(topic))
        m_listener->brokerWatching(topic);
}

void ClusterBroker::onMessage(int /*shard*/, const QByteArray& channel, const QByteArray& payload)
{
    if (!m_listener || !channel.startsWith(channelPrefix))
        return;
    // "seq:epoch:body"
    const qsizetype first = payload.indexOf(':');
    const qsizetype second = first < 0 ? -1 : payload.indexOf(':', first + 1);
    if (second < 0)
        return;
    ++m_received;
    m_receivedBytes += quint64(payload.size());
    m_listener->brokerPublication(QString::fromUtf8(channel.mid(channelPrefix.size())),
                                  QString::fromLatin1(payload.mid(first + 1, second - first - 1)),
                                  payload.left(first).toULongLong(), payload.mid(second + 1));
}

} // namespace switchboard
