#include "SeriesSampler.h"

#include "../hub/Hub.h"
#include "../hub/HubMetrics.h"
#include "../hub/Subscribers.h"
#include "../jobs/JobEngine.h"
#include "../monitor/JobTally.h"

#include <QDateTime>
#include <QFileInfo>
#include <QStorageInfo>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace switchboard {

namespace {

const QString tradingTopic = u"trading"_s;
const QString systemTopic = u"system_metrics"_s;

double numberOf(const QJsonValue& value)
{
    if (value.isDouble())
        return value.toDouble();
    bool ok = false;
    const double number = value.toString().toDouble(&ok);
    return ok ? number : std::nan("");
}

QString nearestExisting(const QString& path)
{
    QFileInfo info(path.isEmpty() ? u"/"_s : path);
    while (!info.exists()) {
        const QString parent = info.absolutePath();
        if (parent == info.absoluteFilePath())
            break;
        info = QFileInfo(parent);
    }
    return info.absoluteFilePath();
}

} // namespace

SeriesSampler::SeriesSampler(SeriesStore& store, Sources sources,
                             std::unique_ptr<SystemProbe> probe, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_sources(std::move(sources))
    , m_probe(std::move(probe))
{
    const QList<SeriesInfo> builtIn{
        {u"equity"_s, u"currency"_s, u"Total equity of the trading book (equity_update)"_s,
         tradingTopic},
        {u"peak_equity"_s, u"currency"_s, u"Peak equity of the trading book"_s, tradingTopic},
        {u"connections"_s, u"count"_s, u"Open WebSocket connections"_s, {}},
        {u"messages_in"_s, u"per_second"_s, u"Messages received from clients per second"_s, {}},
        {u"messages_out"_s, u"per_second"_s, u"Messages queued to clients per second"_s, {}},
        {u"bytes_in"_s, u"bytes_per_second"_s, u"Bytes received from clients per second"_s, {}},
        {u"bytes_out"_s, u"bytes_per_second"_s, u"Bytes queued to clients per second"_s, {}},
        {u"events_published"_s, u"per_second"_s, u"Events published to topics per second"_s, {}},
        {u"slow_consumer_drops"_s,
         u"per_second"_s,
         u"Clients closed (1013) for not reading, per second"_s,
         {}},
        {u"connections_refused"_s,
         u"per_second"_s,
         u"Connections and upgrades refused per second"_s,
         {}},
        {u"http_requests"_s, u"per_second"_s, u"HTTP requests per second"_s, {}},
        {u"topics"_s, u"count"_s, u"Topics with history or subscribers"_s, {}},
        {u"jobs_running"_s, u"count"_s, u"Jobs running"_s, {}},
        {u"jobs_queued"_s, u"count"_s, u"Jobs waiting in the queue"_s, {}},
        {u"job_failures"_s, u"per_second"_s, u"Jobs that failed, per second"_s, {}},
        {u"jobs_finished"_s,
         u"per_second"_s,
         u"Jobs that finished (any outcome), per second"_s,
         {}},
        {u"cpu"_s, u"percent"_s, u"CPU use of the machine"_s, {}},
        {u"memory"_s, u"percent"_s, u"Memory use of the machine"_s, {}},
        {u"disk"_s, u"percent"_s, u"Disk use of the data dir's file system"_s, {}},
        {u"network_in"_s, u"bytes_per_second"_s, u"Network bytes received per second"_s, {}},
        {u"network_out"_s, u"bytes_per_second"_s, u"Network bytes sent per second"_s, {}},
    };
    for (const SeriesInfo& info : builtIn)
        m_store.add(info);
    if (m_sources.cluster) {
        const QList<SeriesInfo> clusterSeries{
            {u"redis_up"_s, u"count"_s, u"Redis shards this node reaches"_s, {}},
            {u"redis_down"_s, u"count"_s, u"Redis shards this node cannot reach"_s, {}},
            {u"cluster_nodes"_s, u"count"_s, u"Nodes of the cluster this node sees"_s, {}},
        };
        for (const SeriesInfo& info : clusterSeries)
            m_store.add(info);
    }
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(interval);
    connect(&m_timer, &QTimer::timeout, this,
            [this] { sample(QDateTime::currentMSecsSinceEpoch()); });
}

SeriesSampler::~SeriesSampler() = default;

void SeriesSampler::start()
{
    // The trading and system topics' history before now is not ours to count twice.
    m_tradingSeq = m_sources.hub.currentSeq(tradingTopic);
    m_systemSeq = m_sources.hub.currentSeq(systemTopic);
    sample(QDateTime::currentMSecsSinceEpoch());
    m_timer.start();
}

void SeriesSampler::put(const QString& name, qint64 ms, double value)
{
    if (!std::isfinite(value))
        return;
    m_store.record(name, ms, value);
    m_last.insert(name, value);
}

void SeriesSampler::sample(qint64 nowMs)
{
    m_last.clear();
    sampleCounters(nowMs);
    sampleTrading(nowMs);
    sampleWatchedSystem(nowMs);
    if (nowMs - m_lastSystemMs >= systemEveryMs)
        sampleSystem(nowMs);
    if (nowMs - m_topicRatesMs >= topicRateEveryMs)
        sampleTopicRates(nowMs);
    if (m_sources.cluster)
        sampleCluster(nowMs);
    m_lastMs = nowMs;
    emit sampled(nowMs);
}

void SeriesSampler::sampleCounters(qint64 ms)
{
    const HubMetrics& metrics = m_sources.metrics;
    const Counters now{metrics.messagesIn,
                       metrics.messagesOut,
                       metrics.bytesIn,
                       metrics.bytesOut,
                       metrics.published,
                       metrics.droppedSlowConsumers,
                       metrics.rejectedConnections,
                       metrics.httpRequests,
                       m_sources.jobTally.failed(),
                       m_sources.jobTally.totalFinished()};
    put(u"connections"_s, ms, m_sources.subscribers.count());
    put(u"topics"_s, ms, m_sources.hub.topicCount());
    put(u"jobs_running"_s, ms, m_sources.jobs.runningCount());
    put(u"jobs_queued"_s, ms, m_sources.jobs.queuedCount());
    if (m_previous && ms > m_previousMs) {
        const double seconds = double(ms - m_previousMs) / 1000.0;
        const auto rate = [seconds](quint64 later, quint64 earlier) {
            return later >= earlier ? double(later - earlier) / seconds : 0.0;
        };
        const Counters& before = *m_previous;
        put(u"messages_in"_s, ms, rate(now.messagesIn, before.messagesIn));
        put(u"messages_out"_s, ms, rate(now.messagesOut, before.messagesOut));
        put(u"bytes_in"_s, ms, rate(now.bytesIn, before.bytesIn));
        put(u"bytes_out"_s, ms, rate(now.bytesOut, before.bytesOut));
        put(u"events_published"_s, ms, rate(now.published, before.published));
        put(u"slow_consumer_drops"_s, ms, rate(now.drops, before.drops));
        put(u"connections_refused"_s, ms, rate(now.refused, before.refused));
        put(u"http_requests"_s, ms, rate(now.httpRequests, before.httpRequests));
        put(u"job_failures"_s, ms, rate(now.jobsFailed, before.jobsFailed));
        put(u"jobs_finished"_s, ms, rate(now.jobsFinished, before.jobsFinished));
    }
    m_previous = now;
    m_previousMs = ms;
}

void SeriesSampler::sampleCluster(qint64 ms)
{
    const ClusterInfo cluster = m_sources.cluster();
    const auto up = std::count_if(cluster.shards.cbegin(), cluster.shards.cend(),
                                  [](const RedisShardInfo& shard) { return shard.up; });
    put(u"redis_up"_s, ms, double(up));
    put(u"redis_down"_s, ms, double(cluster.shards.size() - up));
    put(u"cluster_nodes"_s, ms, double(cluster.nodes.size()));
}

void SeriesSampler::sampleTrading(qint64 ms)
{
    const quint64 current = m_sources.hub.currentSeq(tradingTopic);
    if (current <= m_tradingSeq) {
        m_tradingSeq = current;
        return;
    }
    const Hub::Replay replay = m_sources.hub.eventsAfter(tradingTopic, m_tradingSeq);
    m_tradingSeq = current;
    // The book's state at the end of the second is what the chart shows.
    for (auto it = replay.events.crbegin(); it != replay.events.crend(); ++it) {
        const Event& event = **it;
        if (event.name != QLatin1String("equity_update"))
            continue;
        const QJsonObject data = event.data.object();
        const QJsonValue equity = data.contains(u"total_equity"_s)
                                      ? data.value(u"total_equity"_s)
                                      : data.value(u"current_equity"_s);
        put(u"equity"_s, ms, numberOf(equity));
        put(u"peak_equity"_s, ms, numberOf(data.value(u"peak_equity"_s)));
        return;
    }
}

void SeriesSampler::sampleWatchedSystem(qint64 ms)
{
    const quint64 current = m_sources.hub.currentSeq(systemTopic);
    if (current <= m_systemSeq) {
        m_systemSeq = current;
        return;
    }
    const Hub::Replay replay = m_sources.hub.eventsAfter(systemTopic, m_systemSeq);
    m_systemSeq = current;
    if (replay.events.empty())
        return;
    const QJsonObject sample = replay.events.back()->data.object();
    const auto take = [&](const QString& series, const QString& field) {
        if (sample.contains(field))
            put(series, ms, numberOf(sample.value(field)));
    };
    take(u"cpu"_s, u"cpu_percent"_s);
    take(u"memory"_s, u"memory_percent"_s);
    take(u"disk"_s, u"disk_percent"_s);
    take(u"network_in"_s, u"network_in_bytes_per_sec"_s);
    take(u"network_out"_s, u"network_out_bytes_per_sec"_s);
}

void SeriesSampler::sampleSystem(qint64 ms)
{
    m_lastSystemMs = ms;
    SystemReading reading{m_probe ? m_probe->read() : SystemCounters{}, ms};
    const SystemCounters& now = reading.counters;
    if (now.memory && now.memory->totalBytes > 0)
        put(u"memory"_s, ms,
            100.0 * double(now.memory->usedBytes) / double(now.memory->totalBytes));
    const QStorageInfo storage(nearestExisting(m_sources.dataDir));
    if (storage.isValid() && storage.bytesTotal() > 0) {
        const double total = double(storage.bytesTotal());
        const double used = total - double(std::max<qint64>(0, storage.bytesFree()));
        const double available = double(std::max<qint64>(0, storage.bytesAvailable()));
        if (used + available > 0)
            put(u"disk"_s, ms, 100.0 * used / (used + available));
    }
    if (m_systemReading && ms > m_systemReading->ms) {
        const SystemCounters& before = m_systemReading->counters;
        if (now.cpu && before.cpu && now.cpu->total > before.cpu->total) {
            const quint64 busy = now.cpu->busy - std::min(now.cpu->busy, before.cpu->busy);
            put(u"cpu"_s, ms,
                std::clamp(100.0 * double(busy) / double(now.cpu->total - before.cpu->total), 0.0,
                           100.0));
        }
        if (now.network && before.network) {
            const double seconds = double(ms - m_systemReading->ms) / 1000.0;
            const auto rate = [seconds](quint64 later, quint64 earlier) {
                return later > earlier ? double(later - earlier) / seconds : 0.0;
            };
            put(u"network_in"_s, ms,
                rate(now.network->receivedBytes, before.network->receivedBytes));
            put(u"network_out"_s, ms, rate(now.network->sentBytes, before.network->sentBytes));
        }
    }
    m_systemReading = std::move(reading);
}

void SeriesSampler::sampleTopicRates(qint64 ms)
{
    const double seconds = m_topicRatesMs > 0 ? double(ms - m_topicRatesMs) / 1000.0 : 0.0;
    m_topicRatesMs = ms;
    const auto& topics = m_sources.hub.topics();
    for (auto it = topics.cbegin(); it != topics.cend(); ++it) {
        const Topic& topic = **it;
        TopicCounters now{topic.lastSeq(), topic.deliveries()};
        auto previous = m_topicCounters.find(it.key());
        if (previous != m_topicCounters.end() && seconds > 0) {
            m_topicRates.insert(
                it.key(), {double(now.seq - std::min(now.seq, previous->seq)) / seconds,
                           double(now.deliveries - std::min(now.deliveries, previous->deliveries)) /
                               seconds});
            *previous = now;
        } else {
            m_topicCounters.insert(it.key(), now);
        }
    }
}

} // namespace switchboard
