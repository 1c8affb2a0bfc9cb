#pragma once

// The Traffic dock: connections, messages in and out per second, and jobs running and queued,
// each a chart that opens with the hub's history (SPEC §13) and has its own time range.

#include <QWidget>

namespace switchboard {

class HistoryChart;
class HubHost;

class TrafficPanel : public QWidget {
    Q_OBJECT

public:
    explicit TrafficPanel(HubHost& host, QWidget* parent = nullptr);

    HistoryChart* connectionsChart() const { return m_connections; }
    HistoryChart* messagesChart() const { return m_messages; }
    HistoryChart* jobsChart() const { return m_jobs; }

private:
    HistoryChart* m_connections = nullptr;
    HistoryChart* m_messages = nullptr;
    HistoryChart* m_jobs = nullptr;
};

} // namespace switchboard
