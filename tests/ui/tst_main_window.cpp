// The main window: one dock per panel with a View menu entry each, the listening address and
// errors in the status bar, and a dock layout that survives a restart.
// With SWITCHBOARD_SCREENSHOT=/path.png set, it also saves a picture of a busy console.

#include "HubHost.h"
#include "HubStatusBar.h"
#include "MainWindow.h"
#include "Sparkline.h"
#include "UiTesting.h"

#include <QDockWidget>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace switchboard;
using namespace switchboard::testing;
using namespace Qt::StringLiterals;

class tst_MainWindow : public QObject {
    Q_OBJECT

private:
    static QDockWidget* dock(const MainWindow& window, const QString& name)
    {
        return window.findChild<QDockWidget*>(name);
    }

    static HubSnapshot busyHub()
    {
        const QStringList users = {u"alice"_s, u"bob"_s,   u"carol"_s, u"dave"_s,
                                   u"erin"_s,  u"frank"_s, u"grace"_s, QString()};
        const QStringList endpoints = {u"/ws/v1"_s, u"/ws"_s, u"/api/v1/ws"_s, u"/ws/projects/42"_s,
                                       u"/ws/connect"_s};
        QList<ConnectionInfo> connections;
        for (int i = 0; i < 240; ++i) {
            ConnectionInfo info =
                connection(u"s-%1"_s.arg(4711 + i, 6, 10, QLatin1Char('0')),
                           users.at(i % users.size()), i % 3 ? u"acme"_s : u"globex"_s);
            info.role = info.user.isEmpty() ? QString()
                        : i % 11 == 0       ? u"admin"_s
                        : i % 7 == 0        ? u"service"_s
                                            : u"user"_s;
            info.remoteAddress = u"10.20.%1.%2:%3"_s.arg(i / 50).arg(i % 250 + 2).arg(40000 + i);
            info.endpoint = endpoints.at(i % endpoints.size());
            info.since = QDateTime::currentDateTimeUtc().addSecs(-(i * 97 % 20000) - 3);
            info.messagesIn = quint64(i * 37 % 1500);
            info.messagesOut = quint64(i * 7919 % 250000);
            info.bytesIn = info.messagesIn * 180;
            info.bytesOut = info.messagesOut * 420;
            info.topics = i % 4 ? QStringList{u"jobs"_s, u"trading"_s}
                                : QStringList{u"logs"_s, u"system_metrics"_s, u"room:sheet-7"_s};
            connections.append(info);
        }
        HubSnapshot snapshot = fullSnapshot(connections);
        snapshot.startedAt = QDateTime::currentDateTimeUtc().addSecs(-(2 * 3600 + 17 * 60));
        snapshot.listenAddress = u"0.0.0.0:8000"_s;
        snapshot.authMode = u"required"_s;
        snapshot.topics = 9;
        snapshot.counters.connectionsTotal = 1873;
        snapshot.counters.rejectedConnections = 12;
        snapshot.counters.droppedSlowConsumers = 1;
        snapshot.counters.messagesIn = 184223;
        snapshot.counters.messagesOut = 27934410;
        snapshot.counters.bytesIn = 33160140;
        snapshot.counters.bytesOut = 11732452200;
        snapshot.counters.published = 116389;
        snapshot.messagesInPerSecond = 41.3;
        snapshot.messagesOutPerSecond = 6210;
        return snapshot;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"Switchboard"_s);
        QCoreApplication::setApplicationName(u"switchboard-tst_main_window"_s);
        QVERIFY(useEnglish());
    }

    void init() { QSettings().clear(); }

    void hasOneDockPerPanel()
    {
        HubHost host{HubConfig{}};
        MainWindow window(host);

        QVERIFY(window.windowTitle().contains(u"Switchboard"_s));
        QDockWidget* overview = dock(window, u"overviewPanelDock"_s);
        QDockWidget* connections = dock(window, u"connectionsPanelDock"_s);
        QVERIFY(overview && connections);
        QCOMPARE(overview->windowTitle(), u"Overview"_s);
        QCOMPARE(connections->windowTitle(), u"Connections"_s);
        QCOMPARE(window.dockWidgetArea(overview), Qt::LeftDockWidgetArea);
        QCOMPARE(window.dockWidgetArea(connections), Qt::RightDockWidgetArea);

        QStringList menus;
        for (QAction* action : window.menuBar()->actions())
            menus.append(action->text());
        QCOMPARE(menus, (QStringList{u"&File"_s, u"&View"_s, u"&Help"_s}));
        QMenu* view = window.menuBar()->actions().at(1)->menu();
        const QStringList panels{u"overview"_s, u"settings"_s, u"tokens"_s,      u"trading"_s,
                                 u"system"_s,   u"jobs"_s,     u"connections"_s, u"rooms"_s,
                                 u"logs"_s,     u"client"_s,   u"traffic"_s,     u"topics"_s,
                                 u"alerts"_s};
        for (const QString& panel : panels) {
            QDockWidget* panelDock = dock(window, panel + u"PanelDock"_s);
            QVERIFY2(panelDock, qPrintable(panel));
            QVERIFY(!panelDock->windowTitle().isEmpty());
            QVERIFY(view->actions().contains(panelDock->toggleViewAction()));
        }
        // One entry per panel, a separator and "Reset layout".
        QCOMPARE(view->actions().size(), panels.size() + 2);
        QCOMPARE(window.findChildren<QDockWidget*>().size(), panels.size());
    }

    void statusBarShowsAddressAndErrors()
    {
        HubHost host{HubConfig{}};
        MainWindow window(host);
        auto* address = window.statusBar()->findChild<QLabel*>(u"statusAddress"_s);
        QVERIFY(address);

        HubSnapshot snapshot;
        snapshot.listenAddress = u"127.0.0.1:8443"_s;
        snapshot.tls = true;
        emit host.snapshotReady(snapshot);
        QCOMPARE(address->text(), u"Listening on wss://127.0.0.1:8443"_s);

        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.hubStatusBar()->errorText().isEmpty());
        window.showError(u"Redis unreachable"_s);
        auto* error = window.statusBar()->findChild<QLabel*>(u"statusError"_s);
        QVERIFY(error->isVisible());
        QCOMPARE(window.hubStatusBar()->errorText(), u"Redis unreachable"_s);
        window.hubStatusBar()->clearError();
        QVERIFY(!error->isVisible());
    }

    void panelsFollowTheHubsSnapshots()
    {
        HubHost host{HubConfig{}};
        MainWindow window(host);
        emit host.snapshotReady(busyHub());

        auto* table = window.findChild<QTableView*>(u"connectionsView"_s);
        QCOMPARE(table->model()->rowCount(), 240);
        QCOMPARE(window.findChild<QLabel*>(u"activeConnectionsValue"_s)->text(), u"240"_s);
    }

    void layoutSurvivesARestart()
    {
        {
            HubHost host{HubConfig{}};
            MainWindow window(host);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QDockWidget* overview = dock(window, u"overviewPanelDock"_s);
            window.addDockWidget(Qt::BottomDockWidgetArea, overview);
            dock(window, u"connectionsPanelDock"_s)->hide();
            window.close();
        }
        HubHost host{HubConfig{}};
        MainWindow window(host);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.dockWidgetArea(dock(window, u"overviewPanelDock"_s)),
                 Qt::BottomDockWidgetArea);
        QVERIFY(dock(window, u"connectionsPanelDock"_s)->isHidden());
    }

    void rendersABusyConsole()
    {
        HubHost host{HubConfig{}};
        MainWindow window(host);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const HubSnapshot snapshot = busyHub();
        emit host.snapshotReady(snapshot);
        // A minute of rates, as the sparklines would have collected them.
        auto* in = window.findChild<Sparkline*>(u"rateInChart"_s);
        auto* out = window.findChild<Sparkline*>(u"rateOutChart"_s);
        in->clear();
        out->clear();
        const Sparkline::Clock::time_point start = Sparkline::Clock::now();
        for (int i = 0; i <= 600; ++i) {
            const auto at = start + std::chrono::milliseconds(i * 100);
            in->addSample(30 + 12 * std::sin(i / 25.0) + (i % 17) * 0.6, at);
            out->addSample(5200 + 1400 * std::sin(i / 40.0 + 1) + (i % 23) * 25, at);
        }
        window.findChild<QTableView*>(u"connectionsView"_s)->selectRow(2);
        QCoreApplication::processEvents(); // pending relayouts after the new texts

        const QPixmap picture = window.grab();
        QVERIFY(!picture.isNull());
        const QString path = qEnvironmentVariable("SWITCHBOARD_SCREENSHOT");
        if (!path.isEmpty())
            QVERIFY(picture.save(path));
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_main_window.moc"
