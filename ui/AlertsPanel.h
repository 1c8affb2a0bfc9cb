#pragma once

// The Alerts dock (SPEC §13): the alerts that fire and fired (newest first, with who
// acknowledged them) and the rules that raise them, edited in place: a threshold on any series
// of the hub for a duration, a severity and an optional webhook. Saving sends the whole set to
// the hub, which checks every field and keeps them in SQLite; a refused field is named below
// the table. Firing alerts also reach the tray (TrayController).

#include "monitor/HubSnapshot.h"

#include <QJsonArray>
#include <QWidget>

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;
class QTableWidget;

namespace switchboard {

class HubHost;
struct JsonResult;

class AlertsPanel : public QWidget {
    Q_OBJECT

public:
    enum RuleColumn {
        IdColumn,
        MetricColumn,
        OpColumn,
        ThresholdColumn,
        ForColumn,
        SeverityColumn,
        WebhookColumn,
        SummaryColumn,
        RuleColumnCount
    };

    explicit AlertsPanel(HubHost& host, QWidget* parent = nullptr);

    int alertCount() const;
    int firingCount() const { return m_firing; }
    int ruleCount() const;
    QString ruleError() const;
    // The rules as the table holds them, as JSON (what Save sends).
    QJsonArray rulesFromTable() const;

public slots:
    void applySnapshot(const switchboard::HubSnapshot& snapshot);
    void refresh();
    void addRule(const QJsonObject& rule = {});
    void saveRules();
    void acknowledgeSelected();

signals:
    void rulesSaved(bool ok);

private:
    void showAlerts(const QJsonObject& alerts);
    void showRules(const QJsonArray& rules);

    HubHost& m_host;
    QStandardItemModel* m_alerts = nullptr;
    QTableView* m_alertsView = nullptr;
    QTableWidget* m_rules = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_ruleError = nullptr;
    QPushButton* m_ack = nullptr;
    quint64 m_seenVersion = 0;
    int m_firing = 0;
    bool m_rulesEdited = false;
    bool m_filling = false;
};

} // namespace switchboard
