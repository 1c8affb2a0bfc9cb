#include "TrayController.h"

#include "HubHost.h"

#include <QApplication>
#include <QDateTime>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QWidget>

namespace switchboard {

namespace {

const QStringList alertTopics{QStringLiteral("status"), QStringLiteral("trading")};
constexpr qint64 staleAfterMs = 60'000;
constexpr qint64 sameHardStopMs = 10'000;

} // namespace

TrayController::TrayController(HubHost& host, QWidget* window, QObject* parent)
    : QObject(parent)
    , m_host(host)
    , m_window(window)
{
    setObjectName(QStringLiteral("trayController"));
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(tr("Switchboard"));
        m_menu = new QMenu;
        m_menu->addAction(tr("Show Switchboard"), this, [this] {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
        });
        m_menu->addSeparator();
        m_menu->addAction(tr("Quit"), m_window, &QWidget::close);
        m_tray->setContextMenu(m_menu);
        connect(m_tray, &QSystemTrayIcon::activated, this,
                [this](QSystemTrayIcon::ActivationReason reason) {
                    if (reason == QSystemTrayIcon::Trigger) {
                        m_window->showNormal();
                        m_window->raise();
                        m_window->activateWindow();
                    }
                });
        m_tray->show();
    }
    host.watchTopics(alertTopics);
    connect(&host, &HubHost::snapshotReady, this, &TrayController::applySnapshot);
}

TrayController::~TrayController()
{
    m_host.unwatchTopics(alertTopics);
    delete m_menu;
}

bool TrayController::trayVisible() const
{
    return m_tray && m_tray->isVisible();
}

void TrayController::applySnapshot(const HubSnapshot& snapshot)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const TopicEvent& event : snapshot.events) {
        const bool recent = now - event.timestampMs < staleAfterMs;
        if (event.topic == QLatin1String("trading") &&
            event.event == QLatin1String("risk_status_update")) {
            const QString status = event.data.value(QLatin1String("status")).toString();
            const bool entered = status == QLatin1String("hard_stop") && m_riskStatus != status;
            m_riskStatus = status;
            if (entered && recent && event.timestampMs - m_lastHardStopMs > sameHardStopMs) {
                m_lastHardStopMs = event.timestampMs;
                raiseAlert(tr("Trading hard stop"),
                           event.data.value(QLatin1String("message")).toString(), true);
            }
        } else if (event.topic == QLatin1String("status") &&
                   event.event == QLatin1String("system_alert") && recent) {
            const QString type = event.data.value(QLatin1String("alert_type")).toString();
            if (type == QLatin1String("risk_hard_stop")) {
                if (event.timestampMs - m_lastHardStopMs <= sameHardStopMs)
                    continue;
                m_lastHardStopMs = event.timestampMs;
            }
            const bool critical =
                event.data.value(QLatin1String("severity")).toString() == QLatin1String("critical");
            const QString rule = event.data.value(QLatin1String("rule_id")).toString();
            raiseAlert(type == QLatin1String("disk_space")       ? tr("Disk space")
                       : type == QLatin1String("risk_hard_stop") ? tr("Trading hard stop")
                       : type == QLatin1String("rule")           ? tr("Alert: %1").arg(rule)
                                                                 : tr("System alert"),
                       event.data.value(QLatin1String("message")).toString(), critical);
        }
    }
}

void TrayController::raiseAlert(const QString& title, const QString& message, bool critical)
{
    ++m_alertCount;
    m_lastTitle = title;
    m_lastMessage = message;
    if (m_tray)
        m_tray->showMessage(title, message,
                            critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning,
                            15'000);
    emit alertRaised(title, message, critical);
}

} // namespace switchboard
