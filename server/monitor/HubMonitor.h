#pragma once

// The read-only view of the hub that the console and the stats routes use: coalesces what
// changed into a HubSnapshot at a fixed interval (at most ten a second) and computes rates.

#include "HubSnapshot.h"

#include <QDateTime>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <chrono>

namespace switchboard {

class Hub;
class HubMetrics;
class Sessions;

class HubMonitor : public QObject {
    Q_OBJECT

public:
    struct Identity {
        QString listenAddress;
        bool tls = false;
        QString authMode;
    };

    HubMonitor(const Sessions& sessions, const Hub& hub, const HubMetrics& metrics,
               std::chrono::milliseconds interval, QObject* parent = nullptr);

    void setServerIdentity(Identity identity) { m_identity = std::move(identity); }
    void start();
    // The next snapshot lists every connection.
    void requestFull() { m_fullRequested = true; }

    QDateTime startedAt() const { return m_startedAt; }
    double messagesInPerSecond() const { return m_inRate; }
    double messagesOutPerSecond() const { return m_outRate; }
    qint64 uptimeSeconds() const;

signals:
    void snapshotReady(const switchboard::HubSnapshot& snapshot);

private:
    void tick();

    const Sessions& m_sessions;
    const Hub& m_hub;
    const HubMetrics& m_metrics;
    QTimer m_timer;
    Identity m_identity;
    QDateTime m_startedAt;
    QSet<QString> m_removed;
    bool m_fullRequested = true;

    qint64 m_lastTickMs = 0;
    quint64 m_lastIn = 0;
    quint64 m_lastOut = 0;
    double m_inRate = 0;
    double m_outRate = 0;
};

} // namespace switchboard
