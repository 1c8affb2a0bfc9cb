#pragma once

// The System dock (topic `system_metrics`): CPU and memory use and network throughput from the
// hub's history (SPEC §13), and the disk use of the data dir. The console counts as a watcher,
// so the hub samples the system while this panel exists, with or without remote subscribers.

#include "monitor/HubSnapshot.h"

#include <QWidget>

class QLabel;

namespace switchboard {

class HubHost;
class HistoryChart;

class SystemPanel : public QWidget {
    Q_OBJECT

public:
    explicit SystemPanel(HubHost& host, QWidget* parent = nullptr);
    ~SystemPanel() override;

    HistoryChart* usageChart() const { return m_usage; }
    HistoryChart* networkChart() const { return m_network; }

public slots:
    void applySnapshot(const switchboard::HubSnapshot& snapshot);

private:
    HubHost& m_host;
    HistoryChart* m_usage = nullptr;
    HistoryChart* m_network = nullptr;
    int m_cpu = -1;
    int m_memory = -1;
    int m_in = -1;
    int m_out = -1;
    QLabel* m_summary = nullptr;
};

} // namespace switchboard
