#pragma once

// Fills the SeriesStore once a second on the hub thread (SPEC §13): connections, message and
// byte rates, publishes, slow-consumer drops, refusals, HTTP requests, topics, jobs running,
// queued, failed and finished, the trading book's equity and peak, and the system's CPU,
// memory, disk and network. Nothing is hooked into the publish path: counters are read and
// differenced, and the trading and system topics' new events are read from their history, as
// the console's monitor reads watched topics.
//
// System figures: SPEC §6.2 samples every 2 s only while someone watches (SystemMetrics). A
// history needs samples anyway, so the sampler reads the system itself every 10 s (a few
// /proc reads and a statfs, ~0.1 ms), kept only for the series; while someone watches, the
// 2 s samples published on `system_metrics` are recorded too. Nothing is published for it.
//
// Per-topic rates for the Topics view (events in and deliveries out per second) are the
// difference of each topic's counters over the last 5 s.
//
// A node of a cluster (SPEC §12) has three more series, read from the cluster part of the hub's
// snapshot (ClusterInfo): the Redis shards it reaches and those it does not, and the nodes it
// sees, so that alert rules can watch Redis and the cluster. A hub on its own has none of them.

#include "SeriesStore.h"

#include "../monitor/HubSnapshot.h"
#include "../sources/SystemProbe.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace switchboard {

class Hub;
class HubMetrics;
class JobEngine;
class JobTally;
class Subscribers;

class SeriesSampler : public QObject {
    Q_OBJECT

public:
    struct Sources {
        const Hub& hub;
        const HubMetrics& metrics;
        const Subscribers& subscribers;
        const JobEngine& jobs;
        const JobTally& jobTally;
        QString dataDir; // whose disk counts
        // The cluster as this node sees it; empty for a hub on its own.
        std::function<ClusterInfo()> cluster = {};
    };
    struct TopicRate {
        double eventsPerSecond = 0;
        double deliveriesPerSecond = 0;
    };

    static constexpr std::chrono::milliseconds interval{1000};
    static constexpr qint64 systemEveryMs = 10000;
    static constexpr qint64 topicRateEveryMs = 5000;

    // Registers the built-in series in `store`.
    SeriesSampler(SeriesStore& store, Sources sources, std::unique_ptr<SystemProbe> probe,
                  QObject* parent = nullptr);
    ~SeriesSampler() override;

    void start();
    // One sample at `nowMs` (the timer's work; tests call it with their own clock).
    void sample(qint64 nowMs);

    // The values of the last sample and when it was taken (0: none yet).
    qint64 lastSampleMs() const { return m_lastMs; }
    const QHash<QString, double>& lastSample() const { return m_last; }
    TopicRate topicRate(const QString& topic) const { return m_topicRates.value(topic); }

signals:
    void sampled(qint64 ms);

private:
    struct Counters {
        quint64 messagesIn = 0, messagesOut = 0, bytesIn = 0, bytesOut = 0, published = 0,
                drops = 0, refused = 0, httpRequests = 0, jobsFailed = 0, jobsFinished = 0;
    };
    struct SystemReading {
        SystemCounters counters;
        qint64 ms = 0;
    };
    struct TopicCounters {
        quint64 seq = 0;
        quint64 deliveries = 0;
    };

    void put(const QString& name, qint64 ms, double value);
    void sampleCounters(qint64 ms);
    void sampleTrading(qint64 ms);
    void sampleWatchedSystem(qint64 ms);
    void sampleSystem(qint64 ms);
    void sampleTopicRates(qint64 ms);
    void sampleCluster(qint64 ms);

    SeriesStore& m_store;
    Sources m_sources;
    std::unique_ptr<SystemProbe> m_probe;
    QTimer m_timer;

    std::optional<Counters> m_previous;
    qint64 m_previousMs = 0;
    quint64 m_tradingSeq = 0;
    quint64 m_systemSeq = 0;
    std::optional<SystemReading> m_systemReading;
    qint64 m_lastSystemMs = 0;
    QHash<QString, TopicCounters> m_topicCounters;
    QHash<QString, TopicRate> m_topicRates;
    qint64 m_topicRatesMs = 0;

    QHash<QString, double> m_last;
    qint64 m_lastMs = 0;
};

} // namespace switchboard
