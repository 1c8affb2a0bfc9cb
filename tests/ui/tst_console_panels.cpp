// The console's panels against a real hub over real sockets: watched topics arrive with the
// snapshots; a job's progress bar moves and Cancel cancels it; a published equity_update adds
// a chart point; a hard stop turns the risk badge red and raises the tray alert; the system
// charts fill with no remote subscriber; the Client panel round-trips a ping; Settings
// explains a bad port next to the field and restarts the hub with good settings; Tokens
// issues a token the hub accepts; Rooms shows who is in a room.

#include "ClientPanel.h"
#include "DisplayFormat.h"
#include "HistoryChart.h"
#include "HubHost.h"
#include "JobsModel.h"
#include "JobsPanel.h"
#include "LogsPanel.h"
#include "RoomsPanel.h"
#include "SettingsPanel.h"
#include "SubmitJobDialog.h"
#include "SystemPanel.h"
#include "TokensPanel.h"
#include "TradingPanel.h"
#include "TrayController.h"
#include "UiTesting.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace switchboard;
using namespace switchboard::testing;
using namespace Qt::StringLiterals;

class tst_ConsolePanels : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dataDir;

    HubConfig config() const
    {
        HubConfig config;
        config.bindAddress = QHostAddress::LocalHost;
        config.port = 0;
        config.authMode = AuthMode::Off;
        config.jwtSecret = "console-panels-test-secret-0123456789abcdef";
        config.dataDir = m_dataDir.path();
        config.metricsInterval = std::chrono::milliseconds(100);
        config.maxJobs = 2;
        return config;
    }

    static void start(HubHost& host)
    {
        const std::optional<QString> error = host.start();
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
    }

    static QUrl nativeEndpoint(const HubHost& host)
    {
        return QUrl(u"ws://127.0.0.1:%1/ws/v1"_s.arg(host.port()));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dataDir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(useEnglish());
    }

    void watchedTopicsArriveInOrderWithTheSnapshots()
    {
        HubHost host(config());
        host.watchTopics({u"alpha"_s});
        start(host);
        QList<TopicEvent> events;
        connect(&host, &HubHost::snapshotReady, this,
                [&events](const HubSnapshot& snapshot) { events.append(snapshot.events); });
        for (int i = 1; i <= 3; ++i)
            host.publish(u"alpha"_s, u"tick"_s, {{u"n"_s, i}});
        host.publish(u"beta"_s, u"unwatched"_s, {});
        QTRY_COMPARE(events.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(events[i].topic, u"alpha"_s);
            QCOMPARE(events[i].seq, quint64(i + 1));
            QCOMPARE(events[i].event, u"tick"_s);
            QCOMPARE(events[i].data.value(u"n"_s).toInt(), i + 1);
            QVERIFY(events[i].timestampMs > 0);
        }
        // Unwatched, the topic's events stop; watched again, it starts from its recent past.
        host.unwatchTopics({u"alpha"_s});
        QCOMPARE(host.watchedTopics(), QStringList());
        host.publish(u"alpha"_s, u"tick"_s, {{u"n"_s, 4}});
        host.watchTopics({u"alpha"_s});
        QTRY_COMPARE(events.size(), 7);
        QCOMPARE(events.last().seq, quint64(4));
    }

    void aFloodIsCappedPerSnapshot()
    {
        HubConfig settings = config();
        settings.snapshotInterval = std::chrono::milliseconds(1000);
        HubHost host(settings);
        host.watchTopics({u"flood"_s});
        start(host);
        quint64 skipped = 0;
        QList<TopicEvent> events;
        connect(&host, &HubHost::snapshotReady, this, [&](const HubSnapshot& snapshot) {
            events.append(snapshot.events);
            skipped += snapshot.eventsSkipped;
        });
        // Once the topic is followed, a burst larger than one snapshot may carry...
        host.publish(u"flood"_s, u"tick"_s, {{u"n"_s, 0}});
        QTRY_COMPARE(events.size(), 1);
        const int published = 501;
        for (int i = 2; i <= published; ++i)
            host.publish(u"flood"_s, u"tick"_s, {{u"n"_s, i}});
        // ...arrives as its newest events, the rest counted as skipped.
        QTRY_COMPARE(quint64(events.size()) + skipped, quint64(published));
        QVERIFY(skipped > 0);
        QCOMPARE(events.last().seq, quint64(published)); // the newest always arrive
    }

    void jobProgressMovesAndCancelCancelsIt()
    {
        HubHost host(config());
        JobsPanel panel(host);
        start(host);
        QSignalSpy submitted(&panel, &JobsPanel::jobSubmitted);
        // Long enough to watch: a million simulations of ten years.
        panel.submit(u"monte_carlo"_s, {{u"iterations"_s, 1000000}, {u"months"_s, 120}});
        QVERIFY(submitted.wait());
        const QString id = submitted.first().first().toString();
        QTRY_VERIFY(panel.model()->find(id));
        QTRY_VERIFY_WITH_TIMEOUT(panel.model()->find(id)->progress > 0, 10000);
        const int row = panel.model()->rowOf(id);
        const QModelIndex progress = panel.model()->index(row, JobsModel::ProgressColumn);
        QVERIFY(progress.data(JobsModel::ProgressRole).toDouble() > 0);
        QCOMPARE(panel.model()->find(id)->status, JobStatus::Running);

        panel.selectJob(id);
        auto* cancel = panel.findChild<QPushButton*>(u"cancelJobButton"_s);
        QVERIFY(cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_COMPARE(panel.model()->find(id)->status, JobStatus::Cancelled);
        QTRY_VERIFY(!cancel->isEnabled());
        host.stop();
    }

    // A service reports 45.5: the Jobs panel keeps it (and draws "45.5%"), not 45.
    void aServicesFractionalProgressIsShownAsReported()
    {
        HubHost host(config());
        JobsPanel panel(host);
        start(host);
        QNetworkAccessManager network;
        const auto post = [&](const QString& path, const QByteArray& body) {
            QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(host.port()).arg(path)));
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QByteArrayLiteral("application/json"));
            QNetworkReply* reply = network.post(request, body);
            QSignalSpy finished(reply, &QNetworkReply::finished);
            if (!reply->isFinished())
                finished.wait(10000);
            reply->deleteLater();
            return QJsonDocument::fromJson(reply->readAll()).object();
        };
        const QString id =
            post(u"/api/v1/jobs/external"_s, R"({"type":"import","title":"Nightly import"})")
                .value(u"job_id"_s)
                .toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(post(u"/api/v1/jobs/%1/progress"_s.arg(id), R"({"progress":45.5})")
                     .value(u"progress"_s)
                     .toDouble(),
                 45.5);
        QTRY_VERIFY(panel.model()->find(id) && panel.model()->find(id)->progress == 45.5);
        const QModelIndex progress =
            panel.model()->index(panel.model()->rowOf(id), JobsModel::ProgressColumn);
        QCOMPARE(progress.data(JobsModel::ProgressRole).toDouble(), 45.5);
        QCOMPARE(DisplayFormat::percent(45.5), u"45.5%"_s);
        QCOMPARE(DisplayFormat::percent(40.0), u"40%"_s);
        host.stop();
    }

    void aRefusedJobIsExplained()
    {
        HubHost host(config());
        JobsPanel panel(host);
        start(host);
        panel.submit(u"no_such_job"_s, {});
        QTRY_VERIFY(!panel.lastError().isEmpty());
    }

    void theSubmitDialogValidatesItsFields()
    {
        SubmitJobDialog dialog(HubHost::jobTypes());
        dialog.setJobType(u"monte_carlo"_s);
        QCOMPARE(dialog.jobType(), u"monte_carlo"_s);
        QVERIFY(dialog.setField(u"iterations"_s, 5000));
        QVERIFY(dialog.setField(u"seed"_s, u"not a number"_s));
        QVERIFY(!dialog.params());
        auto* error = dialog.findChild<QLabel*>(u"monte_carlo_seedError"_s);
        QVERIFY(error && !error->isHidden());
        QVERIFY(dialog.setField(u"seed"_s, u"42"_s));
        const std::optional<QJsonObject> params = dialog.params();
        QVERIFY(params);
        QCOMPARE(params->value(u"iterations"_s).toInt(), 5000);
        QCOMPARE(params->value(u"seed"_s).toInt(), 42);
        QVERIFY(error->isHidden());
    }

    void aPublishedEquityUpdateAddsAChartPoint()
    {
        HubHost host(config());
        TradingPanel panel(host);
        start(host);
        HistoryChart* chart = panel.equityChart();
        QCOMPARE(chart->pointCount(0), 0);
        host.publish(u"trading"_s, u"equity_update"_s,
                     {{u"total_equity"_s, u"10250.50"_s},
                      {u"peak_equity"_s, u"10400.00"_s},
                      {u"current_equity"_s, u"10250.50"_s}});
        // The chart draws the hub's equity series, sampled once a second.
        QTRY_COMPARE_WITH_TIMEOUT(chart->pointCount(0), 1, 5000);
        QCOMPARE(chart->lastValue(0), 10250.5);
        QCOMPARE(chart->pointCount(1), 1);
        QCOMPARE(chart->lastValue(1), 10400.0);

        host.publish(u"trading"_s, u"position_update"_s,
                     {{u"position_id"_s, 7},
                      {u"symbol"_s, u"BTC/USDT"_s},
                      {u"status"_s, u"open"_s},
                      {u"unrealized_pnl"_s, u"-3.5"_s}});
        QTRY_COMPARE(panel.positionCount(), 1);
        host.publish(u"trading"_s, u"position_update"_s,
                     {{u"position_id"_s, 7}, {u"status"_s, u"closed"_s}});
        QTRY_COMPARE(panel.positionCount(), 0);
    }

    void aHardStopTurnsTheBadgeRedAndRaisesTheTrayAlert()
    {
        HubHost host(config());
        QWidget window;
        TradingPanel panel(host);
        TrayController tray(host, &window);
        start(host);
        QSignalSpy alerts(&tray, &TrayController::alertRaised);
        auto* badge = panel.findChild<QLabel*>(u"riskBadge"_s);
        auto* drawdown = panel.findChild<QLabel*>(u"riskDrawdown"_s);

        host.publish(u"trading"_s, u"risk_status_update"_s,
                     {{u"status"_s, u"normal"_s},
                      {u"drawdown_pct"_s, u"0.01"_s},
                      {u"daily_loss_pct"_s, u"0.00"_s},
                      {u"message"_s, u"ok"_s}});
        QTRY_COMPARE(badge->property("status").toString(), u"normal"_s);
        QCOMPARE(badge->text(), u"Normal"_s);
        QCOMPARE(alerts.size(), 0);

        host.publish(u"trading"_s, u"risk_status_update"_s,
                     {{u"status"_s, u"hard_stop"_s},
                      {u"drawdown_pct"_s, u"0.12"_s},
                      {u"daily_loss_pct"_s, u"0.06"_s},
                      {u"message"_s, u"Hard stop: all positions closed and trading halted."_s}});
        // The demo book also reports it as a system alert: one alert, not two.
        host.publish(u"status"_s, u"system_alert"_s,
                     {{u"alert_type"_s, u"risk_hard_stop"_s},
                      {u"severity"_s, u"critical"_s},
                      {u"message"_s, u"Trading hard stop"_s}});
        QTRY_COMPARE(badge->property("status").toString(), u"hard_stop"_s);
        QCOMPARE(badge->text(), u"Hard stop"_s);
        QVERIFY(badge->styleSheet().contains(u"#c62828"_s));
        QCOMPARE(drawdown->text(), u"12.00 %"_s);
        QTRY_COMPARE(alerts.size(), 1);
        QCOMPARE(tray.lastAlertTitle(), u"Trading hard stop"_s);
        QCOMPARE(alerts.first().at(2).toBool(), true);

        // Other system alerts are raised too.
        host.publish(u"status"_s, u"system_alert"_s,
                     {{u"alert_type"_s, u"disk_space"_s},
                      {u"severity"_s, u"warning"_s},
                      {u"message"_s, u"Disk use of the data dir is 91 %"_s}});
        QTRY_COMPARE(tray.alertCount(), 2);
        QCOMPARE(tray.lastAlertTitle(), u"Disk space"_s);
    }

    void systemChartsFillWithNoRemoteSubscriber()
    {
        HubHost host(config());
        SystemPanel panel(host);
        start(host);
        QTRY_VERIFY_WITH_TIMEOUT(panel.usageChart()->pointCount(0) >= 2, 15000);
        QVERIFY(panel.usageChart()->lastValue(0) >= 0);
        QVERIFY(panel.usageChart()->pointCount(1) >= 2);
        QVERIFY(panel.networkChart()->pointCount(0) >= 1);
    }

    void theLogsPanelFiltersAndPauses()
    {
        HubHost host(config());
        LogsPanel panel(host);
        start(host);
        const auto log = [&host](const QString& level, const QString& message) {
            host.publish(u"logs"_s, u"system_log"_s,
                         {{u"level"_s, level}, {u"module"_s, u"test"_s}, {u"message"_s, message}});
        };
        // The hub's own "hub started" line comes first.
        QTRY_VERIFY_WITH_TIMEOUT(panel.shownLines() >= 1, 5000);
        const int before = panel.shownLines();
        log(u"INFO"_s, u"first"_s);
        log(u"ERROR"_s, u"second"_s);
        QTRY_COMPARE(panel.shownLines(), before + 2);
        panel.findChild<QLineEdit*>(u"logsSearch"_s)->setText(u"SECOND"_s);
        QCOMPARE(panel.shownLines(), 1);
        panel.findChild<QLineEdit*>(u"logsSearch"_s)->clear();
        panel.setPaused(true);
        log(u"INFO"_s, u"third"_s);
        QTRY_COMPARE(panel.heldLines(), 1);
        QCOMPARE(panel.shownLines(), before + 2);
        panel.setPaused(false);
        QCOMPARE(panel.shownLines(), before + 3);
    }

    void theClientPanelRoundTripsAPing()
    {
        HubHost host(config());
        ClientPanel panel(host);
        start(host);
        QCOMPARE(panel.defaultUrl(), u"ws://127.0.0.1:%1/ws/v1"_s.arg(host.port()));
        QTRY_COMPARE(panel.findChild<QLineEdit*>(u"clientUrl"_s)->text(), panel.defaultUrl());
        QSignalSpy connection(&panel, &ClientPanel::connectionChanged);
        panel.connectToHub();
        QTRY_VERIFY(panel.isConnected());

        panel.chooseTemplate(u"native"_s, u"ping"_s);
        QVERIFY(panel.sendComposed());
        const auto ponged = [&panel] {
            const QStringList received = panel.receivedMessages();
            return std::any_of(received.cbegin(), received.cend(), [](const QString& text) {
                const QJsonObject reply = QJsonDocument::fromJson(text.toUtf8()).object();
                return reply.value(u"type"_s) == u"pong"_s && reply.value(u"id"_s) == u"1"_s;
            });
        };
        QTRY_VERIFY(ponged());
        panel.disconnectFromHub();
        QTRY_VERIFY(!panel.isConnected());
    }

    void theClientPanelValidatesBeforeSending()
    {
        HubHost host(config());
        ClientPanel panel(host);
        QVERIFY(panel.validate(u"{nope"_s).startsWith(u"Not valid JSON"_s));
        QCOMPARE(panel.validate(u"[1]"_s), u"A message is a JSON object."_s);
        QVERIFY(panel.validate(u"{\"type\":\"no_such\"}"_s).contains(u"no message type"_s));
        QCOMPARE(panel.validate(u"{\"type\":\"subscribe\",\"id\":\"1\",\"data\":{\"topics\":3}}"_s),
                 u"\"topics\" must be of type array."_s);
        QCOMPARE(panel.validate(u"{\"type\":\"ping\",\"id\":\"1\"}"_s), QString());
        // Every message type gets a template that passes its own validation.
        for (const MessageTypeInfo& type : HubHost::messageTypes()) {
            if (type.dialect != u"native"_s)
                continue;
            const QString text = ClientPanel::templateFor(type, 1);
            QVERIFY2(QJsonDocument::fromJson(text.toUtf8()).isObject(), qPrintable(text));
        }
    }

    void settingsExplainABadPortNextToTheField()
    {
        HubHost host(config());
        SettingsPanel panel(host);
        start(host);
        const quint16 port = host.port();
        auto* portEdit = panel.findChild<QLineEdit*>(u"setting_port"_s);
        QVERIFY(portEdit);
        for (const QString& bad : {u"70000"_s, u"http"_s, u"-1"_s}) {
            portEdit->setText(bad);
            QVERIFY(!panel.apply());
            QCOMPARE(panel.errorFor(u"port"_s), u"Enter a whole number from 0 to 65535."_s);
            QVERIFY(!panel.findChild<QLabel*>(u"portError"_s)->isHidden());
            QVERIFY(host.isRunning());
            QCOMPARE(host.port(), port);
        }
        // TLS needs a certificate and its key, both readable files.
        portEdit->setText(u"0"_s);
        panel.findChild<QLineEdit*>(u"setting_tlsCertificate"_s)->setText(u"/no/such/cert.pem"_s);
        QVERIFY(!panel.apply());
        QCOMPARE(panel.errorFor(u"tlsCertificate"_s), u"This file does not exist."_s);
        QCOMPARE(panel.errorFor(u"tlsKey"_s), u"A certificate needs its key."_s);
        panel.findChild<QLineEdit*>(u"setting_tlsCertificate"_s)->clear();
        QVERIFY(host.isRunning());
        QCOMPARE(host.port(), port);

        panel.findChild<QLineEdit*>(u"setting_bind"_s)->setText(u"not-an-address"_s);
        portEdit->setText(u"0"_s);
        QVERIFY(!panel.apply());
        QVERIFY(!panel.errorFor(u"bind"_s).isEmpty());
        QVERIFY(panel.errorFor(u"port"_s).isEmpty());
    }

    void applyingSettingsRestartsTheHubInsideTheApp()
    {
        HubHost host(config());
        SettingsPanel panel(host);
        start(host);
        QWebSocket client;
        QSignalSpy disconnected(&client, &QWebSocket::disconnected);
        QSignalSpy connected(&client, &QWebSocket::connected);
        client.open(nativeEndpoint(host));
        QVERIFY(connected.wait());
        QSignalSpy restarted(&host, &HubHost::restarted);
        QSignalSpy applied(&panel, &SettingsPanel::applyFinished);
        auto* applyButton = panel.findChild<QPushButton*>(u"settingsApply"_s);
        QVERIFY(applyButton);

        panel.findChild<QLineEdit*>(u"setting_port"_s)->setText(u"0"_s);
        QVERIFY(panel.apply());
        // apply() returns while the hub is still closing its clients: the window stays live.
        QVERIFY(host.isRestarting());
        QVERIFY(!applyButton->isEnabled());
        QVERIFY(!panel.apply()); // one restart at a time
        QVERIFY(applied.wait());
        QCOMPARE(applied.takeFirst().at(0).toBool(), true);
        QCOMPARE(restarted.size(), 1);
        QVERIFY(host.isRunning());
        QVERIFY(applyButton->isEnabled());
        QTRY_VERIFY(!disconnected.isEmpty());
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QVERIFY(panel.resultText().contains(QString::number(host.port())));

        // A port already taken: the reason is shown and the hub runs on as before.
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost));
        panel.findChild<QLineEdit*>(u"setting_port"_s)
            ->setText(QString::number(blocker.serverPort()));
        QVERIFY(panel.apply());
        QVERIFY(applied.wait());
        QCOMPARE(applied.takeFirst().at(0).toBool(), false);
        QVERIFY(host.isRunning());
        QVERIFY(!panel.errorFor(u"port"_s).isEmpty());
        QVERIFY(applyButton->isEnabled());
    }

    void aBackgroundRestartCanBeCutShort()
    {
        HubHost host(config());
        start(host);
        QSignalSpy finished(&host, &HubHost::restartFinished);
        HubConfig next = host.config();
        next.port = 0;
        host.restartInBackground(next);
        QVERIFY(host.isRestarting());
        QVERIFY(!host.isRunning());
        // stop() waits for the stopping hub thread and drops the start that was to follow.
        host.stop();
        QVERIFY(!host.isRestarting());
        QCoreApplication::sendPostedEvents();
        QCOMPARE(finished.size(), 0);
        QVERIFY(!host.isRunning());

        // start() does the same, and the hub it starts is the only one.
        start(host);
        host.restartInBackground(next);
        start(host);
        QVERIFY(!host.isRestarting());
        QCoreApplication::sendPostedEvents();
        QCOMPARE(finished.size(), 0);
        QVERIFY(host.isRunning());
        host.stop();

        // Destroyed halfway through a restart: the thread is waited for, nothing is left.
        auto doomed = std::make_unique<HubHost>(config());
        start(*doomed);
        doomed->restartInBackground(next);
        doomed.reset();
    }

    void tokensAreIssuedAndOpenTheDashboardSignedIn()
    {
        HubHost host(config());
        TokensPanel panel(host);
        start(host);
        QSignalSpy issued(&panel, &TokensPanel::tokenIssued);
        panel.findChild<QLineEdit*>(u"tokenSubject"_s)->setText(u"alice"_s);
        panel.findChild<QLineEdit*>(u"tokenTenant"_s)->setText(u"acme"_s);
        panel.issue();
        QVERIFY(issued.wait());
        const QString token = panel.token();
        QCOMPARE(token.count(u'.'), 2);
        const QJsonObject claims =
            QJsonDocument::fromJson(QByteArray::fromBase64(token.section(u'.', 1, 1).toLatin1(),
                                                           QByteArray::Base64UrlEncoding))
                .object();
        QCOMPARE(claims.value(u"sub"_s).toString(), u"alice"_s);
        QCOMPARE(claims.value(u"tenant"_s).toString(), u"acme"_s);
        QCOMPARE(claims.value(u"role"_s).toString(), u"admin"_s);
        QCOMPARE(panel.dashboardUrl().toString(),
                 u"http://127.0.0.1:%1/#token=%2"_s.arg(host.port()).arg(token));
    }

    void roomsShowWhoIsInThem()
    {
        HubHost host(config());
        RoomsPanel panel(host);
        start(host);
        QWebSocket client;
        QSignalSpy connected(&client, &QWebSocket::connected);
        client.open(nativeEndpoint(host));
        QVERIFY(connected.wait());
        client.sendTextMessage(
            u"{\"type\":\"join_room\",\"id\":\"1\",\"data\":{\"room\":\"sheet-1\"}}"_s);
        QTRY_COMPARE(panel.rooms(), QStringList{u"sheet-1"_s});
        client.sendTextMessage(
            u"{\"type\":\"presence\",\"id\":\"2\",\"data\":{\"status\":\"editing\"}}"_s);
        QTRY_COMPARE(panel.presenceIn(u"sheet-1"_s), QStringList{u"editing"_s});
        QCOMPARE(panel.findChild<QLabel*>(u"roomsSummary"_s)->text(), u"1 room in use"_s);
        client.close();
        QTRY_COMPARE(panel.rooms(), QStringList());
    }
};

QTEST_MAIN(tst_ConsolePanels)
#include "tst_console_panels.moc"
