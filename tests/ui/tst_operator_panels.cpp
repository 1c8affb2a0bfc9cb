// The console's views of SPEC §13 against a real hub over real sockets: charts open with the
// hub's history and change range; the Topics dock lists a topic and shows its last events as
// they move; the Alerts dock refuses a bad rule naming the field, saves good ones, shows a
// firing alert that the tray raises, and acknowledges it; a connection's detail shows its
// dialect, queue and token expiry, and "Slowest first" sorts by queue; the Logs dock filters
// by the hub's log fields; every table exports what it shows as CSV.

#include "AlertsPanel.h"
#include "ConnectionDetail.h"
#include "ConnectionsModel.h"
#include "ConnectionsPanel.h"
#include "HistoryChart.h"
#include "HubHost.h"
#include "LogsPanel.h"
#include "SettingsPanel.h"
#include "TableExport.h"
#include "TopicsPanel.h"
#include "TrafficPanel.h"
#include "TrayController.h"
#include "UiTesting.h"

#include <QBuffer>
#include <QEventLoop>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace switchboard;
using namespace switchboard::testing;
using namespace Qt::StringLiterals;

class tst_OperatorPanels : public QObject {
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

    // Points the hub holds for `name` in the last 15 minutes, asked as the console asks.
    static int pointsOf(HubHost& host, const QString& name)
    {
        QEventLoop loop;
        int points = -1;
        host.series({name}, u"15m"_s, [&](const JsonResult& result) {
            points = int(result.value.toObject().value(name).toArray().size());
            loop.quit();
        });
        if (points < 0)
            loop.exec();
        return points;
    }

    // Waits until the hub has taken `samples` more samples of its series.
    static bool waitForSamples(HubHost& host, int samples)
    {
        QSignalSpy spy(&host, &HubHost::snapshotReady);
        qint64 first = 0;
        int seen = 0;
        QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired()) {
            if (!spy.wait(500))
                continue;
            for (const QList<QVariant>& args : std::as_const(spy)) {
                const qint64 ms = args.at(0).value<HubSnapshot>().seriesSampleMs;
                if (ms == 0)
                    continue;
                if (first == 0)
                    first = ms;
                else if (ms > first)
                    ++seen;
                first = std::max(first, ms);
            }
            spy.clear();
            if (seen >= samples)
                return true;
        }
        return false;
    }

    static void start(HubHost& host)
    {
        const std::optional<QString> error = host.start();
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dataDir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(useEnglish());
    }

    void chartsOpenWithTheHubsHistory()
    {
        HubHost host(config());
        start(host);
        // A client connected before the panel exists: the chart still shows it.
        QWebSocket client;
        client.open(QUrl(u"ws://127.0.0.1:%1/ws/v1"_s.arg(host.port())));
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        QObject observer; // snapshots flow while something receives them
        connect(&host, &HubHost::snapshotReady, &observer, [] {});
        QTRY_VERIFY_WITH_TIMEOUT(pointsOf(host, u"connections"_s) >= 2, 10000);
        TrafficPanel panel(host);
        HistoryChart* chart = panel.connectionsChart();
        QSignalSpy reloaded(chart, &HistoryChart::reloaded);
        QVERIFY(reloaded.wait(5000));
        QVERIFY2(chart->pointCount(0) >= 2, qPrintable(QString::number(chart->pointCount(0))));
        QCOMPARE(chart->lastValue(0), 1.0);
        // Another range asks the hub again; pause holds the picture.
        chart->setRange(u"1h"_s);
        QVERIFY(reloaded.wait(5000));
        QVERIFY(chart->pointCount(0) >= 1);
        chart->setPaused(true);
        const int held = chart->pointCount(0);
        QVERIFY(waitForSamples(host, 2));
        QCOMPARE(chart->pointCount(0), held);
        chart->setPaused(false);
        QVERIFY(reloaded.wait(5000));
        QTemporaryDir out;
        QVERIFY(chart->savePng(out.filePath(u"chart.png"_s)));
        QVERIFY(QImage(out.filePath(u"chart.png"_s)).width() > 0);
    }

    void theTopicsDockShowsATopicAndItsLastEvents()
    {
        HubHost host(config());
        TopicsPanel panel(host);
        start(host);
        host.publish(u"orders"_s, u"order_placed"_s, {{u"id"_s, 1}, {u"symbol"_s, u"BTC"_s}});
        QTRY_VERIFY_WITH_TIMEOUT(panel.topicCount() >= 1, 5000);
        panel.selectTopic(u"orders"_s);
        QTRY_VERIFY_WITH_TIMEOUT(panel.eventsText().contains(u"order_placed"_s), 5000);
        QVERIFY(panel.eventsText().contains(u"\"symbol\": \"BTC\""_s)); // pretty-printed
        host.publish(u"orders"_s, u"order_filled"_s, {{u"id"_s, 1}});
        QTRY_VERIFY_WITH_TIMEOUT(panel.eventsText().contains(u"order_filled"_s), 5000);
        auto* view = panel.findChild<QTableView*>(u"topicsView"_s);
        const QString csv = TableExport::csv(*view->model());
        QVERIFY(csv.startsWith(u"Topic,Subscribers,By dialect,Seq,"_s));
        QVERIFY(csv.contains(u"\r\norders,"_s));
    }

    void theAlertsDockSavesRulesAndShowsWhatFires()
    {
        HubHost host(config());
        QWidget window;
        AlertsPanel panel(host);
        TrayController tray(host, &window);
        start(host);
        QSignalSpy saved(&panel, &AlertsPanel::rulesSaved);
        panel.addRule({{u"id"_s, u"bad"_s},
                       {u"metric"_s, u"no_such_series"_s},
                       {u"op"_s, u">"_s},
                       {u"threshold"_s, 1}});
        panel.saveRules();
        QVERIFY(saved.wait(5000));
        QCOMPARE(saved.last().at(0).toBool(), false);
        QVERIFY2(panel.ruleError().contains(u"rules[0].metric"_s), qPrintable(panel.ruleError()));

        auto* rules = panel.findChild<QTableWidget*>(u"rulesTable"_s);
        rules->setRowCount(0);
        panel.addRule({{u"id"_s, u"topics-exist"_s},
                       {u"metric"_s, u"topics"_s},
                       {u"op"_s, u">="_s},
                       {u"threshold"_s, 0},
                       {u"severity"_s, u"critical"_s},
                       {u"summary"_s, u"The hub has topics"_s}});
        panel.saveRules();
        QVERIFY(saved.wait(5000));
        QCOMPARE(saved.last().at(0).toBool(), true);
        QVERIFY(panel.ruleError().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(panel.firingCount(), 1, 8000);
        QTRY_VERIFY_WITH_TIMEOUT(tray.alertCount() >= 1, 5000);
        QCOMPARE(tray.lastAlertTitle(), u"Alert: topics-exist"_s);
        QVERIFY(tray.lastAlertMessage().contains(u"The hub has topics"_s));

        auto* alerts = panel.findChild<QTableView*>(u"alertsView"_s);
        alerts->selectRow(0);
        panel.acknowledgeSelected();
        QTRY_COMPARE_WITH_TIMEOUT(alerts->model()->index(0, 5).data().toString(), u"console"_s,
                                  5000);
        // Kept by the hub: a fresh panel reads the same rules.
        AlertsPanel again(host);
        again.refresh();
        QTRY_COMPARE(again.ruleCount(), 1);
        QCOMPARE(again.rulesFromTable().first()[u"id"_s].toString(), u"topics-exist"_s);
    }

    void aConnectionsDetailShowsItsQueueAndDialect()
    {
        HubHost host(config());
        ConnectionsPanel panel(host);
        start(host);
        QWebSocket client;
        client.open(QUrl(u"ws://127.0.0.1:%1/ws/v1"_s.arg(host.port())));
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        auto* view = panel.findChild<QTableView*>(u"connectionsView"_s);
        QTRY_COMPARE(view->model()->rowCount(), 1);
        view->setCurrentIndex(view->model()->index(0, 0));
        ConnectionDetail* detail = panel.detail();
        QTRY_VERIFY(!detail->connectionId().isEmpty());
        QVERIFY(detail->text(u"detailDialect"_s).startsWith(u"native · /ws/v1"_s));
        QCOMPARE(detail->text(u"detailExpiry"_s), u"no token"_s);
        auto* queue = detail->findChild<QProgressBar*>(u"detailQueue"_s);
        QVERIFY(queue->text().contains(u"4.0 MiB"_s) || queue->text().contains(u"4 MiB"_s));
        panel.sortBySlowest();
        QCOMPARE(view->horizontalHeader()->sortIndicatorSection(),
                 int(ConnectionsModel::QueueColumn));
        QCOMPARE(view->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
        QVERIFY(TableExport::csv(*view->model()).contains(u",Queue,"_s));
        detail->findChild<QPushButton*>(u"detailDisconnect"_s)->click();
        QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    }

    void theLogsDockFiltersByTheHubsFields()
    {
        HubHost host(config());
        LogsPanel panel(host);
        start(host);
        const auto log = [&host](const QString& user, const QString& message) {
            host.publish(u"logs"_s, u"system_log"_s,
                         {{u"level"_s, u"INFO"_s},
                          {u"module"_s, u"switchboard.jobs"_s},
                          {u"message"_s, message},
                          {u"user"_s, user},
                          {u"topic"_s, u"jobs"_s}});
        };
        // The hub's own "hub started" line comes first.
        QTRY_VERIFY_WITH_TIMEOUT(panel.shownLines() >= 1, 5000);
        const int before = panel.shownLines();
        log(u"alice"_s, u"job a started"_s);
        log(u"bob"_s, u"job b started"_s);
        QTRY_COMPARE(panel.shownLines(), before + 2);
        panel.findChild<QLineEdit*>(u"logsUser"_s)->setText(u"ALI"_s);
        QCOMPARE(panel.shownLines(), 1);
        panel.findChild<QLineEdit*>(u"logsTopic"_s)->setText(u"jobs"_s);
        QCOMPARE(panel.shownLines(), 1);
        auto* view = panel.findChild<QTableView*>(u"logsView"_s);
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(TableExport::write(*view->model(), buffer));
        const QString csv = QString::fromUtf8(buffer.data());
        QVERIFY(csv.startsWith(u"Time,Level,Module,Message\r\n"_s));
        QVERIFY(csv.contains(u"job a started"_s));
        QVERIFY(!csv.contains(u"job b started"_s));
    }

    void settingsGoToAFileAndBack()
    {
        HubHost host(config());
        SettingsPanel panel(host);
        start(host);
        panel.loadFromHub();
        QTemporaryDir dir;
        const QString path = dir.filePath(u"switchboard.conf"_s);
        QVERIFY(panel.exportTo(path));
        QSettings written(path, QSettings::IniFormat);
        QCOMPARE(written.value(u"auth"_s).toString(), u"off"_s);
        QCOMPARE(written.value(u"bind"_s).toString(), u"127.0.0.1"_s);
        QVERIFY(!written.contains(u"jwt-secret"_s));
        written.setValue(u"port"_s, u"9124"_s);
        written.setValue(u"max-jobs"_s, u"7"_s);
        written.sync();
        QVERIFY2(panel.importFrom(path), qPrintable(panel.resultText()));
        const std::optional<HubConfig> form = panel.formConfig();
        QVERIFY(form);
        QCOMPARE(form->port, quint16(9124));
        QCOMPARE(form->maxJobs, 7);
        written.setValue(u"auth"_s, u"sometimes"_s);
        written.sync();
        QVERIFY(!panel.importFrom(path));
        QVERIFY2(panel.resultText().contains(u"auth"_s), qPrintable(panel.resultText()));
    }

    void csvQuotesWhatNeedsIt()
    {
        QStandardItemModel model(1, 2);
        model.setHorizontalHeaderLabels({u"a"_s, u"b, c"_s});
        model.setItem(0, 0, new QStandardItem(u"say \"hi\""_s));
        model.setItem(0, 1, new QStandardItem(u"plain"_s));
        QCOMPARE(TableExport::csv(model), u"a,\"b, c\"\r\n\"say \"\"hi\"\"\",plain\r\n"_s);
    }
};

QTEST_MAIN(tst_OperatorPanels)
#include "tst_operator_panels.moc"
