// The console against the real hub over real sockets: a client that connects shows up in
// the Connections panel, Disconnect closes it with 1008 (policy) and its row goes away, and
// closing the window, or the hub being asked to shut down, stops the hub gracefully (1001 to
// every client).

#include "ConnectionsModel.h"
#include "ConnectionsPanel.h"
#include "HubHost.h"
#include "MainWindow.h"
#include "UiTesting.h"

#include <QAction>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace switchboard;
using namespace switchboard::testing;
using namespace Qt::StringLiterals;

class tst_ConsoleWithHub : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dataDir;

    HubConfig config() const
    {
        HubConfig config;
        config.bindAddress = QHostAddress::LocalHost;
        config.port = 0;
        config.authMode = AuthMode::Off;
        config.dataDir = m_dataDir.path();
        return config;
    }

    static QUrl nativeEndpoint(const HubHost& host)
    {
        return QUrl(u"ws://127.0.0.1:%1/ws/v1"_s.arg(host.port()));
    }

    static QString cell(const QTableView* view, int row, int column)
    {
        return view->model()->index(row, column).data().toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dataDir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(useEnglish());
    }

    void disconnectClosesTheClientWithPolicyAndDropsItsRow()
    {
        HubHost host(config());
        ConnectionsPanel panel(host);
        const std::optional<QString> error = host.start();
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        auto* view = panel.findChild<QTableView*>(u"connectionsView"_s);
        auto* disconnect = panel.findChild<QAction*>(u"disconnectAction"_s);

        QWebSocket client;
        QSignalSpy connected(&client, &QWebSocket::connected);
        QSignalSpy disconnected(&client, &QWebSocket::disconnected);
        client.open(nativeEndpoint(host));
        QVERIFY(connected.wait());

        QTRY_COMPARE(view->model()->rowCount(), 1);
        QCOMPARE(cell(view, 0, ConnectionsModel::EndpointColumn), u"/ws/v1"_s);
        QCOMPARE(cell(view, 0, ConnectionsModel::RemoteAddressColumn),
                 u"127.0.0.1:%1"_s.arg(client.localPort()));

        view->selectRow(0);
        QVERIFY(disconnect->isEnabled());
        disconnect->trigger();

        QVERIFY(disconnected.wait());
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        QTRY_COMPARE(view->model()->rowCount(), 0);
        QVERIFY(!disconnect->isEnabled());
        host.stop();
    }

    void theConsoleStopsTheHubGracefully_data()
    {
        QTest::addColumn<bool>("shutdownRequested");
        QTest::newRow("the window is closed") << false;
        // What POST /api/v1/ws/shutdown makes the hub emit.
        QTest::newRow("the hub is asked to shut down") << true;
    }

    void theConsoleStopsTheHubGracefully()
    {
        QFETCH(bool, shutdownRequested);
        HubHost host(config());
        MainWindow window(host);
        const std::optional<QString> error = host.start();
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QWebSocket client;
        QSignalSpy connected(&client, &QWebSocket::connected);
        QSignalSpy disconnected(&client, &QWebSocket::disconnected);
        client.open(nativeEndpoint(host));
        QVERIFY(connected.wait());
        auto* active = window.findChild<QLabel*>(u"activeConnectionsValue"_s);
        QTRY_COMPARE(active->text(), u"1"_s);
        auto* address = window.findChild<QLabel*>(u"statusAddress"_s);
        QCOMPARE(address->text(), u"Listening on ws://127.0.0.1:%1"_s.arg(host.port()));

        if (shutdownRequested)
            emit host.shutdownRequested();
        else
            window.close();

        QVERIFY(!window.isVisible());
        QVERIFY(!host.isRunning());
        QTRY_VERIFY(!disconnected.isEmpty());
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    }
};

QTEST_MAIN(tst_ConsoleWithHub)
#include "tst_console_with_hub.moc"
