#include "RedisShards.h"

namespace switchboard {

namespace {

quint64 fnv1a(QByteArrayView key)
{
    quint64 hash = 14695981039346656037ull;
    for (const char c : key) {
        hash ^= quint8(c);
        hash *= 1099511628211ull;
    }
    return hash;
}

// Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014): the bucket of
// `key` among `buckets`; growing the count moves only 1/buckets of the keys.
int jumpConsistentHash(quint64 key, int buckets)
{
    qint64 bucket = -1;
    qint64 next = 0;
    while (next < buckets) {
        bucket = next;
        key = key * 2862933555777941757ull + 1;
        next = qint64(double(bucket + 1) * (double(1ll << 31) / double((key >> 33) + 1)));
    }
    return int(bucket);
}

} // namespace

RedisShards::RedisShards(const std::vector<RedisUrl>& urls, QObject* parent)
    : QObject(parent)
{
    m_shards.resize(urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        const int index = int(i);
        RedisConnection::Handlers commandHandlers{
            [this, index] { updateState(index); },
            [this, index](const QString&) { updateState(index); },
            {},
            {}};
        RedisConnection::Handlers subscriberHandlers{
            [this, index] { updateState(index); },
            [this, index](const QString&) { updateState(index); },
            [this, index](const QByteArray& channel) { emit subscribed(index, channel); },
            [this, index](const QByteArray& channel, const QByteArray& payload) {
                emit message(index, channel, payload);
            }};
        m_shards[i].commands = std::make_unique<RedisConnection>(
            urls[i], RedisConnection::Mode::Commands, std::move(commandHandlers));
        m_shards[i].subscriber = std::make_unique<RedisConnection>(
            urls[i], RedisConnection::Mode::Subscriber, std::move(subscriberHandlers));
    }
}

RedisShards::~RedisShards() = default;

void RedisShards::start()
{
    for (Shard& shard : m_shards) {
        shard.commands->start();
        shard.subscriber->start();
    }
}

int RedisShards::shardOf(QByteArrayView key, int shards)
{
    return shards <= 1 ? 0 : jumpConsistentHash(fnv1a(key), shards);
}

int RedisShards::shardOf(QByteArrayView key) const
{
    return shardOf(key, count());
}

bool RedisShards::isUp(int shard) const
{
    return m_shards[std::size_t(shard)].up;
}

QString RedisShards::problem(int shard) const
{
    const Shard& entry = m_shards[std::size_t(shard)];
    if (!entry.commands->isUp())
        return entry.commands->problem();
    if (!entry.subscriber->isUp())
        return entry.subscriber->problem();
    return {};
}

const RedisUrl& RedisShards::url(int shard) const
{
    return m_shards[std::size_t(shard)].commands->url();
}

quint64 RedisShards::reconnects(int shard) const
{
    const Shard& entry = m_shards[std::size_t(shard)];
    return entry.commands->reconnects() + entry.subscriber->reconnects();
}

void RedisShards::updateState(int index)
{
    Shard& shard = m_shards[std::size_t(index)];
    const bool up = shard.commands->isUp() && shard.subscriber->isUp();
    if (up == shard.up)
        return;
    shard.up = up;
    if (up)
        emit shardUp(index);
    else
        emit shardDown(index, problem(index));
}

void RedisShards::eval(int shard, const RedisScript& script, const QList<QByteArray>& keys,
                       const QList<QByteArray>& arguments, RedisConnection::Reply reply)
{
    QList<QByteArray> command{"EVALSHA", script.sha1, QByteArray::number(keys.size())};
    command += keys;
    command += arguments;
    RedisConnection& connection = commands(shard);
    connection.command(command, [&connection, script, command,
                                 reply = std::move(reply)](const RedisValue& answer) mutable {
        if (!answer.isError() || !answer.string.startsWith("NOSCRIPT")) {
            reply(answer);
            return;
        }
        // Not cached (a restarted or flushed Redis): EVAL sends it, and caches it for the
        // next EVALSHA.
        command[0] = "EVAL";
        command[1] = script.source;
        connection.command(command, std::move(reply));
    });
}

} // namespace switchboard
