// Document 000 (CashCow) over real sockets, on /ws/calculations, /ws/entities and /ws/status:
// the document's own wscat session, its job, entity and status messages in its names, bad
// requests, the JSON heartbeat; and its codec (CalculationsDialect) on its own.

#include "DialectTesting.h"
#include "RawClient.h"
#include "protocol/dialects/CalculationsDialect.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

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

} // namespace

class tst_DialectCalculations : public QObject {
    Q_OBJECT

private slots:
    // Every message a dialect built in these tests is in its table (Dialect::checkListed).
    void cleanup();
    void calculationsWscatSession();
    void calculationsJobsInDocumentNames();
    void entitiesPathReportsFileChanges();
    void calculationsBadRequestsKeepConnection();
    void calculationsHeartbeatAndSilentClientDropped();
    void calculationsNeedTokenWhenAuthRequired();
    void calculationsFailedAndCancelledJobs();
    void entitiesValidationErrorAndListUpdate();
    void statusUpdatesAlertsAndPong();
    // --- the codec, without a server ----------------------------------------------------
    void decodeReadsFieldsInDataOrAtTheTopLevel();
    void decodeRefusesWhatIsNotAMessage();
    void eventsGoOutInTheDocumentsNames();
    void repliesNameTheirRequest();
    void errorsCarryCodeTextAndId();
    void resyncWelcomeAndHeartbeat();
    void pathsTopicsAndKeepAlive();
};

void tst_DialectCalculations::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

// The document's own session: `wscat -c ws://localhost:8000/ws/calculations`, then
// {"type": "subscribe", "data": {"topic": "calculations"}}, then a forecast job over REST.
void tst_DialectCalculations::calculationsWscatSession()
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
void tst_DialectCalculations::calculationsJobsInDocumentNames()
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

void tst_DialectCalculations::entitiesPathReportsFileChanges()
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

void tst_DialectCalculations::calculationsBadRequestsKeepConnection()
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

void tst_DialectCalculations::calculationsHeartbeatAndSilentClientDropped()
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

void tst_DialectCalculations::calculationsNeedTokenWhenAuthRequired()
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
void tst_DialectCalculations::calculationsFailedAndCancelledJobs()
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
void tst_DialectCalculations::entitiesValidationErrorAndListUpdate()
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
void tst_DialectCalculations::statusUpdatesAlertsAndPong()
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

namespace {

const Dialect::KeepAlive documentKeepAlive{std::chrono::seconds(30), std::chrono::seconds(60)};
const qint64 eventTimeMs = 1700000000000;
const QString eventTime = QStringLiteral("2023-11-14T22:13:20.000Z");

} // namespace

// The document's clients put a request's fields in `data`; the top level is read too, and wins.
void tst_DialectCalculations::decodeReadsFieldsInDataOrAtTheTopLevel()
{
    const CalculationsDialect dialect(documentKeepAlive);
    ClientMessage nested;
    QVERIFY(!dialect.decode(R"({"type":"subscribe","id":7,"data":{"topic":"jobs"}})", nested));
    QCOMPARE(nested.type, QStringLiteral("subscribe"));
    QCOMPARE(nested.id, QStringLiteral("7"));
    QCOMPARE(nested.data, QJsonObject({{QStringLiteral("topic"), QStringLiteral("jobs")}}));

    ClientMessage flat;
    QVERIFY(!dialect.decode(R"({"type":"unsubscribe","id":"u1","topic":"status"})", flat));
    QCOMPARE(flat.id, QStringLiteral("u1"));
    QCOMPARE(flat.data, QJsonObject({{QStringLiteral("topic"), QStringLiteral("status")}}));

    ClientMessage both;
    QVERIFY(!dialect.decode(
        R"({"type":"subscribe","topic":"status","data":{"topic":"jobs","extra":1}})", both));
    QCOMPARE(both.data, QJsonObject({{QStringLiteral("topic"), QStringLiteral("status")},
                                     {QStringLiteral("extra"), 1}}));
}

void tst_DialectCalculations::decodeRefusesWhatIsNotAMessage()
{
    const CalculationsDialect dialect(documentKeepAlive);
    ClientMessage message;
    std::optional<Error> error = dialect.decode("{not json", message);
    QVERIFY(error);
    QCOMPARE(error->code, ErrorCode::InvalidJson);
    QVERIFY(error->message.contains(QStringLiteral("offset")));
    error = dialect.decode("[1, 2]", message);
    QVERIFY(error);
    QCOMPARE(error->code, ErrorCode::InvalidMessage);
    // The id is read even from a message refused for its type, so the error can carry it.
    ClientMessage untyped;
    error = dialect.decode(R"({"id":"r1","data":{}})", untyped);
    QVERIFY(error);
    QCOMPARE(error->code, ErrorCode::InvalidMessage);
    QCOMPARE(error->message, QStringLiteral("type is required"));
    QCOMPARE(untyped.id, QStringLiteral("r1"));
    QVERIFY(dialect.decode(R"({"type":""})", message));
}

void tst_DialectCalculations::eventsGoOutInTheDocumentsNames()
{
    const CalculationsDialect dialect(documentKeepAlive);
    const QJsonObject progress{{QStringLiteral("job_id"), QStringLiteral("j1")},
                               {QStringLiteral("progress"), 40}};
    const Event event{QStringLiteral("calculations"),
                      3,
                      QStringLiteral("calculation_progress"),
                      eventTimeMs,
                      0,
                      progress};
    QCOMPARE(parsed(dialect.encodeEvent(event)),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("calculation_progress")},
                          {QStringLiteral("timestamp"), eventTime},
                          {QStringLiteral("data"), progress}}));

    // A cancelled job is a failed one, with the same data (whose status says why).
    const Event cancelled{
        QStringLiteral("jobs"), 4, QStringLiteral("job_cancelled"), eventTimeMs, 0, progress};
    const QJsonObject failed = parsed(dialect.encodeEvent(cancelled));
    QCOMPARE(typeOf(failed), QStringLiteral("job_failed"));
    QCOMPARE(dataOf(failed), progress);
    // Events 000 has no message for are not sent at all.
    for (const char* name : {"job_queued", "presence", "event"}) {
        const Event other{QStringLiteral("jobs"), 5, QLatin1String(name), eventTimeMs, 0, {}};
        QVERIFY2(dialect.encodeEvent(other).isEmpty(), name);
    }
}

void tst_DialectCalculations::repliesNameTheirRequest()
{
    const CalculationsDialect dialect(documentKeepAlive);
    const QJsonObject topic{{QStringLiteral("topic"), QStringLiteral("jobs")}};
    const QJsonObject subscribed = parsed(
        dialect.encodeReply({QStringLiteral("subscribe"), QStringLiteral("1"), topic}, topic));
    QCOMPARE(typeOf(subscribed), QStringLiteral("subscribed"));
    QCOMPARE(dataOf(subscribed), topic);
    QCOMPARE(subscribed.value(QStringLiteral("id")).toString(), QStringLiteral("1"));
    QVERIFY(isIsoTimestamp(subscribed.value(QStringLiteral("timestamp"))));

    const QJsonObject unsubscribed =
        parsed(dialect.encodeReply({QStringLiteral("unsubscribe"), {}, topic}, topic));
    QCOMPARE(typeOf(unsubscribed), QStringLiteral("unsubscribed"));
    QVERIFY(!unsubscribed.contains(QStringLiteral("id")));
    QCOMPARE(typeOf(parsed(dialect.encodeReply({QStringLiteral("ping"), {}, {}}, {}))),
             QStringLiteral("pong"));
}

void tst_DialectCalculations::errorsCarryCodeTextAndId()
{
    const CalculationsDialect dialect(documentKeepAlive);
    const QJsonObject error = parsed(dialect.encodeError(
        QStringLiteral("9"), Error{ErrorCode::InvalidMessage, QStringLiteral("data.topic?")}));
    QCOMPARE(typeOf(error), QStringLiteral("error"));
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("INVALID_MESSAGE"));
    // `error` as SPEC §3 names it, `message` as the document's clients read it.
    QCOMPARE(error.value(QStringLiteral("error")).toString(), QStringLiteral("data.topic?"));
    QCOMPARE(error.value(QStringLiteral("message")).toString(), QStringLiteral("data.topic?"));
    QCOMPARE(error.value(QStringLiteral("id")).toString(), QStringLiteral("9"));
    QVERIFY(isIsoTimestamp(error.value(QStringLiteral("timestamp"))));
    QVERIFY(!parsed(dialect.encodeError({}, Error{ErrorCode::InvalidJson, QStringLiteral("x")}))
                 .contains(QStringLiteral("id")));
}

void tst_DialectCalculations::resyncWelcomeAndHeartbeat()
{
    const CalculationsDialect dialect(documentKeepAlive);
    const QJsonObject resync = parsed(dialect.encodeResync(QStringLiteral("jobs")));
    QCOMPARE(typeOf(resync), QStringLiteral("resync"));
    QCOMPARE(dataOf(resync), QJsonObject({{QStringLiteral("topic"), QStringLiteral("jobs")}}));
    QVERIFY(isIsoTimestamp(resync.value(QStringLiteral("timestamp"))));

    const QJsonObject fields{{QStringLiteral("connection_id"), QStringLiteral("c1")},
                             {QStringLiteral("topic"), QStringLiteral("status")}};
    const QJsonObject connected = parsed(dialect.encodeMessage(QLatin1String("connected"), fields));
    QCOMPARE(typeOf(connected), QStringLiteral("connected"));
    QCOMPARE(dataOf(connected), fields);
    QVERIFY(isIsoTimestamp(connected.value(QStringLiteral("timestamp"))));

    const QJsonObject heartbeat = parsed(dialect.heartbeatMessage());
    QCOMPARE(typeOf(heartbeat), QStringLiteral("heartbeat"));
    QCOMPARE(dataOf(heartbeat), QJsonObject());
    QVERIFY(isIsoTimestamp(heartbeat.value(QStringLiteral("timestamp"))));
}

void tst_DialectCalculations::pathsTopicsAndKeepAlive()
{
    const CalculationsDialect dialect(documentKeepAlive);
    QCOMPARE(CalculationsDialect::paths(),
             (QStringList{QStringLiteral("/ws/calculations"), QStringLiteral("/ws/entities"),
                          QStringLiteral("/ws/status")}));
    for (const char* topic : {"calculations", "entities", "status", "jobs"})
        QVERIFY2(CalculationsDialect::isDocumentTopic(QLatin1String(topic)), topic);
    QVERIFY(!CalculationsDialect::isDocumentTopic(QStringLiteral("trading")));
    QCOMPARE(CalculationsDialect::topicOfPath(QStringLiteral("/ws/status")),
             QStringLiteral("status"));
    QCOMPARE(CalculationsDialect::topicOfPath(QStringLiteral("/ws/calculations")),
             QStringLiteral("calculations"));
    QCOMPARE(CalculationsDialect::topicOfPath(QStringLiteral("/ws/elsewhere")), QString());

    QVERIFY(dialect.keepAlive());
    QCOMPARE(dialect.keepAlive()->interval, documentKeepAlive.interval);
    QCOMPARE(dialect.keepAlive()->timeout, documentKeepAlive.timeout);
    QCOMPARE(dialect.name(), QLatin1String("calculations"));
    QVERIFY(!dialect.acceptsAuthMessage());
    QVERIFY(!dialect.closesRefusedConnections());
    QVERIFY(!dialect.fieldsAtTopLevel());
}

QTEST_GUILESS_MAIN(tst_DialectCalculations)
#include "tst_dialect_calculations.moc"
