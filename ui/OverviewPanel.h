#pragma once

// The Overview dock: where the hub listens, how it is secured, how long it has run, its
// counters, a one-minute sparkline of the message rate in each direction, and the cluster it
// is a node of (SPEC §12): its nodes with their load, and the state of each Redis.

#include "monitor/HubSnapshot.h"

#include <QDateTime>
#include <QTimer>
#include <QWidget>

class QFormLayout;
class QLabel;
class QTableWidget;
class QVBoxLayout;

namespace switchboard {

class HubHost;
class Sparkline;

class OverviewPanel : public QWidget {
    Q_OBJECT

public:
    explicit OverviewPanel(HubHost& host, QWidget* parent = nullptr);

public slots:
    void applySnapshot(const switchboard::HubSnapshot& snapshot);

private:
    QFormLayout* addSection(QVBoxLayout* layout, const QString& title);
    QLabel* addValue(QFormLayout* form, const QString& label, const QString& objectName);
    Sparkline* addRate(QFormLayout* form, const QString& label, const QString& objectName,
                       QLabel** value);
    void updateUptime();
    void applyCluster(const std::optional<ClusterInfo>& cluster);

    QDateTime m_startedAt;
    QTimer m_uptimeTimer;

    QLabel* m_address = nullptr;
    QLabel* m_tls = nullptr;
    QLabel* m_auth = nullptr;
    QLabel* m_uptime = nullptr;

    QLabel* m_activeConnections = nullptr;
    QLabel* m_acceptedConnections = nullptr;
    QLabel* m_rejectedConnections = nullptr;
    QLabel* m_droppedConnections = nullptr;

    QLabel* m_messagesIn = nullptr;
    QLabel* m_messagesOut = nullptr;
    QLabel* m_bytesIn = nullptr;
    QLabel* m_bytesOut = nullptr;
    QLabel* m_published = nullptr;
    QLabel* m_topics = nullptr;

    QLabel* m_rateIn = nullptr;
    QLabel* m_rateOut = nullptr;
    Sparkline* m_rateInChart = nullptr;
    Sparkline* m_rateOutChart = nullptr;

    QLabel* m_clusterState = nullptr;
    QLabel* m_redisState = nullptr;
    QTableWidget* m_nodes = nullptr;
};

} // namespace switchboard
