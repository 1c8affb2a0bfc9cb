#include "MainWindow.h"

#include "ConnectionsPanel.h"
#include "HubHost.h"
#include "HubStatusBar.h"
#include "OverviewPanel.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>

namespace switchboard {

namespace {

// Bump when the default dock arrangement changes so old saved layouts are ignored.
constexpr int kLayoutVersion = 1;

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
    m_connectionsDock = addPanel(new ConnectionsPanel(host), Qt::RightDockWidgetArea);

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
    resize(1440, 860);
    resizeDocks({m_overviewDock, m_connectionsDock}, {300, 1140}, Qt::Horizontal);
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
