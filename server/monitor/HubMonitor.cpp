#include "HubMonitor.h"

#include "../hub/Hub.h"
#include "../hub/HubMetrics.h"
#include "../hub/Subscriber.h"
#include "../hub/Subscribers.h"
#include "../jobs/JobEngine.h"

#include <algorithm>

namespace switchboard {

HubMonitor::HubMonitor(Subscribers& subscribers, const Hub& hub, const HubMetrics& metrics,
                       const JobEngine& jobs, std::chrono::milliseconds interval, QObject* parent)
    : QObject(parent)
    , m_subscribers(subscribers)
    , m_hub(hub)
    , m_metrics(metrics)
    , m_startedAt(QDateTime::currentDateTimeUtc())
    , m_jobs(jobs)
{
    m_timer.setInterval(interval);
    connect(&m_timer, &QTimer::timeout, this, &HubMonitor::tick);
    connect(&subscribers, &Subscribers::closed, this,
            [this](const Subscriber* subscriber) { m_removed.insert(subscriber->id()); });
    connect(&subscribers, &Subscribers::opened, this,
            [this](const Subscriber* subscriber) { m_removed.remove(subscriber->id()); });
    connect(&jobs, &JobEngine::jobChanged, this, [this](const JobRecord& job) {
        m_jobsChanged = true;
        m_jobTally.note(job);
    });
}

ConnectionInfo HubMonitor::connectionInfo(const Subscriber& subscriber)
{
    const Identity& identity = subscriber.identity();
    const Subscriber::Counters& counters = subscriber.counters();
    ConnectionInfo info;
    info.id = subscriber.id();
    info.user = identity.subject;
    info.role = roleName(identity.role);
    info.tenant = identity.tenant;
    info.remoteAddress = subscriber.remoteAddress();
    info.endpoint = subscriber.endpoint();
    info.since = subscriber.since();
    info.messagesIn = counters.messagesIn;
    info.messagesOut = counters.messagesOut;
    info.bytesIn = counters.bytesIn;
    info.bytesOut = counters.bytesOut;
    info.topics = subscriber.topics();
    info.outboundBytes = subscriber.outbox().bytes + subscriber.backlogBytes();
    info.outboundCap = subscriber.outboundCap();
    info.tokenExpiresAt = identity.expiresAt;
    return info;
}

QString HubMonitor::dialectOf(const Subscriber& subscriber) const
{
    return m_dialectNames.value(&subscriber.encoder());
}

void HubMonitor::start()
{
    m_lastTickMs = QDateTime::currentMSecsSinceEpoch();
    m_timer.start();
    tick();
}

void HubMonitor::setWatchedTopics(const QStringList& patterns)
{
    m_watchPatterns = patterns;
    m_watchPatterns.removeDuplicates();
    // Topics no longer watched are forgotten: watched again later, they start afresh.
    const QStringList names = watchedTopicNames();
    for (auto it = m_lastSeen.begin(); it != m_lastSeen.end();) {
        if (names.contains(it.key()))
            ++it;
        else
            it = m_lastSeen.erase(it);
    }
}

QStringList HubMonitor::watchedTopicNames() const
{
    QStringList names;
    QStringList prefixes;
    for (const QString& pattern : m_watchPatterns) {
        if (pattern.endsWith(u'*'))
            prefixes.append(pattern.chopped(1));
        else
            names.append(pattern);
    }
    if (prefixes.isEmpty())
        return names;
    // The hub does not enumerate its topics; those of a prefix are the ones some client
    // subscribes to, and the ones seen before (a room keeps its last "leave" event).
    const auto matches = [&prefixes](const QString& topic) {
        return std::any_of(prefixes.cbegin(), prefixes.cend(),
                           [&topic](const QString& prefix) { return topic.startsWith(prefix); });
    };
    for (auto it = m_lastSeen.cbegin(); it != m_lastSeen.cend(); ++it) {
        if (matches(it.key()) && !names.contains(it.key()))
            names.append(it.key());
    }
    for (const Subscriber* subscriber : m_subscribers.all()) {
        for (const QString& topic : subscriber->topics()) {
            if (matches(topic) && !names.contains(topic))
                names.append(topic);
        }
    }
    return names;
}

void HubMonitor::collectEvents(HubSnapshot& snapshot)
{
    if (m_watchPatterns.isEmpty())
        return;
    for (const QString& topic : watchedTopicNames()) {
        const quint64 current = m_hub.currentSeq(topic);
        auto seen = m_lastSeen.find(topic);
        const bool initial = seen == m_lastSeen.end();
        if (initial) {
            const quint64 backlog = quint64(initialBacklog);
            seen = m_lastSeen.insert(topic, current > backlog ? current - backlog : 0);
        }
        quint64 since = *seen;
        if (current <= since)
            continue;
        if (current - since > quint64(maxEventsPerTopic)) {
            snapshot.eventsSkipped += current - since - quint64(maxEventsPerTopic);
            since = current - quint64(maxEventsPerTopic);
        }
        const Hub::Replay replay = m_hub.eventsAfter(topic, since);
        // The backlog of a topic watched anew is a courtesy: history that aged out is no loss.
        // Otherwise the newest events the history still holds are passed on, the rest counted.
        if (!replay.complete && !initial)
            snapshot.eventsSkipped += current - since - quint64(replay.events.size());
        for (const EventPtr& event : replay.events) {
            snapshot.events.append(TopicEvent{event->topic, event->seq, event->name,
                                              event->timestampMs, event->data.object()});
        }
        *seen = current;
    }
    // Publish order across topics, as near as the clock tells it (order within a topic kept).
    std::stable_sort(
        snapshot.events.begin(), snapshot.events.end(),
        [](const TopicEvent& a, const TopicEvent& b) { return a.timestampMs < b.timestampMs; });
}

qint64 HubMonitor::uptimeSeconds() const
{
    return m_startedAt.secsTo(QDateTime::currentDateTimeUtc());
}

void HubMonitor::setObserved(bool observed)
{
    if (observed && !m_observed)
        m_fullRequested = true; // a new observer starts from the whole picture
    m_observed = observed;
}

void HubMonitor::tick()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const double elapsed = double(now - m_lastTickMs) / 1000.0;
    if (elapsed > 0) {
        // Smoothed over about a second so the sparklines do not flicker at 10 Hz.
        const double alpha = std::min(1.0, elapsed);
        m_inRate += alpha * (double(m_metrics.messagesIn - m_lastIn) / elapsed - m_inRate);
        m_outRate += alpha * (double(m_metrics.messagesOut - m_lastOut) / elapsed - m_outRate);
    }
    m_lastTickMs = now;
    m_lastIn = m_metrics.messagesIn;
    m_lastOut = m_metrics.messagesOut;
    if (!m_observed) {
        m_removed.clear();
        return;
    }

    HubSnapshot snapshot;
    snapshot.full = m_fullRequested;
    snapshot.startedAt = m_startedAt;
    snapshot.listenAddress = m_identity.listenAddress;
    snapshot.tls = m_identity.tls;
    snapshot.authMode = m_identity.authMode;
    snapshot.activeConnections = m_subscribers.count();
    snapshot.topics = m_hub.topicCount();
    snapshot.counters = HubCounters{m_metrics.connectionsTotal,
                                    m_metrics.messagesIn,
                                    m_metrics.messagesOut,
                                    m_metrics.bytesIn,
                                    m_metrics.bytesOut,
                                    m_metrics.published,
                                    m_metrics.droppedSlowConsumers,
                                    m_metrics.rejectedConnections};
    snapshot.messagesInPerSecond = m_inRate;
    snapshot.messagesOutPerSecond = m_outRate;
    for (Subscriber* subscriber : m_subscribers.all()) {
        if (subscriber->takeChanged() || m_fullRequested) {
            snapshot.upserted.append(connectionInfo(*subscriber));
            snapshot.upserted.last().dialect = dialectOf(*subscriber);
        }
    }
    if (m_jobsChanged || m_fullRequested) {
        snapshot.jobsChanged = true;
        snapshot.jobs = m_jobs.list();
        m_jobsChanged = false;
    }
    collectEvents(snapshot);
    if (!m_fullRequested)
        snapshot.removed = QStringList(m_removed.cbegin(), m_removed.cend());
    m_removed.clear();
    m_fullRequested = false;
    emit snapshotReady(snapshot);
}

} // namespace switchboard
