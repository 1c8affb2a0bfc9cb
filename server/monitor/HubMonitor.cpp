#include "HubMonitor.h"

#include "../hub/Hub.h"
#include "../net/Session.h"
#include "../net/Sessions.h"
#include "HubMetrics.h"

namespace switchboard {

HubMonitor::HubMonitor(const Sessions& sessions, const Hub& hub, const HubMetrics& metrics,
                       std::chrono::milliseconds interval, QObject* parent)
    : QObject(parent)
    , m_sessions(sessions)
    , m_hub(hub)
    , m_metrics(metrics)
    , m_startedAt(QDateTime::currentDateTimeUtc())
{
    m_timer.setInterval(interval);
    connect(&m_timer, &QTimer::timeout, this, &HubMonitor::tick);
    connect(&sessions, &Sessions::removed, this,
            [this](const QString& id) { m_removed.insert(id); });
    connect(&sessions, &Sessions::added, this, [this](const QString& id) { m_removed.remove(id); });
}

void HubMonitor::start()
{
    m_lastTickMs = QDateTime::currentMSecsSinceEpoch();
    m_timer.start();
    tick();
}

qint64 HubMonitor::uptimeSeconds() const
{
    return m_startedAt.secsTo(QDateTime::currentDateTimeUtc());
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

    HubSnapshot snapshot;
    snapshot.full = m_fullRequested;
    snapshot.startedAt = m_startedAt;
    snapshot.listenAddress = m_identity.listenAddress;
    snapshot.tls = m_identity.tls;
    snapshot.authMode = m_identity.authMode;
    snapshot.activeConnections = m_sessions.count();
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
    for (Session* session : m_sessions.all()) {
        if (session->takeChanged() || m_fullRequested)
            snapshot.upserted.append(session->info());
    }
    if (!m_fullRequested)
        snapshot.removed = QStringList(m_removed.cbegin(), m_removed.cend());
    m_removed.clear();
    m_fullRequested = false;
    emit snapshotReady(snapshot);
}

} // namespace switchboard
