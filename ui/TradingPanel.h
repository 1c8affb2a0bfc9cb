#pragma once

// The Trading dock (topic `trading`): equity and peak equity from the hub's history (15 min,
// 1 h or 24 h, SPEC §13), the
// open positions, and a risk badge coloured by status (normal, soft pause, hard stop) with
// the drawdown and the daily loss. Fed by the events in the hub's snapshots.

#include "monitor/HubSnapshot.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace switchboard {

class HubHost;
class HistoryChart;

class TradingPanel : public QWidget {
    Q_OBJECT

public:
    explicit TradingPanel(HubHost& host, QWidget* parent = nullptr);
    ~TradingPanel() override;

    HistoryChart* equityChart() const { return m_chart; }
    QString riskStatus() const { return m_status; }
    int positionCount() const;

    static QString riskStatusText(const QString& status);

public slots:
    void applySnapshot(const switchboard::HubSnapshot& snapshot);
    void applyEvent(const switchboard::TopicEvent& event);

signals:
    // The risk status changed ("normal", "soft_pause", "hard_stop").
    void riskStatusChanged(const QString& status, const QString& message);

private:
    void updatePosition(const QJsonObject& position);
    void updateRisk(const QJsonObject& risk);

    HubHost& m_host;
    HistoryChart* m_chart = nullptr;
    int m_equitySeries = -1;
    int m_peakSeries = -1;
    QLabel* m_equity = nullptr;
    QLabel* m_badge = nullptr;
    QLabel* m_drawdown = nullptr;
    QLabel* m_dailyLoss = nullptr;
    QLabel* m_riskMessage = nullptr;
    QTableWidget* m_positions = nullptr;
    QString m_status;
};

// A number sent either as a JSON number or as a decimal string ("1234.50").
double numberOf(const QJsonValue& value, double fallback = 0.0);

} // namespace switchboard
