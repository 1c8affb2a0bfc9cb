#pragma once

// The tray icon and its alerts: a `system_alert` on topic `status` (disk nearly full, a risk
// hard stop) and a trading `risk_status_update` that enters hard_stop each raise a tray
// message, once (the demo book reports a hard stop both ways). Events older than a minute
// (the backlog the console gets when it starts) are history, not alerts. Where the platform
// has no tray (offscreen, some desktops) the alert is still counted and signalled, and the
// window shows it.

#include "monitor/HubSnapshot.h"

#include <QObject>

class QMenu;
class QSystemTrayIcon;
class QWidget;

namespace switchboard {

class HubHost;

class TrayController : public QObject {
    Q_OBJECT

public:
    TrayController(HubHost& host, QWidget* window, QObject* parent = nullptr);
    ~TrayController() override;

    int alertCount() const { return m_alertCount; }
    QString lastAlertTitle() const { return m_lastTitle; }
    QString lastAlertMessage() const { return m_lastMessage; }
    bool trayVisible() const;

public slots:
    void applySnapshot(const switchboard::HubSnapshot& snapshot);

signals:
    void alertRaised(const QString& title, const QString& message, bool critical);

private:
    void raiseAlert(const QString& title, const QString& message, bool critical);

    HubHost& m_host;
    QWidget* m_window = nullptr;
    QSystemTrayIcon* m_tray = nullptr;
    QMenu* m_menu = nullptr;
    int m_alertCount = 0;
    QString m_lastTitle;
    QString m_lastMessage;
    QString m_riskStatus;
    qint64 m_lastHardStopMs = 0;
};

} // namespace switchboard
