// The seed documents' dialects (SPEC §2.2) over real sockets: 000 on /ws/calculations,
// /ws/entities and /ws/status, 001 on /ws, 002 on /ws/connect and 003 on
// /ws/projects/{id} and /ws/notifications — each replaying its document's own examples —
// and one published event reaching every dialect at once.

#include "RawClient.h"
#include "TestClient.h"
#include "TestHub.h"
#include "protocol/dialects/AssistDialect.h"
#include "protocol/dialects/CalculationsDialect.h"
#include "protocol/dialects/Dialect.h"
#include "protocol/dialects/ProjectsDialect.h"
#include "protocol/dialects/TradingDialect.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

QString typeOf(const QJsonObject& message)
{
    return message.value(QStringLiteral("type")).toString();
}

QJsonObject dataOf(const QJsonObject& message)
{
    return message.value(QStringLiteral("data")).toObject();
}

QByteArray json(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Publishes through the REST API as an administrator; returns the HTTP status.
int publish(TestHub& hub, const QString& topic, const QString& type, const QJsonObject& data)
{
    return hub
        .send("POST", QStringLiteral("/api/v1/publish"),
              json({{QStringLiteral("topic"), topic},
                    {QStringLiteral("type"), type},
                    {QStringLiteral("data"), data}}),
              hub.token(QStringLiteral("ops"), Role::Admin))
        .status;
}

// Waits for a text frame that is exactly `text` (003's "pong").
bool waitForRaw(TestClient& client, const QString& text, int timeoutMs = 5000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!client.raw.contains(text)) {
        if (deadline.hasExpired() || client.closed)
            return false;
        QSignalSpy received(&client.socket, &QWebSocket::textMessageReceived);
        received.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    return true;
}

// The names of the messages /asyncapi.json's `channels` lists for `channel` under `direction`
// ("publish": what clients send, "subscribe": what the hub sends).
QStringList messageNames(const QJsonObject& channels, const QString& channel, const char* direction)
{
    QStringList names;
    const QJsonArray messages = channels.value(channel)
                                    .toObject()
                                    .value(QLatin1String(direction))
                                    .toObject()
                                    .value(QStringLiteral("message"))
                                    .toObject()
                                    .value(QStringLiteral("oneOf"))
                                    .toArray();
    for (const QJsonValue& message : messages)
        names.append(message.toObject().value(QStringLiteral("name")).toString());
    return names;
}

// Writes `content` to `relativePath` under the hub's watched entities folder.
bool writeEntityFile(const TestHub& hub, const QString& relativePath, const QByteArray& content)
{
    const QString path = hub.dataDir() + QStringLiteral("/entities/") + relativePath;
    QFile file(path);
    return QDir().mkpath(QFileInfo(path).path()) && file.open(QIODevice::WriteOnly) &&
           file.write(content) == content.size();
}

// Waits for the 000 message `type` about entity `id`; empty if none came in time.
QJsonObject waitForEntityMessage(TestClient& client, const QString& type, const QString& id)
{
    return client.waitFor(
        [&type, &id](const QJsonObject& m) {
            return typeOf(m) == type &&
                   dataOf(m).value(QStringLiteral("entity_id")).toString() == id;
        },
        10000);
}

// Registers project `id` for tenant acme and opens acme user alice's /ws/projects/{id}; a
// text ping round trip proves the subscription is in place.
bool openProject(TestHub& hub, const QString& id, TestClient& client)
{
    const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin);
    const int status =
        hub.send("PUT", QStringLiteral("/api/v1/projects/") + id, R"({"tenant":"acme"})", admin)
            .status;
    if (status != 201 && status != 200)
        return false;
    if (!client.open(
            hub.ws(QStringLiteral("/ws/projects/") + id,
                   hub.token(QStringLiteral("alice"), Role::User, QStringLiteral("acme")))))
        return false;
    client.socket.sendTextMessage(QStringLiteral("ping"));
    return waitForRaw(client, QStringLiteral("pong"));
}

// Creates an external job as service `svc` of tenant acme; returns its id.
QString createExternalJob(TestHub& hub, const QByteArray& body)
{
    const TestHub::Reply created =
        hub.send("POST", QStringLiteral("/api/v1/jobs/external"), body,
                 hub.token(QStringLiteral("svc"), Role::Service, QStringLiteral("acme")));
    if (created.status != 201)
        return {};
    return QJsonDocument::fromJson(created.body)
        .object()
        .value(QStringLiteral("job_id"))
        .toString();
}

// Reports on an external job as service `svc` of tenant acme; returns the HTTP status.
int reportExternalJob(TestHub& hub, const QString& id, const QByteArray& body)
{
    return hub
        .send("POST", QStringLiteral("/api/v1/jobs/%1/progress").arg(id), body,
              hub.token(QStringLiteral("svc"), Role::Service, QStringLiteral("acme")))
        .status;
}

// Sends a 002 ping with `id`; returns "pong", or the error code it was refused with.
QString assistPing(TestClient& client, const QString& id)
{
    client.send({{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("id"), id}});
    const QJsonObject reply = client.waitFor(
        [&id](const QJsonObject& m) { return m.value(QStringLiteral("id")).toString() == id; });
    return typeOf(reply) == QLatin1String("error") ? reply.value(QStringLiteral("code")).toString()
                                                   : typeOf(reply);
}

HubConfig configWith(AuthMode mode)
{
    HubConfig config = testConfig();
    config.authMode = mode;
    return config;
}

} // namespace

Q_DECLARE_METATYPE(switchboard::AuthMode)

class tst_Dialects : public QObject {
    Q_OBJECT

private slots:
    // Every message a dialect built in these tests is in its table (Dialect::checkListed).
    void cleanup();
    // --- 000 ---------------------------------------------------------------------------
    void calculationsWscatSession();
    void calculationsJobsInDocumentNames();
    void entitiesPathReportsFileChanges();
    void calculationsBadRequestsKeepConnection();
    void calculationsHeartbeatAndSilentClientDropped();
    void calculationsNeedTokenWhenAuthRequired();
    void calculationsFailedAndCancelledJobs();
    void entitiesValidationErrorAndListUpdate();
    void statusUpdatesAlertsAndPong();
    // --- 001 ---------------------------------------------------------------------------
    void tradingWelcomeAndFeedsWithoutToken();
    void tradingRefusedConnectionIsClosedWith1008();
    // --- 002 ---------------------------------------------------------------------------
    void assistTokenInQueryAndRooms();
    void assistAuthMessage();
    void assistNothingBeforeSignIn_data();
    void assistNothingBeforeSignIn();
    void assistDocumentClientSendsItsTokenTwice_data();
    void assistDocumentClientSendsItsTokenTwice();
    void assistOptionalAndOffGreetAtOnce_data();
    void assistOptionalAndOffGreetAtOnce();
    void assistBadAuthMessageCloses();
    void assistSpecialRoomRules();
    void assistDocumentUpdatesReachOwnerAndAdmins();
    void assistJobUpdatesAndActiveJobs();
    void assistSystemMetricsOnlyWhileSubscribed();
    void assistBroadcastAdminIsAdminOnly();
    void assistUserActivityToAdmins();
    void assistRateWindowResets();
    void assistRateLimitIsPerUserAcrossConnections();
    // --- 003 ---------------------------------------------------------------------------
    void projectsRegistry();
    void projectsTextPingAndProgressMessages();
    void projectsOtherTenantClosedBeforeAnyData();
    void projectsJobProgressReachesProject();
    void projectsRcAnalysisJobDrivesTheProgressBar();
    void projectsServiceProgressAndErrorMessages();
    void projectsFailedJobIsAnError();
    void notificationsAreUserScoped();
    // --- all ---------------------------------------------------------------------------
    void onePublishReachesEveryDialect();
    void roomBroadcastReachesEveryMemberAndNoOneElse();
    void oneJobReachesEveryAudience();
    void asyncApiListsEveryDialect();
    void everyReplyIsInItsChannel();
    void eventEncodersFollowTheirTable();
};

void tst_Dialects::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

// The document's own session: `wscat -c ws://localhost:8000/ws/calculations`, then
// {"type": "subscribe", "data": {"topic": "calculations"}}, then a forecast job over REST.
void tst_Dialects::calculationsWscatSession()
{
    TestHub hub(configWith(AuthMode::Off));
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/calculations"))));
    const QJsonObject welcome = client.waitForType(QStringLiteral("connected"));
    QCOMPARE(dataOf(welcome).value(QStringLiteral("topic")).toString(),
             QStringLiteral("calculations"));
    QVERIFY(!welcome.value(QStringLiteral("timestamp")).toString().isEmpty());
    QCOMPARE(client.messages.first(), welcome);

    client.socket.sendTextMessage(
        QStringLiteral(R"({"type": "subscribe", "data": {"topic": "calculations"}})"));
    const QJsonObject subscribed = client.waitForType(QStringLiteral("subscribed"));
    QCOMPARE(dataOf(subscribed).value(QStringLiteral("topic")).toString(),
             QStringLiteral("calculations"));

    const TestHub::Reply submitted = hub.send("POST", QStringLiteral("/api/jobs/forecast"),
                                              R"({"months": 12, "scenario": "baseline"})");
    QCOMPARE(submitted.status, 202);
    const QJsonObject complete = client.waitForType(QStringLiteral("calculation_complete"), 15000);
    QVERIFY2(!complete.isEmpty(), qPrintable(client.raw.join(u'\n')));
    QVERIFY(dataOf(complete).contains(QStringLiteral("result_summary")));
    QVERIFY(!client.messagesOfType(QStringLiteral("calculation_progress")).isEmpty());
    const QJsonObject progress =
        client.messagesOfType(QStringLiteral("calculation_progress")).first();
    QVERIFY(dataOf(progress).contains(QStringLiteral("progress")));
}

// /ws/status with `jobs` added: job_started and job_completed in 000's names; job_queued,
// which 000 does not know, is not sent; a cancelled job is a job_failed with its status.
void tst_Dialects::calculationsJobsInDocumentNames()
{
    TestHub hub(configWith(AuthMode::Off));
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/status"))));
    QCOMPARE(dataOf(client.waitForType(QStringLiteral("connected")))
                 .value(QStringLiteral("topic"))
                 .toString(),
             QStringLiteral("status"));
    client.send(
        {{QStringLiteral("type"), QStringLiteral("subscribe")},
         {QStringLiteral("data"), QJsonObject{{QStringLiteral("topic"), QStringLiteral("jobs")}}}});
    QVERIFY(!client.waitForType(QStringLiteral("subscribed")).isEmpty());

    QCOMPARE(hub.send("POST", QStringLiteral("/api/jobs/forecast"), R"({"months": 6})").status,
             202);
    const QJsonObject completed = client.waitForType(QStringLiteral("job_completed"), 15000);
    QVERIFY(!completed.isEmpty());
    QVERIFY(!dataOf(completed).value(QStringLiteral("job_id")).toString().isEmpty());
    QVERIFY(!client.messagesOfType(QStringLiteral("job_started")).isEmpty());
    QVERIFY(client.messagesOfType(QStringLiteral("job_queued")).isEmpty());
    QVERIFY(client.messagesOfType(QStringLiteral("event")).isEmpty());
}

void tst_Dialects::entitiesPathReportsFileChanges()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(
        hub.ws(QStringLiteral("/ws/entities"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(!client.waitForType(QStringLiteral("connected")).isEmpty());

    QVERIFY(
        writeEntityFile(hub, QStringLiteral("revenue/grants/nasa_sbir.yaml"),
                        "type: grant\nname: NASA SBIR\nstart_date: 2026-01-01\namount: 150000\n"));
    const QJsonObject change =
        waitForEntityMessage(client, QStringLiteral("entity_change"), QStringLiteral("nasa_sbir"));
    QVERIFY2(!change.isEmpty(), qPrintable(client.raw.join(u'\n')));
    const QJsonObject data = dataOf(change);
    QCOMPARE(data.value(QStringLiteral("event_type")).toString(), QStringLiteral("created"));
    QCOMPARE(data.value(QStringLiteral("entity_type")).toString(), QStringLiteral("grant"));
    QVERIFY(data.value(QStringLiteral("file_path"))
                .toString()
                .endsWith(QStringLiteral("revenue/grants/nasa_sbir.yaml")));
    QCOMPARE(data.value(QStringLiteral("entity_data"))
                 .toObject()
                 .value(QStringLiteral("name"))
                 .toString(),
             QStringLiteral("NASA SBIR"));
}

void tst_Dialects::calculationsBadRequestsKeepConnection()
{
    TestHub hub(configWith(AuthMode::Off));
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/calculations"))));
    QVERIFY(!client.waitForType(QStringLiteral("connected")).isEmpty());

    client.socket.sendTextMessage(QStringLiteral("{not json"));
    QCOMPARE(client.waitForType(QStringLiteral("error")).value(QStringLiteral("code")).toString(),
             QStringLiteral("INVALID_JSON"));
    client.messages.clear();
    client.socket.sendTextMessage(
        QStringLiteral(R"({"type":"subscribe","data":{"topic":"bogus"}})"));
    const QJsonObject badTopic = client.waitForType(QStringLiteral("error"));
    QCOMPARE(badTopic.value(QStringLiteral("code")).toString(), QStringLiteral("INVALID_MESSAGE"));
    QVERIFY(badTopic.value(QStringLiteral("message")).toString().contains(QStringLiteral("topic")));
    client.messages.clear();
    client.socket.sendTextMessage(QStringLiteral(R"({"type":"dance"})"));
    QCOMPARE(client.waitForType(QStringLiteral("error")).value(QStringLiteral("code")).toString(),
             QStringLiteral("UNKNOWN_MESSAGE_TYPE"));
    // Still usable.
    client.socket.sendTextMessage(
        QStringLiteral(R"({"type":"subscribe","data":{"topic":"jobs"}})"));
    QVERIFY(!client.waitForType(QStringLiteral("subscribed")).isEmpty());
    QVERIFY(!client.closed);
}

void tst_Dialects::calculationsHeartbeatAndSilentClientDropped()
{
    HubConfig config = configWith(AuthMode::Off);
    config.heartbeatInterval = std::chrono::milliseconds(200);
    config.heartbeatTimeout = std::chrono::milliseconds(800);
    TestHub hub(config);
    QVERIFY(!hub.startError);

    // A real client (its library answers WebSocket pings) gets heartbeats and stays.
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/calculations"))));
    QCOMPARE(dataOf(client.waitForType(QStringLiteral("connected")))
                 .value(QStringLiteral("heartbeat_interval"))
                 .toDouble(),
             0.2);
    QVERIFY(!client.waitForType(QStringLiteral("heartbeat")).isEmpty());

    // A client that never reads nor answers is dropped after the heartbeat timeout.
    RawClient silent;
    QVERIFY(silent.connectTo(hub.host->port()));
    QVERIFY(silent.handshake(QStringLiteral("/ws/calculations")));
    const qint64 tookMs = silent.waitDropped(5000);
    QVERIFY2(tookMs >= 0, "the silent client was not dropped");

    // Meanwhile the live client keeps receiving heartbeats.
    client.messages.clear();
    QVERIFY(!client.waitForType(QStringLiteral("heartbeat")).isEmpty());
    QVERIFY(!client.closed);
}

void tst_Dialects::calculationsNeedTokenWhenAuthRequired()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient anonymous;
    QVERIFY(!anonymous.open(hub.ws(QStringLiteral("/ws/calculations")), {}, 3000));
    TestClient alice;
    QVERIFY(alice.open(hub.ws(QStringLiteral("/ws/calculations"),
                              hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(!alice.waitForType(QStringLiteral("connected")).isEmpty());
}

// A failed calculation job is calculation_failed on /ws/calculations and job_failed on `jobs`;
// a cancelled one is job_failed with status "cancelled" (000 has no job_cancelled). The jobs
// are external ones, held running until their service reports.
void tst_Dialects::calculationsFailedAndCancelledJobs()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const QByteArray alice = hub.token(QStringLiteral("alice"), Role::User);
    TestClient calculations, status;
    QVERIFY(calculations.open(hub.ws(QStringLiteral("/ws/calculations"), alice)));
    QVERIFY(status.open(hub.ws(QStringLiteral("/ws/status"), alice)));
    QVERIFY(!calculations.waitForType(QStringLiteral("connected")).isEmpty());
    QVERIFY(!status.waitForType(QStringLiteral("connected")).isEmpty());
    status.send(
        {{QStringLiteral("type"), QStringLiteral("subscribe")},
         {QStringLiteral("data"), QJsonObject{{QStringLiteral("topic"), QStringLiteral("jobs")}}}});
    QVERIFY(!status.waitForType(QStringLiteral("subscribed")).isEmpty());

    const auto failedFor = [](TestClient& client, const QString& type, const QString& id) {
        return client.waitFor([&type, &id](const QJsonObject& m) {
            return typeOf(m) == type && dataOf(m).value(QStringLiteral("job_id")).toString() == id;
        });
    };

    const QString failed =
        createExternalJob(hub, R"({"type":"forecast","title":"Board forecast"})");
    QVERIFY(!failed.isEmpty());
    QVERIFY(!failedFor(calculations, QStringLiteral("calculation_progress"), failed).isEmpty());
    QCOMPARE(
        reportExternalJob(hub, failed, R"({"status":"failed","error":"entity files unreadable"})"),
        200);
    const QJsonObject calculationFailed =
        failedFor(calculations, QStringLiteral("calculation_failed"), failed);
    QVERIFY2(!calculationFailed.isEmpty(), qPrintable(calculations.raw.join(u'\n')));
    QCOMPARE(dataOf(calculationFailed).value(QStringLiteral("error")).toString(),
             QStringLiteral("entity files unreadable"));
    QCOMPARE(dataOf(calculationFailed).value(QStringLiteral("calculation_type")).toString(),
             QStringLiteral("forecast"));
    QVERIFY(!calculationFailed.value(QStringLiteral("timestamp")).toString().isEmpty());
    const QJsonObject jobFailed = failedFor(status, QStringLiteral("job_failed"), failed);
    QVERIFY2(!jobFailed.isEmpty(), qPrintable(status.raw.join(u'\n')));
    QCOMPARE(dataOf(jobFailed).value(QStringLiteral("status")).toString(),
             QStringLiteral("failed"));
    QCOMPARE(dataOf(jobFailed).value(QStringLiteral("error")).toString(),
             QStringLiteral("entity files unreadable"));

    const QString cancelled = createExternalJob(hub, R"({"type":"forecast","title":"Draft"})");
    QVERIFY(!cancelled.isEmpty());
    QVERIFY(!failedFor(status, QStringLiteral("job_started"), cancelled).isEmpty());
    QCOMPARE(hub.send("POST", QStringLiteral("/api/jobs/%1/cancel").arg(cancelled), {},
                      hub.token(QStringLiteral("root"), Role::Admin))
                 .status,
             200);
    const QJsonObject jobCancelled = failedFor(status, QStringLiteral("job_failed"), cancelled);
    QVERIFY2(!jobCancelled.isEmpty(), qPrintable(status.raw.join(u'\n')));
    QCOMPARE(dataOf(jobCancelled).value(QStringLiteral("status")).toString(),
             QStringLiteral("cancelled"));
    QCOMPARE(dataOf(failedFor(calculations, QStringLiteral("calculation_failed"), cancelled))
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("cancelled"));
    QVERIFY(status.messagesOfType(QStringLiteral("job_cancelled")).isEmpty());
}

// An invalid entity file is a validation_error on /ws/entities; entity_list_update (sent by the
// start-up scan, before any client) arrives in 000's shape when a service publishes it.
void tst_Dialects::entitiesValidationErrorAndListUpdate()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(
        hub.ws(QStringLiteral("/ws/entities"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(!client.waitForType(QStringLiteral("connected")).isEmpty());

    QVERIFY(writeEntityFile(hub, QStringLiteral("expenses/rocket.yaml"),
                            "type: spaceship\nname: Rocket\nstart_date: 2026-13-45\n"));
    const QJsonObject invalid =
        waitForEntityMessage(client, QStringLiteral("validation_error"), QStringLiteral("rocket"));
    QVERIFY2(!invalid.isEmpty(), qPrintable(client.raw.join(u'\n')));
    QVERIFY(!dataOf(invalid).value(QStringLiteral("errors")).toArray().isEmpty());
    QVERIFY(!invalid.value(QStringLiteral("timestamp")).toString().isEmpty());

    const QJsonObject list{
        {QStringLiteral("entities"),
         QJsonArray{QJsonObject{{QStringLiteral("entity_id"), QStringLiteral("nasa_sbir")},
                                {QStringLiteral("type"), QStringLiteral("grant")}}}},
        {QStringLiteral("count"), 1}};
    QCOMPARE(publish(hub, QStringLiteral("entities"), QStringLiteral("entity_list_update"), list),
             200);
    QCOMPARE(dataOf(client.waitForType(QStringLiteral("entity_list_update"))), list);
}

// /ws/status is watched: status_update samples flow, a disk above the alert threshold is a
// system_alert, and ping gets pong.
void tst_Dialects::statusUpdatesAlertsAndPong()
{
    HubConfig config = testConfig();
    config.metricsInterval = std::chrono::milliseconds(50);
    config.diskAlertPercent = 0; // any disk use of the data dir is above it
    TestHub hub(config);
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(
        hub.ws(QStringLiteral("/ws/status"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(!client.waitForType(QStringLiteral("connected")).isEmpty());

    const QJsonObject sample = client.waitForType(QStringLiteral("status_update"));
    QVERIFY2(!sample.isEmpty(), qPrintable(client.raw.join(u'\n')));
    QVERIFY(dataOf(sample).contains(QStringLiteral("cpu_percent")));
    const QJsonObject alert = client.waitForType(QStringLiteral("system_alert"));
    QVERIFY2(!alert.isEmpty(), qPrintable(client.raw.join(u'\n')));
    QCOMPARE(dataOf(alert).value(QStringLiteral("alert_type")).toString(),
             QStringLiteral("disk_space"));
    QVERIFY(!dataOf(alert).value(QStringLiteral("severity")).toString().isEmpty());

    client.send({{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("id"), 7}});
    const QJsonObject pong = client.waitForType(QStringLiteral("pong"));
    QCOMPARE(pong.value(QStringLiteral("id")).toString(), QStringLiteral("7"));
    QVERIFY(!pong.value(QStringLiteral("timestamp")).toString().isEmpty());
}

// 001: the document's clients connect to /ws (a token is optional in its MVP) and receive
// trading and log messages as {"type", "timestamp", "data"}.
void tst_Dialects::tradingWelcomeAndFeedsWithoutToken()
{
    TestHub hub(configWith(AuthMode::Optional));
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws"))));
    const QJsonObject welcome = client.waitForType(QStringLiteral("connection_established"));
    QVERIFY(!welcome.value(QStringLiteral("message")).toString().isEmpty());
    QVERIFY(welcome.value(QStringLiteral("timestamp")).toString().endsWith(u'Z'));

    const QJsonObject equity{{QStringLiteral("total_equity"), 10250.5},
                             {QStringLiteral("peak_equity"), 10400.0},
                             {QStringLiteral("current_equity"), 10250.5}};
    QCOMPARE(publish(hub, QStringLiteral("trading"), QStringLiteral("equity_update"), equity), 200);
    const QJsonObject update = client.waitForType(QStringLiteral("equity_update"));
    QCOMPARE(dataOf(update), equity);
    QVERIFY(update.value(QStringLiteral("timestamp")).toString().endsWith(u'Z'));

    const QJsonObject log{
        {QStringLiteral("level"), QStringLiteral("INFO")},
        {QStringLiteral("module"), QStringLiteral("executor")},
        {QStringLiteral("message"), QStringLiteral("Position opened successfully")},
        {QStringLiteral("timestamp"), QStringLiteral("2024-01-15T10:30:00.000Z")}};
    QCOMPARE(publish(hub, QStringLiteral("logs"), QStringLiteral("system_log"), log), 200);
    QCOMPARE(dataOf(client.waitForType(QStringLiteral("system_log"))), log);

    // The document's own position_update and risk_status_update payloads, as published by
    // its services to `trading`.
    const QJsonObject position{{QStringLiteral("position_id"), QStringLiteral("uuid-here")},
                               {QStringLiteral("symbol"), QStringLiteral("BTC/USDT")},
                               {QStringLiteral("status"), QStringLiteral("open")},
                               {QStringLiteral("spot_entry_price"), QStringLiteral("45000.00")},
                               {QStringLiteral("perp_entry_price"), QStringLiteral("45010.00")},
                               {QStringLiteral("spot_quantity"), QStringLiteral("0.1")},
                               {QStringLiteral("perp_quantity"), QStringLiteral("0.1")},
                               {QStringLiteral("unrealized_pnl"), QStringLiteral("50.25")},
                               {QStringLiteral("funding_collected"), QStringLiteral("12.50")}};
    QCOMPARE(publish(hub, QStringLiteral("trading"), QStringLiteral("position_update"), position),
             200);
    const QJsonObject positionUpdate = client.waitForType(QStringLiteral("position_update"));
    QCOMPARE(dataOf(positionUpdate), position);
    QVERIFY(positionUpdate.value(QStringLiteral("timestamp")).toString().endsWith(u'Z'));

    const QJsonObject risk{
        {QStringLiteral("status"), QStringLiteral("soft_pause")},
        {QStringLiteral("message"),
         QStringLiteral("New position openings stopped. Existing positions remain open.")},
        {QStringLiteral("drawdown_pct"), QStringLiteral("0.04")},
        {QStringLiteral("daily_loss_pct"), QStringLiteral("0.03")}};
    QCOMPARE(publish(hub, QStringLiteral("trading"), QStringLiteral("risk_status_update"), risk),
             200);
    const QJsonObject riskUpdate = client.waitForType(QStringLiteral("risk_status_update"));
    QCOMPARE(dataOf(riskUpdate), risk);
    QVERIFY(riskUpdate.value(QStringLiteral("timestamp")).toString().endsWith(u'Z'));

    // A service's own event type on the feed reaches 001's clients too, in 001's layout
    // (SPEC §2.2: an event published once reaches every subscriber, whatever its dialect).
    const QJsonObject book{{QStringLiteral("symbol"), QStringLiteral("BTC/USDT")}};
    QCOMPARE(publish(hub, QStringLiteral("trading"), QStringLiteral("order_book_snapshot"), book),
             200);
    const QJsonObject snapshot = client.waitForType(QStringLiteral("order_book_snapshot"));
    QCOMPARE(dataOf(snapshot), book);
    QVERIFY(snapshot.value(QStringLiteral("timestamp")).toString().endsWith(u'Z'));

    // A type 001 builds itself never comes from an event.
    QCOMPARE(
        publish(hub, QStringLiteral("trading"), QStringLiteral("connection_established"), book),
        200);
    client.socket.sendTextMessage(QStringLiteral(R"({"type":"ping"})"));
    QVERIFY(!client.waitForType(QStringLiteral("pong")).isEmpty());
    QCOMPARE(client.messagesOfType(QStringLiteral("connection_established")).size(), 1);
}

void tst_Dialects::tradingRefusedConnectionIsClosedWith1008()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient anonymous;
    QVERIFY(anonymous.open(hub.ws(QStringLiteral("/ws"))));
    QVERIFY(anonymous.waitClosed());
    QCOMPARE(anonymous.closeCode, 1008);
    QVERIFY(anonymous.messages.isEmpty());

    TestClient forged;
    QVERIFY(forged.open(hub.ws(QStringLiteral("/ws"), "not.a.token")));
    QVERIFY(forged.waitClosed());
    QCOMPARE(forged.closeCode, 1008);

    TestClient alice;
    QVERIFY(
        alice.open(hub.ws(QStringLiteral("/ws"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(!alice.waitForType(QStringLiteral("connection_established")).isEmpty());
}

void tst_Dialects::assistTokenInQueryAndRooms()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient alice;
    QVERIFY(alice.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("alice"), Role::User))));
    const QJsonObject connection = alice.waitForType(QStringLiteral("connection"));
    QCOMPARE(dataOf(connection).value(QStringLiteral("user_id")).toString(),
             QStringLiteral("alice"));
    QCOMPARE(dataOf(connection).value(QStringLiteral("authenticated")).toBool(), true);

    TestClient bob;
    QVERIFY(bob.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("bob"), Role::User))));
    QVERIFY(!bob.waitForType(QStringLiteral("connection")).isEmpty());

    alice.socket.sendTextMessage(QStringLiteral(R"({"type":"join_room","room":"chat_room_123"})"));
    const QJsonObject joined = alice.waitForType(QStringLiteral("room_event"));
    QCOMPARE(dataOf(joined).value(QStringLiteral("event")).toString(), QStringLiteral("joined"));
    QCOMPARE(dataOf(joined).value(QStringLiteral("room")).toString(),
             QStringLiteral("chat_room_123"));

    bob.socket.sendTextMessage(
        QStringLiteral(R"({"type":"join_room","data":{"room":"chat_room_123"}})"));
    QVERIFY(!bob.waitForType(QStringLiteral("room_event")).isEmpty());
    // Alice sees Bob arrive.
    const QJsonObject arrival = alice.waitFor([](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("room_event") &&
               dataOf(m).value(QStringLiteral("user")).toString() == QLatin1String("bob");
    });
    QVERIFY2(!arrival.isEmpty(), qPrintable(alice.raw.join(u'\n')));

    // The document's custom room message, sent to the room by a service.
    QCOMPARE(publish(hub, QStringLiteral("room:chat_room_123"), QStringLiteral("custom_event"),
                     {{QStringLiteral("message"), QStringLiteral("Hello room!")}}),
             200);
    QCOMPARE(dataOf(bob.waitForType(QStringLiteral("custom_event")))
                 .value(QStringLiteral("message"))
                 .toString(),
             QStringLiteral("Hello room!"));

    bob.socket.sendTextMessage(QStringLiteral(R"({"type":"leave_room","room":"chat_room_123"})"));
    QVERIFY(!bob.waitFor([](const QJsonObject& m) {
                    return typeOf(m) == QLatin1String("room_event") &&
                           dataOf(m).value(QStringLiteral("event")).toString() ==
                               QLatin1String("left");
                })
                 .isEmpty());
    bob.messages.clear();
    bob.socket.sendTextMessage(QStringLiteral(R"({"type":"leave_room","room":"chat_room_123"})"));
    QCOMPARE(bob.waitForType(QStringLiteral("error")).value(QStringLiteral("code")).toString(),
             QStringLiteral("ROOM_NOT_FOUND"));

    bob.socket.sendTextMessage(QStringLiteral(R"({"type":"ping"})"));
    QVERIFY(!bob.waitForType(QStringLiteral("pong")).isEmpty());
}

// The document's second way: connect, then {"type": "auth", "token": ..} first. Under
// --auth required nothing comes before a valid auth: its `connection` is the first message.
void tst_Dialects::assistAuthMessage()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/connect"))));
    client.send({{QStringLiteral("type"), QStringLiteral("auth")},
                 {QStringLiteral("token"),
                  QString::fromUtf8(hub.token(QStringLiteral("carol"), Role::User))}});
    const QJsonObject connection = client.waitForType(QStringLiteral("connection"));
    QCOMPARE(dataOf(connection).value(QStringLiteral("authenticated")).toBool(), true);
    QCOMPARE(dataOf(connection).value(QStringLiteral("user_id")).toString(),
             QStringLiteral("carol"));
    QCOMPARE(client.messages.first(), connection); // no anonymous welcome before it
    QCOMPARE(client.messagesOfType(QStringLiteral("connection")).size(), 1);

    // Now joined to her own document updates.
    QCOMPARE(publish(hub, QStringLiteral("document_updates_carol"),
                     QStringLiteral("document_processing_start"),
                     {{QStringLiteral("document_id"), QStringLiteral("doc456")},
                      {QStringLiteral("filename"), QStringLiteral("report.pdf")}}),
             200);
    QCOMPARE(dataOf(client.waitForType(QStringLiteral("document_processing_start")))
                 .value(QStringLiteral("filename"))
                 .toString(),
             QStringLiteral("report.pdf"));
    QCOMPARE(assistPing(client, QStringLiteral("after")), QStringLiteral("pong"));
}

// Under --auth required a connection without a token is served nothing but a valid `auth`:
// a ping, any other message, garbage or an auth without a token is answered
// AUTHENTICATION_FAILED and closes it with 1008, before anything else is sent.
void tst_Dialects::assistNothingBeforeSignIn_data()
{
    QTest::addColumn<QString>("first");
    QTest::newRow("ping") << QStringLiteral(R"({"type":"ping"})");
    QTest::newRow("ping with an id") << QStringLiteral(R"({"type":"ping","id":"p1"})");
    QTest::newRow("another message") << QStringLiteral(R"({"type":"subscribe_job_updates"})");
    QTest::newRow("unknown type") << QStringLiteral(R"({"type":"no_such_message"})");
    QTest::newRow("not JSON") << QStringLiteral("{not json");
    QTest::newRow("auth without a token") << QStringLiteral(R"({"type":"auth"})");
    QTest::newRow("bad token") << QStringLiteral(R"({"type":"auth","token":"forged.token.value"})");
}

void tst_Dialects::assistNothingBeforeSignIn()
{
    QFETCH(QString, first);
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/connect"))));
    client.socket.sendTextMessage(first);
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCode, 1008);
    QCOMPARE(client.messages.size(), 1);
    QCOMPARE(typeOf(client.messages.first()), QStringLiteral("error"));
    QCOMPARE(client.messages.first().value(QStringLiteral("code")).toString(),
             QStringLiteral("AUTHENTICATION_FAILED"));
}

// The document's own client: the token in the query *and* an auth message with the same token
// on open. Both ways name one identity: one `connection`, no error; an auth message of another
// identity is refused and changes nothing. In every auth mode that verifies tokens.
void tst_Dialects::assistDocumentClientSendsItsTokenTwice_data()
{
    QTest::addColumn<AuthMode>("mode");
    QTest::newRow("required") << AuthMode::Required;
    QTest::newRow("optional") << AuthMode::Optional;
}

void tst_Dialects::assistDocumentClientSendsItsTokenTwice()
{
    QFETCH(AuthMode, mode);
    TestHub hub(configWith(mode));
    QVERIFY(!hub.startError);
    const QByteArray token = hub.token(QStringLiteral("alice"), Role::User);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/connect"), token)));
    // ws.onopen = () => ws.send(JSON.stringify({type: 'auth', token: jwtToken}));
    client.send({{QStringLiteral("type"), QStringLiteral("auth")},
                 {QStringLiteral("token"), QString::fromUtf8(token)}});
    QCOMPARE(assistPing(client, QStringLiteral("1")), QStringLiteral("pong"));
    QCOMPARE(client.messagesOfType(QStringLiteral("connection")).size(), 1);
    QCOMPARE(dataOf(client.messagesOfType(QStringLiteral("connection")).first())
                 .value(QStringLiteral("user_id"))
                 .toString(),
             QStringLiteral("alice"));
    QVERIFY2(client.messagesOfType(QStringLiteral("error")).isEmpty(),
             qPrintable(client.raw.join(u'\n')));

    // With an id, the same auth gets its one reply, an ack.
    client.send({{QStringLiteral("type"), QStringLiteral("auth")},
                 {QStringLiteral("id"), QStringLiteral("again")},
                 {QStringLiteral("token"), QString::fromUtf8(token)}});
    QCOMPARE(typeOf(client.waitForReply(QStringLiteral("again"))), QStringLiteral("ack"));

    // Another identity is refused; the connection stays alice's.
    client.send({{QStringLiteral("type"), QStringLiteral("auth")},
                 {QStringLiteral("id"), QStringLiteral("bob")},
                 {QStringLiteral("token"),
                  QString::fromUtf8(hub.token(QStringLiteral("bob"), Role::Admin))}});
    const QJsonObject refused = client.waitForReply(QStringLiteral("bob"));
    QCOMPARE(typeOf(refused), QStringLiteral("error"));
    QCOMPARE(refused.value(QStringLiteral("code")).toString(),
             QStringLiteral("AUTHENTICATION_FAILED"));
    QCOMPARE(assistPing(client, QStringLiteral("2")), QStringLiteral("pong"));
    QVERIFY(!client.closed);
    client.send({{QStringLiteral("type"), QStringLiteral("join_room")},
                 {QStringLiteral("id"), QStringLiteral("admin")},
                 {QStringLiteral("room"), QStringLiteral("admin")}});
    QCOMPARE(client.waitForReply(QStringLiteral("admin")).value(QStringLiteral("code")).toString(),
             QStringLiteral("PERMISSION_DENIED"));
    QCOMPARE(client.messagesOfType(QStringLiteral("connection")).size(), 1);
}

// --auth optional and off keep what they had: an anonymous connection is greeted at once, may
// ping, and signs in later with an auth message.
void tst_Dialects::assistOptionalAndOffGreetAtOnce_data()
{
    QTest::addColumn<AuthMode>("mode");
    QTest::newRow("optional") << AuthMode::Optional;
    QTest::newRow("off") << AuthMode::Off;
}

void tst_Dialects::assistOptionalAndOffGreetAtOnce()
{
    QFETCH(AuthMode, mode);
    TestHub hub(configWith(mode));
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/connect"))));
    const QJsonObject first = client.waitForType(QStringLiteral("connection"));
    QCOMPARE(dataOf(first).value(QStringLiteral("authenticated")).toBool(), false);
    QCOMPARE(assistPing(client, QStringLiteral("1")), QStringLiteral("pong"));
    client.send({{QStringLiteral("type"), QStringLiteral("auth")},
                 {QStringLiteral("token"),
                  QString::fromUtf8(hub.token(QStringLiteral("carol"), Role::User))}});
    QTRY_COMPARE(client.messagesOfType(QStringLiteral("connection")).size(), 2);
    QCOMPARE(dataOf(client.messagesOfType(QStringLiteral("connection")).last())
                 .value(QStringLiteral("user_id"))
                 .toString(),
             QStringLiteral("carol"));
    QVERIFY(!client.closed);
}

void tst_Dialects::assistBadAuthMessageCloses()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    // Signed in already (by query token): a bad token in an auth message still closes at once.
    TestClient client;
    QVERIFY(client.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(!client.waitForType(QStringLiteral("connection")).isEmpty());
    client.socket.sendTextMessage(
        QStringLiteral(R"({"type":"auth","token":"forged.token.value"})"));
    QCOMPARE(client.waitForType(QStringLiteral("error")).value(QStringLiteral("code")).toString(),
             QStringLiteral("AUTHENTICATION_FAILED"));
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCode, 1008);

    // A bad token in the query is refused before the handshake.
    TestClient forged;
    QVERIFY(!forged.open(hub.ws(QStringLiteral("/ws/connect"), "forged.token.value"), {}, 3000));
}

void tst_Dialects::assistSpecialRoomRules()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient alice;
    QVERIFY(alice.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(!alice.waitForType(QStringLiteral("connection")).isEmpty());

    const auto codeFor = [&alice](const QString& room) {
        alice.messages.clear();
        alice.send({{QStringLiteral("type"), QStringLiteral("join_room")},
                    {QStringLiteral("room"), room}});
        const QJsonObject reply = alice.waitFor([](const QJsonObject& m) {
            return typeOf(m) == QLatin1String("error") || typeOf(m) == QLatin1String("room_event");
        });
        return typeOf(reply) == QLatin1String("error")
                   ? reply.value(QStringLiteral("code")).toString()
                   : QStringLiteral("joined");
    };
    QCOMPARE(codeFor(QStringLiteral("admin")), QStringLiteral("PERMISSION_DENIED"));
    QCOMPARE(codeFor(QStringLiteral("all_document_updates")), QStringLiteral("PERMISSION_DENIED"));
    QCOMPARE(codeFor(QStringLiteral("document_updates_bob")), QStringLiteral("PERMISSION_DENIED"));
    QCOMPARE(codeFor(QStringLiteral("document_updates_alice")), QStringLiteral("joined"));
    QCOMPARE(codeFor(QStringLiteral("system_monitoring")), QStringLiteral("joined"));
    QCOMPARE(codeFor(QStringLiteral("background_jobs")), QStringLiteral("joined"));
    QCOMPARE(codeFor(QStringLiteral("has space")), QStringLiteral("INVALID_MESSAGE"));

    TestClient root;
    QVERIFY(root.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("root"), Role::Admin))));
    QVERIFY(!root.waitForType(QStringLiteral("connection")).isEmpty());
    root.send({{QStringLiteral("type"), QStringLiteral("join_room")},
               {QStringLiteral("room"), QStringLiteral("all_document_updates")}});
    QCOMPARE(dataOf(root.waitForType(QStringLiteral("room_event")))
                 .value(QStringLiteral("event"))
                 .toString(),
             QStringLiteral("joined"));
}

void tst_Dialects::assistDocumentUpdatesReachOwnerAndAdmins()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient alice, bob, root;
    QVERIFY(alice.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(bob.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("bob"), Role::User))));
    QVERIFY(root.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("root"), Role::Admin))));
    for (TestClient* client : {&alice, &bob, &root})
        QVERIFY(!client->waitForType(QStringLiteral("connection")).isEmpty());
    root.send({{QStringLiteral("type"), QStringLiteral("subscribe_document_updates")}});
    QVERIFY(!root.waitForType(QStringLiteral("room_event")).isEmpty());

    const QJsonObject done{{QStringLiteral("document_id"), QStringLiteral("doc456")},
                           {QStringLiteral("filename"), QStringLiteral("report.pdf")},
                           {QStringLiteral("success"), true}};
    QCOMPARE(publish(hub, QStringLiteral("document_updates_alice"),
                     QStringLiteral("document_processing_complete"), done),
             200);
    QCOMPARE(dataOf(alice.waitForType(QStringLiteral("document_processing_complete"))), done);
    QCOMPARE(dataOf(root.waitForType(QStringLiteral("document_processing_complete"))), done);
    // Bob is not told about Alice's documents; a ping round trip proves nothing is in flight.
    bob.send({{QStringLiteral("type"), QStringLiteral("ping")}});
    QVERIFY(!bob.waitForType(QStringLiteral("pong")).isEmpty());
    QVERIFY(bob.messagesOfType(QStringLiteral("document_processing_complete")).isEmpty());
}

void tst_Dialects::assistJobUpdatesAndActiveJobs()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient alice;
    QVERIFY(alice.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(!alice.waitForType(QStringLiteral("connection")).isEmpty());
    alice.send({{QStringLiteral("type"), QStringLiteral("subscribe_job_updates")}});
    QCOMPARE(dataOf(alice.waitForType(QStringLiteral("room_event")))
                 .value(QStringLiteral("room"))
                 .toString(),
             QStringLiteral("background_jobs"));

    const auto activeJobs = [&alice](const QString& id) {
        alice.send({{QStringLiteral("type"), QStringLiteral("get_active_jobs")},
                    {QStringLiteral("id"), id}});
        return dataOf(alice.waitFor([&id](const QJsonObject& m) {
                   return typeOf(m) == QLatin1String("job_updates") &&
                          m.value(QStringLiteral("id")).toString() == id;
               }))
            .value(QStringLiteral("jobs"))
            .toArray();
    };
    const auto statusIn = [](const QJsonArray& jobs, const QString& jobId) {
        for (const QJsonValue& job : jobs) {
            if (job.toObject().value(QStringLiteral("job_id")).toString() == jobId)
                return job.toObject().value(QStringLiteral("status")).toString();
        }
        return QString();
    };
    QVERIFY(activeJobs(QStringLiteral("before")).isEmpty());

    // A job held running (an external one, until its service reports) is listed with its
    // status, and no longer once it has finished.
    const QString held = createExternalJob(hub, R"({"type":"rc_analysis","title":"Held"})");
    QVERIFY(!held.isEmpty());
    const QJsonArray running = activeJobs(QStringLiteral("while"));
    QCOMPARE(statusIn(running, held), QStringLiteral("running"));
    QCOMPARE(running.size(), 1);
    QCOMPARE(reportExternalJob(hub, held, R"({"status":"completed","result":{}})"), 200);
    QVERIFY(!alice
                 .waitFor([&held](const QJsonObject& m) {
                     return typeOf(m) == QLatin1String("job_updates") &&
                            dataOf(m).value(QStringLiteral("job_id")).toString() == held &&
                            dataOf(m).value(QStringLiteral("status")).toString() ==
                                QLatin1String("completed");
                 })
                 .isEmpty());
    QCOMPARE(statusIn(activeJobs(QStringLiteral("after")), held), QString());

    const TestHub::Reply submitted = hub.send("POST", QStringLiteral("/api/jobs/monte_carlo"),
                                              R"({"iterations": 2000, "months": 12})",
                                              hub.token(QStringLiteral("alice"), Role::User));
    QCOMPARE(submitted.status, 202);
    const QString jobId =
        QJsonDocument::fromJson(submitted.body).object().value(QStringLiteral("job_id")).toString();
    QVERIFY(!jobId.isEmpty());
    const QJsonObject finished = alice.waitFor(
        [&jobId](const QJsonObject& m) {
            return typeOf(m) == QLatin1String("job_updates") &&
                   dataOf(m).value(QStringLiteral("job_id")).toString() == jobId &&
                   dataOf(m).value(QStringLiteral("status")).toString() ==
                       QLatin1String("completed");
        },
        15000);
    QVERIFY2(!finished.isEmpty(), qPrintable(alice.raw.join(u'\n')));
}

void tst_Dialects::assistSystemMetricsOnlyWhileSubscribed()
{
    HubConfig config = testConfig();
    config.metricsInterval = std::chrono::milliseconds(50);
    TestHub hub(config);
    QVERIFY(!hub.startError);
    TestClient alice;
    QVERIFY(alice.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(!alice.waitForType(QStringLiteral("connection")).isEmpty());
    alice.send({{QStringLiteral("type"), QStringLiteral("subscribe_system_metrics")}});
    const QJsonObject metrics = alice.waitForType(QStringLiteral("system_metrics"));
    QVERIFY(dataOf(metrics).contains(QStringLiteral("memory_used_bytes")));

    alice.send({{QStringLiteral("type"), QStringLiteral("unsubscribe_system_metrics")}});
    QVERIFY(!alice
                 .waitFor([](const QJsonObject& m) {
                     return typeOf(m) == QLatin1String("room_event") &&
                            dataOf(m).value(QStringLiteral("event")).toString() ==
                                QLatin1String("left");
                 })
                 .isEmpty());
    // After leaving, no sample reaches this client within ten sampling intervals (that the
    // sampler itself stops with its last watcher is tst_system_metrics' concern).
    alice.messages.clear();
    alice.send({{QStringLiteral("type"), QStringLiteral("ping")}});
    QVERIFY(!alice.waitForType(QStringLiteral("pong")).isEmpty());
    QVERIFY(alice.waitForType(QStringLiteral("system_metrics"), 500).isEmpty());
}

void tst_Dialects::assistBroadcastAdminIsAdminOnly()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient alice, root;
    QVERIFY(alice.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(root.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("root"), Role::Admin))));
    QVERIFY(!alice.waitForType(QStringLiteral("connection")).isEmpty());
    QVERIFY(!root.waitForType(QStringLiteral("connection")).isEmpty());

    alice.send({{QStringLiteral("type"), QStringLiteral("broadcast_admin")},
                {QStringLiteral("message"), QStringLiteral("hi all")}});
    QCOMPARE(alice.waitForType(QStringLiteral("error")).value(QStringLiteral("code")).toString(),
             QStringLiteral("PERMISSION_DENIED"));

    // `details` as the document's notify_system_alert names it, and as /asyncapi.json says.
    root.send({{QStringLiteral("type"), QStringLiteral("broadcast_admin")},
               {QStringLiteral("message"), QStringLiteral("Maintenance at 18:00")},
               {QStringLiteral("severity"), QStringLiteral("warning")},
               {QStringLiteral("details"), QJsonObject{{QStringLiteral("window_minutes"), 30}}}});
    const QJsonObject alert = alice.waitForType(QStringLiteral("system_alert"));
    QCOMPARE(dataOf(alert).value(QStringLiteral("message")).toString(),
             QStringLiteral("Maintenance at 18:00"));
    QCOMPARE(dataOf(alert).value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
    QCOMPARE(dataOf(alert).value(QStringLiteral("details")).toObject(),
             QJsonObject({{QStringLiteral("window_minutes"), 30}}));
    QCOMPARE(dataOf(root.waitForType(QStringLiteral("broadcast_sent")))
                 .value(QStringLiteral("delivered"))
                 .toInt(),
             2);

    root.messages.clear();
    root.send({{QStringLiteral("type"), QStringLiteral("broadcast_admin")}});
    QCOMPARE(root.waitForType(QStringLiteral("error")).value(QStringLiteral("code")).toString(),
             QStringLiteral("INVALID_MESSAGE"));
}

void tst_Dialects::assistUserActivityToAdmins()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient root;
    QVERIFY(root.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("root"), Role::Admin))));
    QVERIFY(!root.waitForType(QStringLiteral("connection")).isEmpty());
    {
        TestClient alice;
        QVERIFY(alice.open(
            hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("alice"), Role::User))));
        const QJsonObject connected = root.waitFor([](const QJsonObject& m) {
            return typeOf(m) == QLatin1String("user_activity") &&
                   dataOf(m).value(QStringLiteral("user_id")).toString() == QLatin1String("alice");
        });
        QCOMPARE(dataOf(connected).value(QStringLiteral("action")).toString(),
                 QStringLiteral("connected"));
        alice.socket.close();
        QVERIFY(alice.waitClosed());
    }
    const QJsonObject gone = root.waitFor([](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("user_activity") &&
               dataOf(m).value(QStringLiteral("action")).toString() ==
                   QLatin1String("disconnected");
    });
    QCOMPARE(dataOf(gone).value(QStringLiteral("user_id")).toString(), QStringLiteral("alice"));
}

// WS_MAX_MESSAGES per WS_RATE_WINDOW: past the limit a message is refused until the window
// ends, then the user has the whole allowance again.
void tst_Dialects::assistRateWindowResets()
{
    HubConfig config = testConfig();
    config.wsMaxMessages = 2;
    config.wsRateWindow = std::chrono::milliseconds(1500);
    // The hub-wide limits stay out of the way of the polling below.
    config.requestsPerMinute = 100000;
    config.requestsPerHour = 100000;
    TestHub hub(config);
    QVERIFY(!hub.startError);
    TestClient alice;
    QVERIFY(alice.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(!alice.waitForType(QStringLiteral("connection")).isEmpty());

    QElapsedTimer window;
    window.start();
    QCOMPARE(assistPing(alice, QStringLiteral("a1")), QStringLiteral("pong"));
    QCOMPARE(assistPing(alice, QStringLiteral("a2")), QStringLiteral("pong"));
    QCOMPARE(assistPing(alice, QStringLiteral("a3")), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(assistPing(alice, QStringLiteral("a4")), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QVERIFY2(window.elapsed() < 1500, "the machine was too slow to tell the windows apart");

    // Refused messages do not count: once the window has passed, two are allowed again.
    // The window's end is a point in time, so this polls, as QTRY_* would, at most 10 s.
    QStringList answers;
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        answers.append(assistPing(alice, QStringLiteral("b%1").arg(answers.size())));
        if (answers.last() != QLatin1String("RATE_LIMIT_EXCEEDED"))
            break;
        QTest::qWait(50);
    }
    QVERIFY2(answers.size() > 1 && answers.last() == QLatin1String("pong"),
             qPrintable(answers.join(u' ')));
    QVERIFY(window.elapsed() >= 1400);
    QCOMPARE(assistPing(alice, QStringLiteral("c1")), QStringLiteral("pong"));
    QCOMPARE(assistPing(alice, QStringLiteral("c2")), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QVERIFY(!alice.closed);
}

// The allowance is the user's, whatever connection the messages come on; another user has
// their own.
void tst_Dialects::assistRateLimitIsPerUserAcrossConnections()
{
    HubConfig config = testConfig();
    config.wsMaxMessages = 3;
    TestHub hub(config);
    QVERIFY(!hub.startError);
    const QByteArray aliceToken = hub.token(QStringLiteral("alice"), Role::User);
    TestClient first, second, bob;
    QVERIFY(first.open(hub.ws(QStringLiteral("/ws/connect"), aliceToken)));
    QVERIFY(second.open(hub.ws(QStringLiteral("/ws/connect"), aliceToken)));
    QVERIFY(bob.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("bob"), Role::User))));
    for (TestClient* client : {&first, &second, &bob})
        QVERIFY(!client->waitForType(QStringLiteral("connection")).isEmpty());

    QCOMPARE(assistPing(first, QStringLiteral("1")), QStringLiteral("pong"));
    QCOMPARE(assistPing(second, QStringLiteral("2")), QStringLiteral("pong"));
    QCOMPARE(assistPing(first, QStringLiteral("3")), QStringLiteral("pong"));
    QCOMPARE(assistPing(second, QStringLiteral("4")), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(assistPing(first, QStringLiteral("5")), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(assistPing(bob, QStringLiteral("bob%1").arg(i)), QStringLiteral("pong"));
    QCOMPARE(assistPing(bob, QStringLiteral("bob3")), QStringLiteral("RATE_LIMIT_EXCEEDED"));
}

void tst_Dialects::projectsRegistry()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin);
    const QByteArray acmeService =
        hub.token(QStringLiteral("svc"), Role::Service, QStringLiteral("acme"));
    const QByteArray user = hub.token(QStringLiteral("alice"), Role::User, QStringLiteral("acme"));

    QCOMPARE(hub.send("PUT", QStringLiteral("/api/v1/projects/p1"), R"({"tenant":"acme"})").status,
             401);
    QCOMPARE(
        hub.send("PUT", QStringLiteral("/api/v1/projects/p1"), R"({"tenant":"acme"})", user).status,
        403);
    QCOMPARE(hub.send("PUT", QStringLiteral("/api/v1/projects/p1"),
                      R"({"tenant":"acme","name":"RFP"})", admin)
                 .status,
             201);
    QCOMPARE(
        hub.send("PUT", QStringLiteral("/api/v1/projects/p1"), R"({"tenant":"acme"})", acmeService)
            .status,
        200);
    // A service does not register projects for, or take projects from, another tenant.
    QCOMPARE(hub.send("PUT", QStringLiteral("/api/v1/projects/p2"), R"({"tenant":"globex"})",
                      acmeService)
                 .status,
             403);
    QCOMPARE(hub.send("PUT", QStringLiteral("/api/v1/projects/p2"), R"({"tenant":"globex"})", admin)
                 .status,
             201);
    QCOMPARE(
        hub.send("PUT", QStringLiteral("/api/v1/projects/p2"), R"({"tenant":"acme"})", acmeService)
            .status,
        403);

    const TestHub::Reply missing =
        hub.send("PUT", QStringLiteral("/api/v1/projects/p3"), R"({"name":"x"})", admin);
    QCOMPARE(missing.status, 400);
    QVERIFY(missing.body.contains("tenant"));
    QCOMPARE(hub.send("PUT", QStringLiteral("/api/v1/projects/p3"), "{oops", admin).status, 400);

    const TestHub::Reply all = hub.send("GET", QStringLiteral("/api/v1/projects"), {}, admin);
    QCOMPARE(all.status, 200);
    QCOMPARE(QJsonDocument::fromJson(all.body).array().size(), 2);
    const TestHub::Reply own = hub.send("GET", QStringLiteral("/api/v1/projects"), {}, acmeService);
    QCOMPARE(QJsonDocument::fromJson(own.body).array().size(), 1);
    QCOMPARE(hub.send("GET", QStringLiteral("/api/v1/projects/p2"), {}, acmeService).status, 404);
}

// The document's client: ws://api/ws/projects/{id}?token=..., keep-alive by text "ping".
void tst_Dialects::projectsTextPingAndProgressMessages()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin);
    QCOMPARE(hub.send("PUT", QStringLiteral("/api/v1/projects/7f0c"), R"({"tenant":"acme"})", admin)
                 .status,
             201);

    TestClient alice;
    QVERIFY(
        alice.open(hub.ws(QStringLiteral("/ws/projects/7f0c"),
                          hub.token(QStringLiteral("alice"), Role::User, QStringLiteral("acme")))));
    alice.socket.sendTextMessage(QStringLiteral("ping"));
    QVERIFY(waitForRaw(alice, QStringLiteral("pong")));
    QCOMPARE(alice.raw.first(), QStringLiteral("pong")); // no welcome

    const QJsonObject progress{
        {QStringLiteral("status"), QStringLiteral("analyzing")},
        {QStringLiteral("progress"), 40},
        {QStringLiteral("message"), QStringLiteral("Extracting requirements")}};
    QCOMPARE(publish(hub, QStringLiteral("project:7f0c"), QStringLiteral("rc_analysis_progress"),
                     progress),
             200);
    const QJsonObject message = alice.waitForType(QStringLiteral("rc_analysis_progress"));
    QCOMPARE(message.value(QStringLiteral("status")).toString(), QStringLiteral("analyzing"));
    QCOMPARE(message.value(QStringLiteral("progress")).toInt(), 40);
    QCOMPARE(message.value(QStringLiteral("message")).toString(),
             QStringLiteral("Extracting requirements"));
    QVERIFY(!message.value(QStringLiteral("timestamp")).toString().isEmpty());
    QVERIFY(!message.contains(QStringLiteral("data")));

    const QJsonObject matching{{QStringLiteral("current_requirement"), QStringLiteral("R-12")},
                               {QStringLiteral("requirements_completed"), 12},
                               {QStringLiteral("requirements_total"), 30},
                               {QStringLiteral("progress"), 40}};
    QCOMPARE(
        publish(hub, QStringLiteral("project:7f0c"), QStringLiteral("matching_progress"), matching),
        200);
    QCOMPARE(alice.waitForType(QStringLiteral("matching_progress"))
                 .value(QStringLiteral("requirements_total"))
                 .toInt(),
             30);
}

void tst_Dialects::projectsOtherTenantClosedBeforeAnyData()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin);
    QCOMPARE(hub.send("PUT", QStringLiteral("/api/v1/projects/p1"), R"({"tenant":"acme"})", admin)
                 .status,
             201);

    const auto closeCodeFor = [&hub](const QString& path, const QByteArray& token) {
        TestClient client;
        if (!client.open(hub.ws(path, token)))
            return -1;
        if (!client.waitClosed())
            return -2;
        return client.raw.isEmpty() ? client.closeCode : -3;
    };
    QCOMPARE(
        closeCodeFor(QStringLiteral("/ws/projects/p1"),
                     hub.token(QStringLiteral("mallory"), Role::User, QStringLiteral("globex"))),
        1008);
    QCOMPARE(closeCodeFor(QStringLiteral("/ws/projects/p1"), {}), 1008);
    QCOMPARE(closeCodeFor(QStringLiteral("/ws/projects/p1"), "expired.or.forged"), 1008);
    QCOMPARE(closeCodeFor(QStringLiteral("/ws/projects/unregistered"),
                          hub.token(QStringLiteral("alice"), Role::User, QStringLiteral("acme"))),
             1008);
    // A user of another tenant cannot read the project's topic from the native protocol either.
    TestClient native;
    QVERIFY(native.open(
        hub.ws(QStringLiteral("/ws/v1"),
               hub.token(QStringLiteral("mallory"), Role::User, QStringLiteral("globex")))));
    const QJsonObject denied =
        native.request(QStringLiteral("subscribe"), QStringLiteral("1"),
                       {{QStringLiteral("topics"), QJsonArray{QStringLiteral("project:p1")}}});
    QCOMPARE(denied.value(QStringLiteral("code")).toString(), QStringLiteral("PERMISSION_DENIED"));
}

// SPEC §5.3: an external job with a project_id reports to the project in 003's names: a
// document_generation job as document_generation_progress {status, progress, message}.
void tst_Dialects::projectsJobProgressReachesProject()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient alice;
    QVERIFY(openProject(hub, QStringLiteral("p9"), alice));

    const QString id = createExternalJob(
        hub, R"({"type":"document_generation","title":"Proposal","project_id":"p9"})");
    QVERIFY(!id.isEmpty());
    QCOMPARE(reportExternalJob(hub, id,
                               R"({"progress":50,"status":"running","message":"Section 3 of 6"})"),
             200);
    const QJsonObject progress = alice.waitFor([](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("document_generation_progress") &&
               m.value(QStringLiteral("progress")).toInt() == 50;
    });
    QVERIFY2(!progress.isEmpty(), qPrintable(alice.raw.join(u'\n')));
    QCOMPARE(progress.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QCOMPARE(progress.value(QStringLiteral("message")).toString(),
             QStringLiteral("Section 3 of 6"));
    QVERIFY(!progress.value(QStringLiteral("timestamp")).toString().isEmpty());
    QVERIFY(!progress.contains(QStringLiteral("sections_completed")));
    QVERIFY(alice.messagesOfType(QStringLiteral("generation_progress")).isEmpty());

    QCOMPARE(reportExternalJob(hub, id,
                               R"({"progress":100,"status":"completed","result":{"pages":42}})"),
             200);
    const QJsonObject completion = alice.waitForType(QStringLiteral("completion"));
    QCOMPARE(completion.value(QStringLiteral("operation")).toString(), QStringLiteral("Proposal"));
    QCOMPARE(completion.value(QStringLiteral("result"))
                 .toObject()
                 .value(QStringLiteral("pages"))
                 .toInt(),
             42);
    QVERIFY(!completion.value(QStringLiteral("timestamp")).toString().isEmpty());
}

// The document's example client moves its progress bar on rc_analysis_progress: an external
// rc_analysis job sends exactly that, and a matching job matching_progress.
void tst_Dialects::projectsRcAnalysisJobDrivesTheProgressBar()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient alice;
    QVERIFY(openProject(hub, QStringLiteral("rc1"), alice));

    const QString id = createExternalJob(
        hub, R"({"type":"rc_analysis","title":"Analyse the RC","project_id":"rc1"})");
    QVERIFY(!id.isEmpty());
    QCOMPARE(reportExternalJob(
                 hub, id,
                 R"({"progress":40,"status":"running","message":"Analyzing document with AI..."})"),
             200);
    const QJsonObject bar = alice.waitFor([](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("rc_analysis_progress") &&
               m.value(QStringLiteral("progress")).toInt() == 40;
    });
    QVERIFY2(!bar.isEmpty(), qPrintable(alice.raw.join(u'\n')));
    QCOMPARE(bar.value(QStringLiteral("message")).toString(),
             QStringLiteral("Analyzing document with AI..."));
    QCOMPARE(bar.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QVERIFY(!bar.value(QStringLiteral("timestamp")).toString().isEmpty());

    const QString matching = createExternalJob(
        hub, R"({"type":"matching","title":"Match requirements","project_id":"rc1"})");
    QVERIFY(!matching.isEmpty());
    QCOMPARE(
        reportExternalJob(hub, matching, R"({"progress":25,"message":"R-3 Delivery schedule"})"),
        200);
    const QJsonObject match = alice.waitFor([](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("matching_progress") &&
               m.value(QStringLiteral("progress")).toInt() == 25;
    });
    QVERIFY2(!match.isEmpty(), qPrintable(alice.raw.join(u'\n')));
    QCOMPARE(match.value(QStringLiteral("current_requirement")).toString(),
             QStringLiteral("R-3 Delivery schedule"));
    QVERIFY(match.value(QStringLiteral("requirements_completed")).isDouble());
    QVERIFY(match.value(QStringLiteral("requirements_total")).isDouble());
}

// What the document's services send themselves (ProgressUpdater): its own payloads, flat, each
// with a timestamp.
void tst_Dialects::projectsServiceProgressAndErrorMessages()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient alice;
    QVERIFY(openProject(hub, QStringLiteral("d1"), alice));

    QCOMPARE(publish(hub, QStringLiteral("project:d1"),
                     QStringLiteral("document_generation_progress"),
                     {{QStringLiteral("status"), QStringLiteral("rendering")},
                      {QStringLiteral("progress"), 70},
                      {QStringLiteral("message"), QStringLiteral("Rendering the PDF...")}}),
             200);
    const QJsonObject progress = alice.waitForType(QStringLiteral("document_generation_progress"));
    QCOMPARE(progress.value(QStringLiteral("status")).toString(), QStringLiteral("rendering"));
    QCOMPARE(progress.value(QStringLiteral("progress")).toInt(), 70);
    QCOMPARE(progress.value(QStringLiteral("message")).toString(),
             QStringLiteral("Rendering the PDF..."));
    QVERIFY(!progress.value(QStringLiteral("timestamp")).toString().isEmpty());

    QCOMPARE(publish(hub, QStringLiteral("project:d1"), QStringLiteral("error"),
                     {{QStringLiteral("operation"), QStringLiteral("operation_name")},
                      {QStringLiteral("error"), QStringLiteral("Claude API timed out")}}),
             200);
    const QJsonObject error = alice.waitForType(QStringLiteral("error"));
    QCOMPARE(error.value(QStringLiteral("operation")).toString(), QStringLiteral("operation_name"));
    QCOMPARE(error.value(QStringLiteral("error")).toString(),
             QStringLiteral("Claude API timed out"));
    QVERIFY(!error.value(QStringLiteral("timestamp")).toString().isEmpty());
    QVERIFY(!error.contains(QStringLiteral("data")));
}

// A failed job of the project is 003's error {operation, error, timestamp}.
void tst_Dialects::projectsFailedJobIsAnError()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient alice;
    QVERIFY(openProject(hub, QStringLiteral("f1"), alice));

    const QString id = createExternalJob(
        hub, R"({"type":"document_generation","title":"Final dossier","project_id":"f1"})");
    QVERIFY(!id.isEmpty());
    QCOMPARE(reportExternalJob(hub, id, R"({"status":"failed","error":"template missing"})"), 200);
    const QJsonObject error = alice.waitForType(QStringLiteral("error"));
    QVERIFY2(!error.isEmpty(), qPrintable(alice.raw.join(u'\n')));
    QCOMPARE(error.value(QStringLiteral("operation")).toString(), QStringLiteral("Final dossier"));
    QCOMPARE(error.value(QStringLiteral("error")).toString(), QStringLiteral("template missing"));
    QVERIFY(!error.value(QStringLiteral("timestamp")).toString().isEmpty());
    QVERIFY(alice.messagesOfType(QStringLiteral("completion")).isEmpty());
}

void tst_Dialects::notificationsAreUserScoped()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient alice, bob;
    QVERIFY(alice.open(hub.ws(QStringLiteral("/ws/notifications"),
                              hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(bob.open(
        hub.ws(QStringLiteral("/ws/notifications"), hub.token(QStringLiteral("bob"), Role::User))));
    for (TestClient* client : {&alice, &bob}) {
        client->socket.sendTextMessage(QStringLiteral("ping"));
        QVERIFY(waitForRaw(*client, QStringLiteral("pong")));
    }
    QCOMPARE(publish(hub, QStringLiteral("user:alice"), QStringLiteral("completion"),
                     {{QStringLiteral("operation"), QStringLiteral("export")},
                      {QStringLiteral("result"), QJsonObject{{QStringLiteral("ok"), true}}}}),
             200);
    QCOMPARE(alice.waitForType(QStringLiteral("completion"))
                 .value(QStringLiteral("operation"))
                 .toString(),
             QStringLiteral("export"));
    // A service's own type on the user's topic (004's direct messages, say) reaches the user's
    // 003 notifications too, flat with its timestamp; and only that user.
    alice.raw.clear();
    QCOMPARE(publish(hub, QStringLiteral("user:alice"), QStringLiteral("direct_message"),
                     {{QStringLiteral("message"), QStringLiteral("hi")}}),
             200);
    const QJsonObject direct = alice.waitForType(QStringLiteral("direct_message"));
    QCOMPARE(direct.value(QStringLiteral("message")).toString(), QStringLiteral("hi"));
    QVERIFY(direct.value(QStringLiteral("timestamp")).toString().endsWith(u'Z'));
    bob.raw.clear();
    bob.socket.sendTextMessage(QStringLiteral("ping"));
    QVERIFY(waitForRaw(bob, QStringLiteral("pong")));
    QCOMPARE(bob.raw, QStringList{QStringLiteral("pong")});

    TestClient anonymous;
    QVERIFY(anonymous.open(hub.ws(QStringLiteral("/ws/notifications"))));
    QVERIFY(anonymous.waitClosed());
    QCOMPARE(anonymous.closeCode, 1008);
}

// SPEC §2.2: "An event published once reaches every subscriber, whatever its dialect."
void tst_Dialects::onePublishReachesEveryDialect()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const QByteArray token = hub.token(QStringLiteral("alice"), Role::User);
    TestClient native, calculations, assist;
    QVERIFY(native.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    QVERIFY(calculations.open(hub.ws(QStringLiteral("/ws/status"), token)));
    QVERIFY(assist.open(hub.ws(QStringLiteral("/ws/connect"), token)));
    QCOMPARE(native
                 .request(QStringLiteral("subscribe"), QStringLiteral("1"),
                          {{QStringLiteral("topics"), QJsonArray{QStringLiteral("jobs")}}})
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("ack"));
    calculations.send(
        {{QStringLiteral("type"), QStringLiteral("subscribe")},
         {QStringLiteral("data"), QJsonObject{{QStringLiteral("topic"), QStringLiteral("jobs")}}}});
    QVERIFY(!calculations.waitForType(QStringLiteral("subscribed")).isEmpty());
    assist.send({{QStringLiteral("type"), QStringLiteral("subscribe_job_updates")}});
    QVERIFY(!assist.waitForType(QStringLiteral("room_event")).isEmpty());

    const QJsonObject job{{QStringLiteral("job_id"), QStringLiteral("job789")},
                          {QStringLiteral("status"), QStringLiteral("running")},
                          {QStringLiteral("progress"), 45.5}};
    QCOMPARE(publish(hub, QStringLiteral("jobs"), QStringLiteral("job_progress"), job), 200);

    const QJsonObject nativeEvent = native.waitForType(QStringLiteral("event"));
    QCOMPARE(nativeEvent.value(QStringLiteral("event")).toString(), QStringLiteral("job_progress"));
    QCOMPARE(dataOf(nativeEvent), job);
    QCOMPARE(dataOf(calculations.waitForType(QStringLiteral("job_progress"))), job);
    const QJsonObject update = dataOf(assist.waitForType(QStringLiteral("job_updates")));
    QCOMPARE(update.value(QStringLiteral("job_id")).toString(), QStringLiteral("job789"));
    QCOMPARE(update.value(QStringLiteral("progress")).toDouble(), 45.5);
}

// SPEC §5.2: one job, followed through every audience at once — native `jobs`, 000 job_* on
// /ws/status and calculation_* on /ws/calculations, 002 job_updates and get_active_jobs, 003
// progress on its project, and REST.
// Rooms are one namespace: POST /api/v1/ws/rooms/{id}/broadcast reaches the room's members
// whichever endpoint they joined it by — native /ws/v1, 002's /ws/connect, 004's /api/v1/ws —
// each in its dialect's shape, and no one who is not in the room.
void tst_Dialects::roomBroadcastReachesEveryMemberAndNoOneElse()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin, QStringLiteral("acme"));
    const auto tokenOf = [&hub](const char* user) {
        return hub.token(QString::fromLatin1(user), Role::User, QStringLiteral("acme"));
    };
    const QString room = QStringLiteral("chat_room_123");
    const QString path = QStringLiteral("/api/v1/ws/rooms/chat_room_123/broadcast");
    TestClient native, nativeOutsider, assist, assistOutsider, collab, collabOutsider;
    QVERIFY(native.open(hub.ws(QStringLiteral("/ws/v1"), tokenOf("nina"))));
    QVERIFY(nativeOutsider.open(hub.ws(QStringLiteral("/ws/v1"), tokenOf("otto"))));
    QVERIFY(assist.open(hub.ws(QStringLiteral("/ws/connect"), tokenOf("anna"))));
    QVERIFY(assistOutsider.open(hub.ws(QStringLiteral("/ws/connect"), tokenOf("olga"))));
    QVERIFY(collab.open(hub.ws(QStringLiteral("/api/v1/ws"), tokenOf("cleo"))));
    QVERIFY(collabOutsider.open(hub.ws(QStringLiteral("/api/v1/ws"), tokenOf("oscar"))));

    // Nobody in it yet, in any dialect: not found.
    const QByteArray custom = R"({"type":"custom_event","data":{"message":"Hello room!"}})";
    QCOMPARE(hub.send("POST", path, custom, admin).status, 404);

    // 002 and native members only: the room exists for the broadcast all the same.
    assist.send(
        {{QStringLiteral("type"), QStringLiteral("join_room")}, {QStringLiteral("room"), room}});
    QVERIFY(!assist.waitForType(QStringLiteral("room_event")).isEmpty());
    QCOMPARE(typeOf(native.request(QStringLiteral("join_room"), QStringLiteral("j"),
                                   {{QStringLiteral("room"), room}})),
             QStringLiteral("ack"));
    // The rooms list has it too, with both members.
    const auto listed = [&hub, &admin, &room]() -> QJsonObject {
        const QJsonArray rooms =
            QJsonDocument::fromJson(
                hub.send("GET", QStringLiteral("/api/v1/ws/rooms"), {}, admin).body)
                .array();
        for (const QJsonValue& entry : rooms) {
            if (entry.toObject().value(QStringLiteral("room_id")).toString() == room)
                return entry.toObject();
        }
        return {};
    };
    QCOMPARE(listed().value(QStringLiteral("user_count")).toInt(), 2);
    // The document's own example (its server's send_to_room): {type, data}.
    TestHub::Reply reply = hub.send("POST", path, custom, admin);
    QCOMPARE(reply.status, 200);
    QCOMPARE(
        QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("delivered")).toInt(), 2);
    const QJsonObject assistCustom = assist.waitForType(QStringLiteral("custom_event"));
    QCOMPARE(dataOf(assistCustom).value(QStringLiteral("message")).toString(),
             QStringLiteral("Hello room!"));
    QVERIFY(assistCustom.value(QStringLiteral("timestamp")).isString());
    const QJsonObject nativeCustom = native.waitFor([](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("event") &&
               m.value(QStringLiteral("event")).toString() == QLatin1String("custom_event");
    });
    QCOMPARE(nativeCustom.value(QStringLiteral("topic")).toString(),
             QStringLiteral("room:") + room);
    QCOMPARE(dataOf(dataOf(nativeCustom)).value(QStringLiteral("message")).toString(),
             QStringLiteral("Hello room!"));

    // A 004 member joins: the document's announcement reaches all three, each in its shape.
    collab.send(
        {{QStringLiteral("type"), QStringLiteral("join_room")}, {QStringLiteral("room_id"), room}});
    QVERIFY(!collab.waitForType(QStringLiteral("room_state")).isEmpty());
    QCOMPARE(listed().value(QStringLiteral("user_count")).toInt(), 3);
    const QByteArray announcement =
        R"({"type":"system_announcement","title":"Maintenance Notice","message":"System maintenance in 30 minutes"})";
    reply = hub.send("POST", path, announcement, admin);
    QCOMPARE(reply.status, 200);
    QCOMPARE(
        QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("delivered")).toInt(), 3);
    const QJsonObject flat = collab.waitForType(QStringLiteral("system_announcement"));
    QCOMPARE(flat.value(QStringLiteral("title")).toString(), QStringLiteral("Maintenance Notice"));
    QCOMPARE(flat.value(QStringLiteral("room_id")).toString(), room);
    const QJsonObject enveloped = assist.waitForType(QStringLiteral("system_announcement"));
    QCOMPARE(dataOf(enveloped).value(QStringLiteral("title")).toString(),
             QStringLiteral("Maintenance Notice"));
    QCOMPARE(dataOf(enveloped).value(QStringLiteral("message")).toString(),
             QStringLiteral("System maintenance in 30 minutes"));
    const QJsonObject event = native.waitFor([](const QJsonObject& m) {
        return m.value(QStringLiteral("event")).toString() == QLatin1String("system_announcement");
    });
    QCOMPARE(event.value(QStringLiteral("topic")).toString(), QStringLiteral("room:") + room);
    QCOMPARE(dataOf(event).value(QStringLiteral("title")).toString(),
             QStringLiteral("Maintenance Notice"));

    // Those not in the room heard nothing (a ping's answer comes after anything sent before).
    QCOMPARE(typeOf(nativeOutsider.request(QStringLiteral("ping"), QStringLiteral("p"))),
             QStringLiteral("pong"));
    QCOMPARE(assistPing(assistOutsider, QStringLiteral("p")), QStringLiteral("pong"));
    collabOutsider.send({{QStringLiteral("type"), QStringLiteral("ping")}});
    QVERIFY(!collabOutsider.waitForType(QStringLiteral("pong")).isEmpty());
    for (TestClient* outsider : {&nativeOutsider, &assistOutsider, &collabOutsider}) {
        for (const QJsonObject& m : std::as_const(outsider->messages)) {
            const QString name = typeOf(m) == QLatin1String("event")
                                     ? m.value(QStringLiteral("event")).toString()
                                     : typeOf(m);
            QVERIFY2(name != QLatin1String("custom_event") &&
                         name != QLatin1String("system_announcement"),
                     qPrintable(outsider->raw.join(u'\n')));
        }
    }
    // Nor did a member twice.
    QCOMPARE(collab.messagesOfType(QStringLiteral("system_announcement")).size(), 1);
    QCOMPARE(assist.messagesOfType(QStringLiteral("system_announcement")).size(), 1);
}

void tst_Dialects::oneJobReachesEveryAudience()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const QByteArray alice = hub.token(QStringLiteral("alice"), Role::User, QStringLiteral("acme"));
    TestClient project;
    QVERIFY(openProject(hub, QStringLiteral("all1"), project));
    TestClient native, status, calculations, assist;
    QVERIFY(native.open(hub.ws(QStringLiteral("/ws/v1"), alice)));
    QCOMPARE(
        typeOf(native.request(QStringLiteral("subscribe"), QStringLiteral("1"),
                              {{QStringLiteral("topics"), QJsonArray{QStringLiteral("jobs")}}})),
        QStringLiteral("ack"));
    QVERIFY(status.open(hub.ws(QStringLiteral("/ws/status"), alice)));
    status.send(
        {{QStringLiteral("type"), QStringLiteral("subscribe")},
         {QStringLiteral("data"), QJsonObject{{QStringLiteral("topic"), QStringLiteral("jobs")}}}});
    QVERIFY(!status.waitForType(QStringLiteral("subscribed")).isEmpty());
    QVERIFY(calculations.open(hub.ws(QStringLiteral("/ws/calculations"), alice)));
    QVERIFY(!calculations.waitForType(QStringLiteral("connected")).isEmpty());
    QVERIFY(assist.open(hub.ws(QStringLiteral("/ws/connect"), alice)));
    assist.send({{QStringLiteral("type"), QStringLiteral("subscribe_job_updates")}});
    QVERIFY(!assist.waitForType(QStringLiteral("room_event")).isEmpty());

    const QString id = createExternalJob(
        hub, R"({"type":"forecast","title":"Board forecast","project_id":"all1"})");
    QVERIFY(!id.isEmpty());
    QCOMPARE(reportExternalJob(hub, id, R"({"progress":45.5,"message":"Month 7 of 12"})"), 200);

    // A service's progress keeps its fraction (document 002's 45.5), in every dialect.
    const auto atProgress = [&id](const QJsonObject& data) {
        return data.value(QStringLiteral("job_id")).toString() == id &&
               data.value(QStringLiteral("progress")).toDouble() == 45.5;
    };
    QVERIFY(!native
                 .waitFor([&atProgress](const QJsonObject& m) {
                     return m.value(QStringLiteral("event")).toString() ==
                                QLatin1String("job_progress") &&
                            atProgress(dataOf(m));
                 })
                 .isEmpty());
    QVERIFY(!status
                 .waitFor([&atProgress](const QJsonObject& m) {
                     return typeOf(m) == QLatin1String("job_progress") && atProgress(dataOf(m));
                 })
                 .isEmpty());
    QVERIFY(!calculations
                 .waitFor([&atProgress](const QJsonObject& m) {
                     return typeOf(m) == QLatin1String("calculation_progress") &&
                            atProgress(dataOf(m));
                 })
                 .isEmpty());
    QVERIFY(!assist
                 .waitFor([&atProgress](const QJsonObject& m) {
                     return typeOf(m) == QLatin1String("job_updates") && atProgress(dataOf(m)) &&
                            dataOf(m).value(QStringLiteral("event")).toString() ==
                                QLatin1String("job_progress");
                 })
                 .isEmpty());
    const QJsonObject generation = project.waitFor([&atProgress](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("generation_progress") && atProgress(m);
    });
    QVERIFY2(!generation.isEmpty(), qPrintable(project.raw.join(u'\n')));
    QCOMPARE(generation.value(QStringLiteral("current_section")).toString(),
             QStringLiteral("Month 7 of 12"));

    assist.send({{QStringLiteral("type"), QStringLiteral("get_active_jobs")},
                 {QStringLiteral("id"), QStringLiteral("active")}});
    const QJsonArray active =
        dataOf(assist.waitFor([](const QJsonObject& m) {
            return m.value(QStringLiteral("id")).toString() == QLatin1String("active");
        }))
            .value(QStringLiteral("jobs"))
            .toArray();
    QCOMPARE(active.size(), 1);
    QVERIFY(atProgress(active.first().toObject()));
    QCOMPARE(active.first().toObject().value(QStringLiteral("status")).toString(),
             QStringLiteral("running"));

    const TestHub::Reply rest = hub.send("GET", QStringLiteral("/api/jobs/") + id, {}, alice);
    QCOMPARE(rest.status, 200);
    QVERIFY2(rest.body.contains(R"("progress":45.5)"), rest.body.constData());
    const QJsonObject restJob = QJsonDocument::fromJson(rest.body).object();
    QVERIFY(atProgress(restJob));
    QCOMPARE(restJob.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QCOMPARE(restJob.value(QStringLiteral("project_id")).toString(), QStringLiteral("all1"));

    // Done: each audience hears it in its own words.
    QCOMPARE(reportExternalJob(hub, id,
                               R"({"progress":100,"status":"completed","result":{"runway":14}})"),
             200);
    const auto isDone = [&id](const QJsonObject& data) {
        return data.value(QStringLiteral("job_id")).toString() == id;
    };
    QVERIFY(!native
                 .waitFor([&isDone](const QJsonObject& m) {
                     return m.value(QStringLiteral("event")).toString() ==
                                QLatin1String("job_completed") &&
                            isDone(dataOf(m));
                 })
                 .isEmpty());
    QVERIFY(!status
                 .waitFor([&isDone](const QJsonObject& m) {
                     return typeOf(m) == QLatin1String("job_completed") && isDone(dataOf(m));
                 })
                 .isEmpty());
    const QJsonObject complete = calculations.waitFor([&isDone](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("calculation_complete") && isDone(dataOf(m));
    });
    QCOMPARE(dataOf(complete)
                 .value(QStringLiteral("result_summary"))
                 .toObject()
                 .value(QStringLiteral("runway"))
                 .toInt(),
             14);
    QVERIFY(!assist
                 .waitFor([&isDone](const QJsonObject& m) {
                     return typeOf(m) == QLatin1String("job_updates") && isDone(dataOf(m)) &&
                            dataOf(m).value(QStringLiteral("status")).toString() ==
                                QLatin1String("completed");
                 })
                 .isEmpty());
    QCOMPARE(project.waitForType(QStringLiteral("completion"))
                 .value(QStringLiteral("result"))
                 .toObject()
                 .value(QStringLiteral("runway"))
                 .toInt(),
             14);
    QCOMPARE(
        QJsonDocument::fromJson(hub.send("GET", QStringLiteral("/api/jobs/") + id, {}, alice).body)
            .object()
            .value(QStringLiteral("status"))
            .toString(),
        QStringLiteral("completed"));
}

void tst_Dialects::asyncApiListsEveryDialect()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const TestHub::Reply reply = hub.send("GET", QStringLiteral("/asyncapi.json"));
    QCOMPARE(reply.status, 200);
    const QByteArray text = reply.body;
    const QJsonObject channels =
        QJsonDocument::fromJson(text).object().value(QStringLiteral("channels")).toObject();
    const auto namesOf = [&channels](const QString& channel, const char* direction) {
        return messageNames(channels, channel, direction);
    };

    // Every message type SPEC §2.2 names, under each channel of its dialect: what clients
    // send under `publish`, what the hub sends under `subscribe`.
    struct Expected {
        QStringList paths;
        QStringList client;
        QStringList server;
    };
    const QList<Expected> dialects{
        {{QStringLiteral("/ws/v1")},
         {QStringLiteral("auth"), QStringLiteral("subscribe"), QStringLiteral("unsubscribe"),
          QStringLiteral("publish"), QStringLiteral("join_room"), QStringLiteral("leave_room"),
          QStringLiteral("presence"), QStringLiteral("job_submit"), QStringLiteral("job_cancel"),
          QStringLiteral("jobs_list"), QStringLiteral("ping")},
         {QStringLiteral("welcome"), QStringLiteral("event"), QStringLiteral("ack"),
          QStringLiteral("error"), QStringLiteral("pong"), QStringLiteral("resync")}},
        {{QStringLiteral("/ws/calculations"), QStringLiteral("/ws/entities"),
          QStringLiteral("/ws/status")},
         {QStringLiteral("subscribe"), QStringLiteral("unsubscribe")},
         {QStringLiteral("connected"), QStringLiteral("entity_change"),
          QStringLiteral("validation_error"), QStringLiteral("entity_list_update"),
          QStringLiteral("calculation_progress"), QStringLiteral("calculation_complete"),
          QStringLiteral("calculation_failed"), QStringLiteral("job_started"),
          QStringLiteral("job_progress"), QStringLiteral("job_completed"),
          QStringLiteral("job_failed"), QStringLiteral("status_update"),
          QStringLiteral("system_alert"), QStringLiteral("heartbeat")}},
        {{QStringLiteral("/ws")},
         {},
         {QStringLiteral("connection_established"), QStringLiteral("position_update"),
          QStringLiteral("equity_update"), QStringLiteral("risk_status_update"),
          QStringLiteral("system_log")}},
        {{QStringLiteral("/ws/connect")},
         {QStringLiteral("ping"), QStringLiteral("join_room"), QStringLiteral("leave_room"),
          QStringLiteral("subscribe_system_metrics"), QStringLiteral("unsubscribe_system_metrics"),
          QStringLiteral("subscribe_job_updates"), QStringLiteral("subscribe_document_updates"),
          QStringLiteral("get_active_jobs"), QStringLiteral("broadcast_admin"),
          QStringLiteral("auth")},
         {QStringLiteral("connection"), QStringLiteral("system_metrics"),
          QStringLiteral("job_updates"), QStringLiteral("document_processing_start"),
          QStringLiteral("document_processing_complete"), QStringLiteral("system_alert"),
          QStringLiteral("user_activity"), QStringLiteral("room_event"), QStringLiteral("error"),
          QStringLiteral("pong")}},
        {{QStringLiteral("/ws/projects/{project_id}"), QStringLiteral("/ws/notifications")},
         {QStringLiteral("ping")},
         {QStringLiteral("rc_analysis_progress"), QStringLiteral("matching_progress"),
          QStringLiteral("generation_progress"), QStringLiteral("document_generation_progress"),
          QStringLiteral("error"), QStringLiteral("completion"), QStringLiteral("pong")}},
        {{QStringLiteral("/api/v1/ws")},
         {QStringLiteral("join_room"), QStringLiteral("leave_room"), QStringLiteral("cursor_move"),
          QStringLiteral("cell_update"), QStringLiteral("status_update"),
          QStringLiteral("typing_start"), QStringLiteral("typing_stop"),
          QStringLiteral("ai_request"), QStringLiteral("subscribe_notifications"),
          QStringLiteral("notification_read"), QStringLiteral("file_upload_start"),
          QStringLiteral("file_upload_progress"), QStringLiteral("ping")},
         {QStringLiteral("room_state"), QStringLiteral("cursor_moved"),
          QStringLiteral("cell_updated"), QStringLiteral("user_status_changed"),
          QStringLiteral("user_typing_start"), QStringLiteral("user_typing_stop"),
          QStringLiteral("ai_event"), QStringLiteral("notification_event"),
          QStringLiteral("file_upload_progress"), QStringLiteral("file_upload_complete"),
          QStringLiteral("pong"), QStringLiteral("error")}},
    };
    for (const Expected& dialect : dialects) {
        for (const QString& path : dialect.paths) {
            QVERIFY2(channels.contains(path), qPrintable(path));
            const QStringList publish = namesOf(path, "publish");
            const QStringList subscribe = namesOf(path, "subscribe");
            for (const QString& type : dialect.client)
                QVERIFY2(publish.contains(type), qPrintable(path + QStringLiteral(" <- ") + type));
            for (const QString& type : dialect.server)
                QVERIFY2(subscribe.contains(type),
                         qPrintable(path + QStringLiteral(" -> ") + type));
        }
    }
    // 001 and 003 are fed by services: their clients send nothing but the keep-alive.
    QCOMPARE(namesOf(QStringLiteral("/ws"), "publish"), QStringList{QStringLiteral("ping")});

    // Each dialect's client fields where its document puts them: 002 next to `type`,
    // the native protocol and 000 in `data`.
    const auto payloadOf = [&channels](const QString& path, const QString& type) {
        const QJsonArray messages = channels.value(path)
                                        .toObject()
                                        .value(QStringLiteral("publish"))
                                        .toObject()
                                        .value(QStringLiteral("message"))
                                        .toObject()
                                        .value(QStringLiteral("oneOf"))
                                        .toArray();
        for (const QJsonValue& message : messages) {
            if (message.toObject().value(QStringLiteral("name")).toString() == type)
                return message.toObject().value(QStringLiteral("payload")).toObject();
        }
        return QJsonObject();
    };
    const QJsonObject join = payloadOf(QStringLiteral("/ws/connect"), QStringLiteral("join_room"));
    QVERIFY(join.value(QStringLiteral("properties")).toObject().contains(QStringLiteral("room")));
    QVERIFY(join.value(QStringLiteral("required")).toArray().contains(QStringLiteral("room")));
    // broadcast_admin's extra fields are `details`, as the handler reads them.
    const QJsonObject broadcast =
        payloadOf(QStringLiteral("/ws/connect"), QStringLiteral("broadcast_admin"))
            .value(QStringLiteral("properties"))
            .toObject();
    QVERIFY(broadcast.contains(QStringLiteral("details")));
    QVERIFY(!broadcast.contains(QStringLiteral("data")));
    const QJsonObject subscribe =
        payloadOf(QStringLiteral("/ws/calculations"), QStringLiteral("subscribe"));
    QVERIFY(subscribe.value(QStringLiteral("properties"))
                .toObject()
                .value(QStringLiteral("data"))
                .toObject()
                .value(QStringLiteral("properties"))
                .toObject()
                .contains(QStringLiteral("topic")));
}

// Walks every dialect's replies over real sockets: each client message type its channel
// lists, sent bare (so mostly refused), a bad frame, an unknown type and a ping. Every type
// that comes back must be one the channel's `subscribe` lists.
void tst_Dialects::everyReplyIsInItsChannel()
{
    HubConfig config = testConfig();
    config.heartbeatInterval = std::chrono::milliseconds(100);
    TestHub hub(config);
    QVERIFY(!hub.startError);
    const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin, QStringLiteral("acme"));
    QCOMPARE(hub.send("PUT", QStringLiteral("/api/v1/projects/w1"), R"({"tenant":"acme"})", admin)
                 .status,
             201);
    const QJsonObject channels =
        QJsonDocument::fromJson(hub.send("GET", QStringLiteral("/asyncapi.json")).body)
            .object()
            .value(QStringLiteral("channels"))
            .toObject();
    const auto namesOf = [&channels](const QString& channel, const char* direction) {
        return messageNames(channels, channel, direction);
    };
    const QList<std::pair<QString, QString>> paths{
        {QStringLiteral("/ws/v1"), QStringLiteral("/ws/v1")},
        {QStringLiteral("/ws/calculations"), QStringLiteral("/ws/calculations")},
        {QStringLiteral("/ws/status"), QStringLiteral("/ws/status")},
        {QStringLiteral("/ws"), QStringLiteral("/ws")},
        {QStringLiteral("/ws/connect"), QStringLiteral("/ws/connect")},
        {QStringLiteral("/ws/projects/w1"), QStringLiteral("/ws/projects/{project_id}")},
        {QStringLiteral("/ws/notifications"), QStringLiteral("/ws/notifications")},
        {QStringLiteral("/api/v1/ws"), QStringLiteral("/api/v1/ws")},
    };
    for (const auto& [path, channel] : paths) {
        const QStringList sent = namesOf(channel, "publish");
        const QStringList received = namesOf(channel, "subscribe");
        QVERIFY2(!sent.isEmpty() && !received.isEmpty(), qPrintable(channel));
        TestClient client;
        QVERIFY(client.open(hub.ws(path, admin)));
        int id = 0;
        for (const QString& type : sent) {
            if (type == QLatin1String("auth"))
                continue; // a bad auth message closes the connection, as documented
            client.send(
                {{QStringLiteral("type"), type}, {QStringLiteral("id"), QString::number(++id)}});
        }
        client.socket.sendTextMessage(QStringLiteral("{not json"));
        client.send({{QStringLiteral("type"), QStringLiteral("no_such_message")}});
        const bool textPing = channel.startsWith(QLatin1String("/ws/projects")) ||
                              channel == QLatin1String("/ws/notifications");
        if (textPing) {
            client.socket.sendTextMessage(QStringLiteral("ping"));
            QVERIFY2(waitForRaw(client, QStringLiteral("pong")), qPrintable(channel));
        } else {
            // Replies come in order: the last ping's pong comes last.
            const qsizetype pongs = sent.count(QStringLiteral("ping")) + 1;
            client.send({{QStringLiteral("type"), QStringLiteral("ping")},
                         {QStringLiteral("id"), QStringLiteral("last")}});
            QTRY_VERIFY2_WITH_TIMEOUT(client.messagesOfType(QStringLiteral("pong")).size() == pongs,
                                      qPrintable(channel + u' ' + client.raw.join(u'\n')), 5000);
        }
        QVERIFY2(!client.closed, qPrintable(channel));
        QVERIFY(client.messagesOfType(QStringLiteral("error")).size() >= 2);
        for (int i = 0; i < client.raw.size(); ++i) {
            const QString type =
                client.raw[i] == QLatin1String("pong") ? client.raw[i] : typeOf(client.messages[i]);
            QVERIFY2(received.contains(type),
                     qPrintable(channel + QStringLiteral(" sent ") + client.raw[i]));
        }
    }
}

// The documents' dialects send an event exactly when their table carries its type: each row
// marked fromEvents comes out under its own type, anything else not at all (but through a
// `*` row, for the topics whose messages services name themselves).
void tst_Dialects::eventEncodersFollowTheirTable()
{
    const CalculationsDialect calculations{
        Dialect::KeepAlive{testConfig().heartbeatInterval, testConfig().heartbeatTimeout}};
    const TradingDialect trading;
    const AssistDialect assist;
    const ProjectsDialect projects;
    const QJsonObject data{{QStringLiteral("job_id"), QStringLiteral("j1")}};
    const auto typeSent = [&data](const Dialect& dialect, const QString& topic,
                                  const QString& name) {
        const Event event{topic, 1, name, 1700000000000, 0, data};
        const QByteArray encoded = dialect.encodeEvent(event);
        return encoded.isEmpty() ? QString() : typeOf(QJsonDocument::fromJson(encoded).object());
    };
    for (const Dialect* dialect :
         std::initializer_list<const Dialect*>{&calculations, &trading, &assist, &projects}) {
        for (const ServerMessage& row : dialect->serverMessages()) {
            if (!row.fromEvents || row.type == Dialect::anyType)
                continue;
            QCOMPARE(typeSent(*dialect, QStringLiteral("topic"), QString(row.type)),
                     QString(row.type));
        }
        // Never a message the dialect only builds itself; a type the table lacks only through
        // a `*` row (001 and 003 pass services' own types on; 000 does not, 002 only in rooms).
        QCOMPARE(typeSent(*dialect, QStringLiteral("topic"), QStringLiteral("pong")), QString());
        const bool passesOthers = dialect == &trading || dialect == &projects;
        QCOMPARE(typeSent(*dialect, QStringLiteral("topic"), QStringLiteral("custom_event")),
                 passesOthers ? QStringLiteral("custom_event") : QString());
    }
    // 000: a cancelled job is a failed one; job_queued is not 000's.
    QCOMPARE(typeSent(calculations, QStringLiteral("jobs"), QStringLiteral("job_cancelled")),
             QStringLiteral("job_failed"));
    QCOMPARE(typeSent(calculations, QStringLiteral("jobs"), QStringLiteral("job_queued")),
             QString());
    // 002: every job event is a job_updates, a native presence event a room_event, a room's own
    // message goes through under its type, the same type elsewhere does not.
    QCOMPARE(typeSent(assist, QStringLiteral("jobs"), QStringLiteral("job_queued")),
             QStringLiteral("job_updates"));
    QCOMPARE(typeSent(assist, QStringLiteral("room:r"), QStringLiteral("presence")),
             QStringLiteral("room_event"));
    QCOMPARE(typeSent(assist, QStringLiteral("room:chat_room_123"), QStringLiteral("custom_event")),
             QStringLiteral("custom_event"));
    QCOMPARE(typeSent(assist, QStringLiteral("admin"), QStringLiteral("custom_event")), QString());
    QCOMPARE(typeSent(assist, QStringLiteral("status"), QStringLiteral("status_update")),
             QString());
}

QTEST_GUILESS_MAIN(tst_Dialects)
#include "tst_dialects.moc"
