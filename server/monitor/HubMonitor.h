#pragma once

// The read-only view of the hub that the console and the stats routes use: coalesces what
// changed into a HubSnapshot at a fixed interval (at most ten a second) and computes rates.
//
// Watched topics: an in-process observer (the console) is "just another subscriber" without a
// socket. It names topics (or prefixes, "room:*"), and each tick the monitor reads what those
// topics published since the last tick from their history, the same way a resuming client is
// served. Nothing is hooked into the publish path: an unwatched hub pays nothing, a watched
// topic costs a lookup per tick, and at most `maxEventsPerTopic` events per topic and tick
// are copied, so a flood on one topic cannot swamp the observer's thread.

#include "HubSnapshot.h"
#include "JobTally.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <chrono>

namespace switchboard {

class Hub;
class HubMetrics;
class JobEngine;
class Subscriber;
class Subscribers;

class HubMonitor : public QObject {
    Q_OBJECT

public:
    struct ServerIdentity {
        QString listenAddress;
        bool tls = false;
        QString authMode;
    };

    // The job engine must outlive the monitor; jobs appear in snapshots whenever one changed.
    HubMonitor(Subscribers& subscribers, const Hub& hub, const HubMetrics& metrics,
               const JobEngine& jobs, std::chrono::milliseconds interval,
               QObject* parent = nullptr);

    // One connection as observers see it.
    static ConnectionInfo connectionInfo(const Subscriber& subscriber);

    void setServerIdentity(ServerIdentity identity) { m_identity = std::move(identity); }
    void start();
    // The next snapshot lists every connection (and every job).
    void requestFull() { m_fullRequested = true; }
    // Whether anyone receives the snapshots. Unobserved (the headless server), a tick only
    // updates the rates the stats routes read: walking every session for a snapshot nobody
    // reads cost the hub thread ~1 ms per tick with 1000 clients, in the way of publishes.
    void setObserved(bool observed);

    // Topics whose events the snapshots carry; a name ending in '*' is a prefix. A topic
    // watched anew starts with up to `initialBacklog` events of its history, so a chart shows
    // the recent past at once.
    void setWatchedTopics(const QStringList& patterns);
    QStringList watchedTopics() const { return m_watchPatterns; }
    static constexpr int maxEventsPerTopic = 200;
    static constexpr int initialBacklog = 200;

    const JobEngine& jobs() const { return m_jobs; }
    const JobTally& jobTally() const { return m_jobTally; }
    // Dialect names by encoder, for ConnectionInfo::dialect (set once the endpoints exist).
    void setDialectNames(QHash<const void*, QString> names) { m_dialectNames = std::move(names); }
    QString dialectOf(const Subscriber& subscriber) const;

    QDateTime startedAt() const { return m_startedAt; }
    double messagesInPerSecond() const { return m_inRate; }
    double messagesOutPerSecond() const { return m_outRate; }
    qint64 uptimeSeconds() const;

signals:
    void snapshotReady(const switchboard::HubSnapshot& snapshot);

private:
    void tick();
    void collectEvents(HubSnapshot& snapshot);
    QStringList watchedTopicNames() const;

    Subscribers& m_subscribers;
    const Hub& m_hub;
    const HubMetrics& m_metrics;
    QTimer m_timer;
    ServerIdentity m_identity;
    QDateTime m_startedAt;
    QSet<QString> m_removed;
    bool m_fullRequested = true;
    bool m_observed = true;
    const JobEngine& m_jobs;
    JobTally m_jobTally;
    QHash<const void*, QString> m_dialectNames;
    bool m_jobsChanged = true;
    QStringList m_watchPatterns;
    QHash<QString, quint64> m_lastSeen; // watched topic -> last seq passed on

    qint64 m_lastTickMs = 0;
    quint64 m_lastIn = 0;
    quint64 m_lastOut = 0;
    double m_inRate = 0;
    double m_outRate = 0;
};

} // namespace switchboard
