#pragma once

// The console's main window: builds the panel docks, the menus and the status bar, wires
// them to the hub, keeps the dock layout between runs, and stops the hub when it closes.
// Panels hold the logic.

#include <QMainWindow>

class QDockWidget;
class QMenu;

namespace switchboard {

class HubHost;
class HubStatusBar;
class TrayController;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(HubHost& host, QWidget* parent = nullptr);

    HubStatusBar* hubStatusBar() const { return m_statusBar; }
    TrayController* trayController() const { return m_tray; }
    // Docks back in their default places and sizes.
    void resetLayout();

public slots:
    void showError(const QString& message);

protected:
    // Saves the layout and shuts the hub down gracefully (clients get close 1001).
    void closeEvent(QCloseEvent* event) override;

private:
    // A panel is a QWidget with an objectName and a windowTitle; it wires itself to the hub.
    QDockWidget* addPanel(QWidget* panel, Qt::DockWidgetArea area);
    void createMenus();
    void restoreLayout();
    void defaultLayout();
    void saveLayout() const;
    void showAbout();

    HubHost& m_host;
    HubStatusBar* m_statusBar = nullptr;
    QMenu* m_panelsMenu = nullptr;
    QDockWidget* m_overviewDock = nullptr;
    QDockWidget* m_connectionsDock = nullptr;
    QDockWidget* m_settingsDock = nullptr;
    QDockWidget* m_tokensDock = nullptr;
    QDockWidget* m_tradingDock = nullptr;
    QDockWidget* m_systemDock = nullptr;
    QDockWidget* m_jobsDock = nullptr;
    QDockWidget* m_roomsDock = nullptr;
    QDockWidget* m_logsDock = nullptr;
    QDockWidget* m_clientDock = nullptr;
    QDockWidget* m_trafficDock = nullptr;
    QDockWidget* m_topicsDock = nullptr;
    QDockWidget* m_alertsDock = nullptr;
    TrayController* m_tray = nullptr;
};

} // namespace switchboard
