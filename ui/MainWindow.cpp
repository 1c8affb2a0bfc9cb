#include "MainWindow.h"

#include "AlertsPanel.h"
#include "ClientPanel.h"
#include "ConnectionsPanel.h"
#include "HubHost.h"
#include "HubStatusBar.h"
#include "JobsPanel.h"
#include "LogsPanel.h"
#include "OverviewPanel.h"
#include "RoomsPanel.h"
#include "SettingsPanel.h"
#include "SystemPanel.h"
#include "TokensPanel.h"
#include "TopicsPanel.h"
#include "TradingPanel.h"
#include "TrafficPanel.h"
#include "TrayController.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>

namespace switchboard {

namespace {

// Bump when the default dock arrangement changes so old saved layouts are ignored.
constexpr int kLayoutVersion = 3;

const QString geometryKey = QStringLiteral("mainWindow/geometry");
const QString stateKey = QStringLiteral("mainWindow/state");

} // namespace

MainWindow::MainWindow(HubHost& host, QWidget* parent)
    : QMainWindow(parent)
    , m_host(host)
    , m_statusBar(new HubStatusBar(host, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Switchboard"));
    setStatusBar(m_statusBar);
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);
    // Every panel is a dock; the central area is an empty placeholder the docks cover.
    auto* placeholder = new QWidget(this);
    placeholder->setMaximumSize(0, 0);
    setCentralWidget(placeholder);
    createMenus();

    m_overviewDock = addPanel(new OverviewPanel(host), Qt::LeftDockWidgetArea);
    m_settingsDock = addPanel(new SettingsPanel(host), Qt::LeftDockWidgetArea);
    m_tokensDock = addPanel(new TokensPanel(host), Qt::LeftDockWidgetArea);
    m_tradingDock = addPanel(new TradingPanel(host), Qt::RightDockWidgetArea);
    m_systemDock = addPanel(new SystemPanel(host), Qt::RightDockWidgetArea);
    m_jobsDock = addPanel(new JobsPanel(host), Qt::RightDockWidgetArea);
    m_connectionsDock = addPanel(new ConnectionsPanel(host), Qt::RightDockWidgetArea);
    m_roomsDock = addPanel(new RoomsPanel(host), Qt::RightDockWidgetArea);
    m_logsDock = addPanel(new LogsPanel(host), Qt::RightDockWidgetArea);
    m_clientDock = addPanel(new ClientPanel(host), Qt::RightDockWidgetArea);
    m_trafficDock = addPanel(new TrafficPanel(host), Qt::RightDockWidgetArea);
    m_topicsDock = addPanel(new TopicsPanel(host), Qt::RightDockWidgetArea);
    m_alertsDock = addPanel(new AlertsPanel(host), Qt::RightDockWidgetArea);
    m_panelsMenu->addSeparator();
    m_panelsMenu->addAction(tr("&Reset layout"), this, &MainWindow::resetLayout);

    // Alerts go to the tray, and the critical ones stay in the status bar until dismissed.
    m_tray = new TrayController(host, this, this);
    connect(m_tray, &TrayController::alertRaised, this,
            [this](const QString& title, const QString& message, bool critical) {
                if (critical)
                    m_statusBar->showError(title + QStringLiteral(": ") + message);
            });

    restoreLayout();

    // A shutdown asked for over HTTP ends the console the same way as closing its window.
    connect(&host, &HubHost::shutdownRequested, this, &QWidget::close);
}

QDockWidget* MainWindow::addPanel(QWidget* panel, Qt::DockWidgetArea area)
{
    Q_ASSERT(!panel->objectName().isEmpty()); // saveState() finds docks by name
    auto* dock = new QDockWidget(panel->windowTitle(), this);
    dock->setObjectName(panel->objectName() + QStringLiteral("Dock"));
    dock->setWidget(panel);
    addDockWidget(area, dock);
    m_panelsMenu->addAction(dock->toggleViewAction());
    return dock;
}

void MainWindow::createMenus()
{
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    m_panelsMenu = menuBar()->addMenu(tr("&View"));

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About Switchboard"), this, &MainWindow::showAbout)
        ->setMenuRole(QAction::AboutRole);
    helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
        ->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::restoreLayout()
{
    const QSettings settings;
    const bool restored = restoreGeometry(settings.value(geometryKey).toByteArray()) &&
                          restoreState(settings.value(stateKey).toByteArray(), kLayoutVersion);
    if (restored)
        return;
    defaultLayout();
    // After the docks are placed: re-adding them grows the window to the sum of their hints.
    resize(1440, 900);
}

void MainWindow::defaultLayout()
{
    // Left: the hub (overview, settings, tokens). Middle: trading and system above, jobs,
    // connections and rooms below. Right: logs and the client.
    const QList<QDockWidget*> docks = findChildren<QDockWidget*>();
    for (QDockWidget* dock : docks) {
        dock->setFloating(false);
        dock->show();
    }
    addDockWidget(Qt::LeftDockWidgetArea, m_overviewDock);
    tabifyDockWidget(m_overviewDock, m_settingsDock);
    tabifyDockWidget(m_overviewDock, m_tokensDock);
    addDockWidget(Qt::RightDockWidgetArea, m_tradingDock);
    splitDockWidget(m_tradingDock, m_logsDock, Qt::Horizontal);
    splitDockWidget(m_tradingDock, m_jobsDock, Qt::Vertical);
    tabifyDockWidget(m_tradingDock, m_systemDock);
    tabifyDockWidget(m_tradingDock, m_trafficDock);
    tabifyDockWidget(m_jobsDock, m_connectionsDock);
    tabifyDockWidget(m_jobsDock, m_topicsDock);
    tabifyDockWidget(m_jobsDock, m_alertsDock);
    tabifyDockWidget(m_jobsDock, m_roomsDock);
    tabifyDockWidget(m_logsDock, m_clientDock);
    m_overviewDock->raise();
    m_tradingDock->raise();
    m_jobsDock->raise();
    m_logsDock->raise();
    resizeDocks({m_overviewDock, m_tradingDock, m_logsDock}, {330, 700, 410}, Qt::Horizontal);
    resizeDocks({m_tradingDock, m_jobsDock}, {500, 330}, Qt::Vertical);
    // Sizes given before the window is laid out are only a hint; apply them once it is.
    QTimer::singleShot(0, this, [this] {
        resizeDocks({m_overviewDock, m_tradingDock, m_logsDock}, {330, 700, 410}, Qt::Horizontal);
        resizeDocks({m_tradingDock, m_jobsDock}, {500, 330}, Qt::Vertical);
    });
}

void MainWindow::resetLayout()
{
    defaultLayout();
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(geometryKey, saveGeometry());
    settings.setValue(stateKey, saveState(kLayoutVersion));
}

void MainWindow::showError(const QString& message)
{
    m_statusBar->showError(message);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Switchboard"),
        tr("<h3>Switchboard %1</h3>"
           "<p>A monitoring console with a built-in WebSocket and HTTP hub.</p>"
           "<p>Built with Qt %2.</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveLayout();
    // Hidden first: the graceful stop may take a moment while the last frames drain.
    hide();
    m_host.stop();
    event->accept();
}

} // namespace switchboard
