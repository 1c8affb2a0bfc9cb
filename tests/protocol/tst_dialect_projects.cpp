// Document 003 (RFP assistant) over real sockets on /ws/projects/{project_id} and
// /ws/notifications: the project registry and tenancy, the text ping, the progress, error and
// completion messages of services and of external jobs; and its codec (ProjectsDialect) on its
// own.

#include "DialectTesting.h"
#include "protocol/dialects/ProjectsDialect.h"

#include <QJsonArray>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

class tst_DialectProjects : public QObject {
    Q_OBJECT

private slots:
    // Every message a dialect built in these tests is in its table (Dialect::checkListed).
    void cleanup();
    void projectsRegistry();
    void projectsTextPingAndProgressMessages();
    void projectsOtherTenantClosedBeforeAnyData();
    void projectsJobProgressReachesProject();
    void projectsRcAnalysisJobDrivesTheProgressBar();
    void projectsServiceProgressAndErrorMessages();
    void projectsFailedJobIsAnError();
    void notificationsAreUserScoped();
    // --- the codec, without a server ----------------------------------------------------
    void textPingIsAMessage();
    void eventsAreFlatWithTheirTimestamp();
    void ownTypesNeverComeFromEvents();
    void pingIsAnsweredWithTextPong();
    void errorResyncAndPaths();
};

void tst_DialectProjects::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

void tst_DialectProjects::projectsRegistry()
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
void tst_DialectProjects::projectsTextPingAndProgressMessages()
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

void tst_DialectProjects::projectsOtherTenantClosedBeforeAnyData()
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
void tst_DialectProjects::projectsJobProgressReachesProject()
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
void tst_DialectProjects::projectsRcAnalysisJobDrivesTheProgressBar()
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
void tst_DialectProjects::projectsServiceProgressAndErrorMessages()
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
void tst_DialectProjects::projectsFailedJobIsAnError()
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

void tst_DialectProjects::notificationsAreUserScoped()
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

namespace {

const qint64 eventTimeMs = 1700000000000;
const QString eventTime = QStringLiteral("2023-11-14T22:13:20.000Z");

} // namespace

// The document's keep-alive is the bare text "ping"; anything else is JSON.
void tst_DialectProjects::textPingIsAMessage()
{
    const ProjectsDialect dialect;
    for (const QByteArray& text : {QByteArray("ping"), QByteArray(" ping\r\n")}) {
        ClientMessage ping;
        QVERIFY(!dialect.decode(text, ping));
        QCOMPARE(ping.type, QStringLiteral("ping"));
        QVERIFY(ping.id.isEmpty());
        QVERIFY(ping.data.isEmpty());
    }
    ClientMessage json;
    QVERIFY(!dialect.decode(R"({"type":"ping","id":"p"})", json));
    QCOMPARE(json.id, QStringLiteral("p"));
    ClientMessage bad;
    QCOMPARE(dialect.decode("pings", bad)->code, ErrorCode::InvalidJson);
}

// {"type", ...fields, "timestamp"}: the event's time unless the service sent its own.
void tst_DialectProjects::eventsAreFlatWithTheirTimestamp()
{
    const ProjectsDialect dialect;
    const QJsonObject progress{{QStringLiteral("status"), QStringLiteral("analyzing")},
                               {QStringLiteral("progress"), 40}};
    const Event event{QStringLiteral("project:p1"),
                      1,
                      QStringLiteral("rc_analysis_progress"),
                      eventTimeMs,
                      0,
                      progress};
    QCOMPARE(parsed(dialect.encodeEvent(event)),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("rc_analysis_progress")},
                          {QStringLiteral("status"), QStringLiteral("analyzing")},
                          {QStringLiteral("progress"), 40},
                          {QStringLiteral("timestamp"), eventTime}}));
    // The fields' own timestamp wins; a `type` among them does not replace the event's.
    const QJsonObject own{{QStringLiteral("timestamp"), QStringLiteral("2024-01-15T10:30:00Z")},
                          {QStringLiteral("type"), QStringLiteral("forged")}};
    const QJsonObject completion = parsed(dialect.encodeEvent(Event{
        QStringLiteral("user:alice"), 2, QStringLiteral("completion"), eventTimeMs, 0, own, {}}));
    QCOMPARE(typeOf(completion), QStringLiteral("completion"));
    QCOMPARE(completion.value(QStringLiteral("timestamp")).toString(),
             QStringLiteral("2024-01-15T10:30:00Z"));
    // Services' own types pass too, in the same layout.
    QCOMPARE(typeOf(parsed(dialect.encodeEvent(Event{QStringLiteral("user:alice"),
                                                     3,
                                                     QStringLiteral("direct_message"),
                                                     eventTimeMs,
                                                     0,
                                                     {}}))),
             QStringLiteral("direct_message"));
}

void tst_DialectProjects::ownTypesNeverComeFromEvents()
{
    const ProjectsDialect dialect;
    for (const char* name : {"pong", "resync"}) {
        const Event event{QStringLiteral("project:p1"), 1, QLatin1String(name), eventTimeMs, 0, {}};
        QVERIFY2(dialect.encodeEvent(event).isEmpty(), name);
    }
}

void tst_DialectProjects::pingIsAnsweredWithTextPong()
{
    const ProjectsDialect dialect;
    QCOMPARE(dialect.encodeReply({QStringLiteral("ping"), {}, {}}, {}), QByteArray("pong"));
    // A JSON ping with an id gets a JSON pong carrying it.
    const QJsonObject pong =
        parsed(dialect.encodeReply({QStringLiteral("ping"), QStringLiteral("k"), {}}, {}));
    QCOMPARE(typeOf(pong), QStringLiteral("pong"));
    QCOMPARE(pong.value(QStringLiteral("id")).toString(), QStringLiteral("k"));
    QVERIFY(isIsoTimestamp(pong.value(QStringLiteral("timestamp"))));
}

void tst_DialectProjects::errorResyncAndPaths()
{
    const ProjectsDialect dialect;
    const QJsonObject error = parsed(dialect.encodeError(
        QStringLiteral("e"), Error{ErrorCode::InvalidJson, QStringLiteral("invalid JSON")}));
    QCOMPARE(typeOf(error), QStringLiteral("error"));
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("INVALID_JSON"));
    QCOMPARE(error.value(QStringLiteral("message")).toString(), QStringLiteral("invalid JSON"));
    QCOMPARE(error.value(QStringLiteral("id")).toString(), QStringLiteral("e"));

    const QJsonObject resync = parsed(dialect.encodeResync(QStringLiteral("project:p1")));
    QCOMPARE(typeOf(resync), QStringLiteral("resync"));
    QCOMPARE(resync.value(QStringLiteral("topic")).toString(), QStringLiteral("project:p1"));
    QVERIFY(isIsoTimestamp(resync.value(QStringLiteral("timestamp"))));
    QVERIFY(!resync.contains(QStringLiteral("data")));

    QCOMPARE(ProjectsDialect::paths(), (QStringList{QStringLiteral("/ws/projects/{project_id}"),
                                                    QStringLiteral("/ws/notifications")}));
    QCOMPARE(QString(dialect.name()), QStringLiteral("projects"));
    QVERIFY(dialect.closesRefusedConnections());
    QVERIFY(!dialect.acceptsAuthMessage());
}

QTEST_GUILESS_MAIN(tst_DialectProjects)
#include "tst_dialect_projects.moc"
