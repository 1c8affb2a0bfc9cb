// SPEC §13's routes against the real hub on port 0 over real sockets: the series a chart opens
// with, by role; every topic and the last events of one, within their limits; alert rules
// refused field by field, kept across a restart, firing as system_alert on `status` and as a
// real webhook POST, acknowledged and resolved; who the caller is; one connection in detail;
// and /metrics with the job, endpoint and process families, read by a strict parser.

#include "PrometheusText.h"
#include "TestClient.h"
#include "TestHub.h"
#include "WebhookReceiver.h"

#include <QJsonArray>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;
using namespace Qt::StringLiterals;

namespace {

QJsonDocument json(const TestHub::Reply& reply)
{
    return QJsonDocument::fromJson(reply.body);
}

QString code(const TestHub::Reply& reply)
{
    return json(reply).object().value(u"code"_s).toString();
}

} // namespace

class tst_OperatorRoutes : public QObject {
    Q_OBJECT

private slots:
    void chartsOpenWithHistoryForWhoMayReadIt()
    {
        TestHub hub;
        QVERIFY(!hub.startError);
        const QByteArray service = hub.token(u"feed"_s, Role::Service);
        const QByteArray user = hub.token(u"ursula"_s, Role::User);
        const QByteArray admin = hub.token(u"ada"_s, Role::Admin);
        QCOMPARE(
            hub.send(
                   "POST", u"/api/v1/publish"_s,
                   R"({"topic":"trading","type":"equity_update","data":{"total_equity":"1234.50","peak_equity":1300}})",
                   service)
                .status,
            200);
        // The sampler reads the book once a second: the point is there within a tick or two.
        QJsonArray equity;
        QTRY_VERIFY_WITH_TIMEOUT(
            (equity = json(hub.send("GET", u"/api/v1/series?names=equity,peak_equity"_s, {}, user))
                          .object()
                          .value(u"equity"_s)
                          .toArray())
                    .size() >= 1,
            5000);
        const QJsonArray point = equity.last().toArray();
        QCOMPARE(point.at(1).toDouble(), 1234.5);
        QVERIFY(std::abs(point.at(0).toDouble() - double(QDateTime::currentMSecsSinceEpoch())) <
                10000);
        // Hub-wide figures are for administrators.
        const TestHub::Reply refused =
            hub.send("GET", u"/api/v1/series?names=connections"_s, {}, user);
        QCOMPARE(refused.status, 403);
        QCOMPARE(code(refused), u"PERMISSION_DENIED"_s);
        QCOMPARE(hub.send("GET", u"/api/v1/series?names=equity"_s).status, 401);
        const QJsonObject all =
            json(hub.send("GET", u"/api/v1/series?names=connections,cpu,jobs_running&range=1h"_s,
                          {}, admin))
                .object();
        QVERIFY(all.contains(u"connections"_s) && all.contains(u"cpu"_s));
        // Without names: every series the caller may read.
        const QJsonObject mine = json(hub.send("GET", u"/api/v1/series"_s, {}, user)).object();
        const QStringList readable = mine.keys();
        QCOMPARE(QSet<QString>(readable.cbegin(), readable.cend()),
                 (QSet<QString>{u"equity"_s, u"peak_equity"_s}));
        const TestHub::Reply badRange =
            hub.send("GET", u"/api/v1/series?names=equity&range=2d"_s, {}, user);
        QCOMPARE(badRange.status, 400);
        QCOMPARE(code(badRange), u"INVALID_MESSAGE"_s);
        QCOMPARE(code(hub.send("GET", u"/api/v1/series?names=nope"_s, {}, admin)),
                 u"INVALID_MESSAGE"_s);
        const QJsonArray catalog =
            json(hub.send("GET", u"/api/v1/series/names"_s, {}, user)).array();
        QVERIFY(catalog.size() >= 20);
    }

    void topicsAndTheirLastEvents()
    {
        TestHub hub;
        QVERIFY(!hub.startError);
        const QByteArray admin = hub.token(u"ada"_s, Role::Admin);
        const QByteArray user = hub.token(u"ursula"_s, Role::User, u"acme"_s);
        TestClient subscriber;
        QVERIFY(subscriber.open(hub.ws(u"/ws/v1"_s, user)));
        QVERIFY(!subscriber.request(u"subscribe"_s, u"1"_s, {{u"topics"_s, QJsonArray{u"jobs"_s}}})
                     .isEmpty());
        for (int i = 1; i <= 5; ++i)
            QCOMPARE(hub.send("POST", u"/api/v1/publish"_s,
                              QJsonDocument(QJsonObject{{u"topic"_s, u"jobs"_s},
                                                        {u"type"_s, u"note"_s},
                                                        {u"data"_s, QJsonObject{{u"n"_s, i}}}})
                                  .toJson(),
                              admin)
                         .status,
                     200);
        const TestHub::Reply list = hub.send("GET", u"/api/v1/topics"_s, {}, admin);
        QCOMPARE(list.status, 200);
        QJsonObject jobs;
        for (const QJsonValue& topic : json(list).array()) {
            if (topic[u"name"_s].toString() == QLatin1String("jobs"))
                jobs = topic.toObject();
        }
        QCOMPARE(jobs.value(u"seq"_s).toInt(), 5);
        QCOMPARE(jobs.value(u"subscribers"_s).toInt(), 1);
        QCOMPARE(jobs.value(u"subscribers_by_dialect"_s).toObject().value(u"native"_s).toInt(), 1);
        QCOMPARE(jobs.value(u"history_depth"_s).toInt(), 5);
        QCOMPARE(jobs.value(u"deliveries_total"_s).toInt(), 5);
        QVERIFY(!jobs.value(u"last_event_at"_s).toString().isEmpty());
        QCOMPARE(hub.send("GET", u"/api/v1/topics"_s, {}, user).status, 403);

        const QJsonArray last =
            json(hub.send("GET", u"/api/v1/topics/jobs/events?limit=3"_s, {}, user)).array();
        QCOMPARE(last.size(), 3);
        QCOMPARE(last.first()[u"seq"_s].toInt(), 3);
        QCOMPARE(last.last()[u"seq"_s].toInt(), 5); // newest last
        QCOMPARE(last.last()[u"data"_s][u"n"_s].toInt(), 5);
        QCOMPARE(last.last()[u"event"_s].toString(), u"note"_s);
        // More than history holds: what it holds.
        QCOMPARE(json(hub.send("GET", u"/api/v1/topics/jobs/events?limit=1000"_s, {}, user))
                     .array()
                     .size(),
                 5);
        for (const QString& limit : {u"0"_s, u"1001"_s, u"many"_s}) {
            const TestHub::Reply bad =
                hub.send("GET", u"/api/v1/topics/jobs/events?limit="_s + limit, {}, user);
            QCOMPARE(bad.status, 400);
            QCOMPARE(code(bad), u"INVALID_MESSAGE"_s);
        }
        QCOMPARE(hub.send("GET", u"/api/v1/topics/nothing-here/events"_s, {}, admin).status, 404);
        // Whoever may not subscribe may not read: another user's own topic.
        QCOMPARE(hub.send("GET", u"/api/v1/topics/user:ada/events"_s, {}, user).status, 403);
    }

    void alertRulesAreCheckedAndKeptAcrossARestart()
    {
        QTemporaryDir dataDir;
        HubConfig config = testConfig();
        config.dataDir = dataDir.path();
        const QByteArray rules =
            R"([{"id":"busy","metric":"connections","op":">=","threshold":100,"for_seconds":30,"severity":"critical","summary":"Too many clients"},
                {"id":"cpu-high","metric":"cpu","op":">","threshold":95}])";
        {
            TestHub hub(config);
            QVERIFY(!hub.startError);
            const QByteArray admin = hub.token(u"ada"_s, Role::Admin);
            const TestHub::Reply bad =
                hub.send("PUT", u"/api/v1/alerts/rules"_s,
                         R"([{"id":"x","metric":"connections","op":"=>","threshold":1}])", admin);
            QCOMPARE(bad.status, 400);
            QCOMPARE(code(bad), u"INVALID_MESSAGE"_s);
            QVERIFY(json(bad).object()[u"error"_s].toString().startsWith(u"rules[0].op"_s));
            QCOMPARE(code(hub.send("PUT", u"/api/v1/alerts/rules"_s, "[{", admin)),
                     u"INVALID_JSON"_s);
            QCOMPARE(hub.send("PUT", u"/api/v1/alerts/rules"_s, rules,
                              hub.token(u"ursula"_s, Role::User))
                         .status,
                     403);
            const TestHub::Reply put = hub.send("PUT", u"/api/v1/alerts/rules"_s, rules, admin);
            QCOMPARE(put.status, 200);
            QCOMPARE(json(put).object()[u"rules"_s].toArray().size(), 2);
        }
        TestHub again(config);
        QVERIFY(!again.startError);
        const QJsonObject stored = json(again.send("GET", u"/api/v1/alerts/rules"_s, {},
                                                   again.token(u"ada"_s, Role::Admin)))
                                       .object();
        const QJsonArray kept = stored[u"rules"_s].toArray();
        QCOMPARE(kept.size(), 2);
        QCOMPARE(kept[0][u"id"_s].toString(), u"busy"_s);
        QCOMPARE(kept[0][u"for_seconds"_s].toInt(), 30);
        QCOMPARE(kept[0][u"severity"_s].toString(), u"critical"_s);
        QCOMPARE(kept[1][u"severity"_s].toString(), u"warning"_s); // the default
        QVERIFY(stored[u"metrics"_s].toArray().contains(u"job_failures"_s));
    }

    void aFiringRuleReachesStatusTheWebhookAndTheList()
    {
        TestHub hub;
        QVERIFY(!hub.startError);
        WebhookReceiver receiver;
        const QByteArray admin = hub.token(u"ada"_s, Role::Admin);
        const QByteArray user = hub.token(u"ursula"_s, Role::User);
        TestClient status;
        QVERIFY(status.open(hub.ws(u"/ws/status"_s, user)));
        QVERIFY(!status.waitForType(u"connected"_s).isEmpty());
        const QJsonArray rules{QJsonObject{{u"id"_s, u"anyone-here"_s},
                                           {u"metric"_s, u"connections"_s},
                                           {u"op"_s, u">="_s},
                                           {u"threshold"_s, 1},
                                           {u"for_seconds"_s, 0},
                                           {u"severity"_s, u"warning"_s},
                                           {u"webhook"_s, receiver.url().toString()}}};
        QCOMPARE(
            hub.send("PUT", u"/api/v1/alerts/rules"_s, QJsonDocument(rules).toJson(), admin).status,
            200);
        // Document 000's shape on /ws/status: {type: system_alert, data: {...}}.
        const QJsonObject alert = status.waitFor(
            [](const QJsonObject& m) {
                return m[u"type"_s].toString() == QLatin1String("system_alert") &&
                       m[u"data"_s][u"rule_id"_s].toString() == QLatin1String("anyone-here");
            },
            10000);
        QVERIFY(!alert.isEmpty());
        QCOMPARE(alert[u"data"_s][u"severity"_s].toString(), u"warning"_s);
        QCOMPARE(alert[u"data"_s][u"value"_s].toDouble(), 1.0);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests().size(), 1, 10000);
        const QJsonObject hook = receiver.requests().first().json();
        QCOMPARE(hook[u"status"_s].toString(), u"firing"_s);
        QCOMPARE(hook[u"alert"_s][u"rule_id"_s].toString(), u"anyone-here"_s);

        const QJsonObject listed = json(hub.send("GET", u"/api/v1/alerts"_s, {}, user)).object();
        QCOMPARE(listed[u"firing"_s].toArray().size(), 1);
        const QString id = listed[u"firing"_s][0][u"id"_s].toString();
        QCOMPARE(hub.send("POST", u"/api/v1/alerts/"_s + id + u"/ack"_s, {}, user).status, 403);
        const TestHub::Reply ack =
            hub.send("POST", u"/api/v1/alerts/"_s + id + u"/ack"_s, {}, admin);
        QCOMPARE(ack.status, 200);
        QCOMPARE(json(ack).object()[u"acknowledged_by"_s].toString(), u"ada"_s);
        QCOMPARE(hub.send("POST", u"/api/v1/alerts/no-such/ack"_s, {}, admin).status, 404);

        // The last client leaves: the alert resolves, and the webhook hears of it.
        status.socket.close();
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests().size(), 2, 10000);
        QCOMPARE(receiver.requests().last().json()[u"status"_s].toString(), u"resolved"_s);
        const QJsonObject after = json(hub.send("GET", u"/api/v1/alerts"_s, {}, user)).object();
        QCOMPARE(after[u"firing"_s].toArray().size(), 0);
        QCOMPARE(after[u"recent"_s][0][u"state"_s].toString(), u"resolved"_s);
        QCOMPARE(after[u"recent"_s][0][u"acknowledged"_s].toBool(), true);
    }

    void whoAmIAndOneConnectionInDetail()
    {
        TestHub hub;
        QVERIFY(!hub.startError);
        const QJsonObject anonymous = json(hub.send("GET", u"/api/v1/me"_s)).object();
        QCOMPARE(anonymous[u"authenticated"_s].toBool(), false);
        QCOMPARE(anonymous[u"admin"_s].toBool(), false);
        QCOMPARE(anonymous[u"auth_mode"_s].toString(), u"required"_s);
        const QByteArray user = hub.token(u"ursula"_s, Role::User, u"acme"_s);
        const QJsonObject me = json(hub.send("GET", u"/api/v1/me"_s, {}, user)).object();
        QCOMPARE(me[u"sub"_s].toString(), u"ursula"_s);
        QCOMPARE(me[u"role"_s].toString(), u"user"_s);
        QCOMPARE(me[u"tenant"_s].toString(), u"acme"_s);
        QVERIFY(!me[u"expires_at"_s].toString().isEmpty());

        TestClient client;
        QVERIFY(client.open(hub.ws(u"/ws/v1"_s, user)));
        const QString id = client.waitForType(u"welcome"_s)[u"data"_s][u"session_id"_s].toString();
        QVERIFY(!id.isEmpty());
        const QByteArray admin = hub.token(u"ada"_s, Role::Admin);
        QCOMPARE(hub.send("GET", u"/api/v1/ws/connections/"_s + id, {}, user).status, 403);
        const QJsonObject detail =
            json(hub.send("GET", u"/api/v1/ws/connections/"_s + id, {}, admin)).object();
        QCOMPARE(detail[u"user_id"_s].toString(), u"ursula"_s);
        QCOMPARE(detail[u"dialect"_s].toString(), u"native"_s);
        QCOMPARE(detail[u"outbound_cap_bytes"_s].toDouble(), double(4 * 1024 * 1024));
        QVERIFY(detail[u"outbound_percent"_s].toDouble() < 1);
        QVERIFY(!detail[u"token_expires_at"_s].toString().isEmpty());
        QCOMPARE(hub.send("GET", u"/api/v1/ws/connections/nope"_s, {}, admin).status, 404);
    }

    void metricsHaveJobsEndpointsAndTheProcess()
    {
        TestHub hub;
        QVERIFY(!hub.startError);
        const QByteArray admin = hub.token(u"ada"_s, Role::Admin);
        TestClient client;
        QVERIFY(client.open(hub.ws(u"/ws/v1"_s, admin)));
        QVERIFY(!client.waitForType(u"welcome"_s).isEmpty());
        const TestHub::Reply job =
            hub.send("POST", u"/api/jobs/forecast"_s, R"({"months":3})", admin);
        QCOMPARE(job.status, 202);
        Exposition metrics;
        QTRY_VERIFY_WITH_TIMEOUT((metrics = parseExposition(hub.send("GET", u"/metrics"_s).body))
                                         .value("switchboard_job_duration_seconds_count") >= 1,
                                 10000);
        QVERIFY2(metrics.error.isEmpty(), qPrintable(metrics.error));
        QCOMPARE(metrics.type("switchboard_jobs_finished_total"), QByteArray("counter"));
        QCOMPARE(metrics.type("switchboard_jobs_queued"), QByteArray("gauge"));
        QCOMPARE(metrics.type("switchboard_jobs_running"), QByteArray("gauge"));
        QCOMPARE(metrics.type("switchboard_job_duration_seconds"), QByteArray("histogram"));
        double completed = 0;
        for (const MetricSample& sample :
             metrics.families["switchboard_jobs_finished_total"].samples) {
            if (sample.labels.value("status") == "completed")
                completed = sample.value;
        }
        QCOMPARE(completed, 1.0);
        double native = -1;
        for (const MetricSample& sample :
             metrics.families["switchboard_endpoint_connections"].samples) {
            if (sample.labels.value("endpoint") == "/ws/v1")
                native = sample.value;
        }
        QCOMPARE(native, 1.0);
        for (const QByteArray name : {"process_cpu_seconds_total", "process_resident_memory_bytes",
                                      "process_open_fds", "process_start_time_seconds"})
            QVERIFY2(metrics.has(name), name.constData());
        QVERIFY(metrics.value("process_resident_memory_bytes") > 1024 * 1024);
        QVERIFY(metrics.value("process_open_fds") >= 3);
        QVERIFY(std::abs(metrics.value("process_start_time_seconds") -
                         double(QDateTime::currentSecsSinceEpoch())) < 600);

        // The job's story is on `logs`, with its user and job as fields, and no address.
        const QString id = json(job).object()[u"job_id"_s].toString();
        QJsonObject story;
        QString leaked;
        const auto readLogs = [&] {
            const QJsonArray lines =
                json(hub.send("GET", u"/api/v1/topics/logs/events?limit=1000"_s, {}, admin))
                    .array();
            for (const QJsonValue& line : lines) {
                const QJsonObject data = line[u"data"_s].toObject();
                // The connection log names clients' addresses: never on `logs`.
                if (data[u"module"_s].toString() == QLatin1String("switchboard.connections") ||
                    data[u"message"_s].toString().contains(u"from 127.0.0.1"_s))
                    leaked = data[u"message"_s].toString();
                if (data[u"message"_s].toString().contains(u"(forecast) completed in"_s))
                    story = data;
            }
            return !story.isEmpty();
        };
        QTRY_VERIFY_WITH_TIMEOUT(readLogs(), 5000);
        QVERIFY2(leaked.isEmpty(), qPrintable(leaked));
        QCOMPARE(story[u"user"_s].toString(), u"ada"_s);
        QCOMPARE(story[u"job"_s].toString(), id);
        QCOMPARE(story[u"level"_s].toString(), u"INFO"_s);
        QCOMPARE(story[u"module"_s].toString(), u"switchboard.jobs"_s);
    }
    void refusedSignInsAreCountedInTheLogs()
    {
        HubConfig config = testConfig();
        config.refusedSignInsReportInterval = std::chrono::milliseconds(200);
        TestHub hub(config);
        QVERIFY(!hub.startError);
        const QByteArray admin = hub.token(u"ada"_s, Role::Admin);
        Identity mallory;
        mallory.subject = u"mallory"_s;
        mallory.role = Role::Admin;
        const QByteArray forged = TokenVerifier("another-secret-0123456789abcdef0123456789")
                                      .issue(mallory, std::chrono::seconds(3600));
        // Three refusals over real sockets: a forged and a malformed bearer token on HTTP, a
        // forged one on a WebSocket upgrade.
        QCOMPARE(hub.send("GET", u"/api/v1/ws/stats"_s, {}, forged).status, 401);
        QCOMPARE(hub.send("GET", u"/api/jobs"_s, {}, "not-a-token").status, 401);
        TestClient refused;
        refused.open(hub.ws(u"/ws/v1"_s, forged));
        QTRY_VERIFY_WITH_TIMEOUT(
            refused.closed || refused.socket.state() == QAbstractSocket::UnconnectedState, 5000);

        // The next report counts them, as a WARNING on `logs`, without a token or an address.
        QJsonObject report;
        const auto readLogs = [&] {
            const QJsonArray lines =
                json(hub.send("GET", u"/api/v1/topics/logs/events?limit=1000"_s, {}, admin))
                    .array();
            for (const QJsonValue& line : lines) {
                const QJsonObject data = line[u"data"_s].toObject();
                if (data[u"message"_s].toString().contains(u"sign-in(s) refused"_s))
                    report = data;
            }
            return !report.isEmpty();
        };
        QTRY_VERIFY_WITH_TIMEOUT(readLogs(), 5000);
        const QString message = report[u"message"_s].toString();
        QVERIFY2(message.startsWith(u"3 sign-in(s) refused"_s), qPrintable(message));
        QCOMPARE(report[u"level"_s].toString(), u"WARNING"_s);
        QVERIFY(!message.contains(QString::fromUtf8(forged)));
        QVERIFY(!message.contains(u"127.0.0.1"_s));

        // Each report counts the refusals since the one before.
        QCOMPARE(hub.send("GET", u"/api/jobs"_s, {}, forged).status, 401);
        const auto reports = [&] {
            QStringList found;
            const QJsonArray lines =
                json(hub.send("GET", u"/api/v1/topics/logs/events?limit=1000"_s, {}, admin))
                    .array();
            for (const QJsonValue& line : lines) {
                const QString text = line[u"data"_s][u"message"_s].toString();
                if (text.contains(u"sign-in(s) refused"_s))
                    found.append(text.section(u' ', 0, 0));
            }
            return found;
        };
        QTRY_COMPARE_WITH_TIMEOUT(reports(), (QStringList{u"3"_s, u"1"_s}), 5000);
    }
};

QTEST_GUILESS_MAIN(tst_OperatorRoutes)
#include "tst_operator_routes.moc"
