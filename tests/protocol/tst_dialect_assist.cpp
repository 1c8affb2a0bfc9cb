// Document 002 (nscale Assist) over real sockets on /ws/connect: the token in the query or in an
// auth message, rooms and the document's special rooms, document and job updates, system
// metrics, admin broadcasts and user activity, WS_MAX_MESSAGES per WS_RATE_WINDOW; and its
// codec (AssistDialect) on its own.

#include "DialectTesting.h"
#include "protocol/dialects/AssistDialect.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

Q_DECLARE_METATYPE(switchboard::AuthMode)

class tst_DialectAssist : public QObject {
    Q_OBJECT

private slots:
    // Every message a dialect built in these tests is in its table (Dialect::checkListed).
    void cleanup();
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
    // --- the codec, without a server ----------------------------------------------------
    void decodeReadsFieldsAtTheTopLevel();
    void jobEventsAreJobUpdates();
    void presenceIsARoomEvent();
    void roomMessagesKeepTheirType();
    void repliesTakeTheirTypeFromTheHandler();
    void connectionErrorAndResync();
};

void tst_DialectAssist::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

void tst_DialectAssist::assistTokenInQueryAndRooms()
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
void tst_DialectAssist::assistAuthMessage()
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
void tst_DialectAssist::assistNothingBeforeSignIn_data()
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

void tst_DialectAssist::assistNothingBeforeSignIn()
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
void tst_DialectAssist::assistDocumentClientSendsItsTokenTwice_data()
{
    QTest::addColumn<AuthMode>("mode");
    QTest::newRow("required") << AuthMode::Required;
    QTest::newRow("optional") << AuthMode::Optional;
}

void tst_DialectAssist::assistDocumentClientSendsItsTokenTwice()
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
void tst_DialectAssist::assistOptionalAndOffGreetAtOnce_data()
{
    QTest::addColumn<AuthMode>("mode");
    QTest::newRow("optional") << AuthMode::Optional;
    QTest::newRow("off") << AuthMode::Off;
}

void tst_DialectAssist::assistOptionalAndOffGreetAtOnce()
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

void tst_DialectAssist::assistBadAuthMessageCloses()
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

void tst_DialectAssist::assistSpecialRoomRules()
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

void tst_DialectAssist::assistDocumentUpdatesReachOwnerAndAdmins()
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

void tst_DialectAssist::assistJobUpdatesAndActiveJobs()
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

void tst_DialectAssist::assistSystemMetricsOnlyWhileSubscribed()
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

void tst_DialectAssist::assistBroadcastAdminIsAdminOnly()
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

void tst_DialectAssist::assistUserActivityToAdmins()
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
void tst_DialectAssist::assistRateWindowResets()
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
void tst_DialectAssist::assistRateLimitIsPerUserAcrossConnections()
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

namespace {

const qint64 eventTimeMs = 1700000000000;
const QString eventTime = QStringLiteral("2023-11-14T22:13:20.000Z");

Event eventOf(const QString& topic, const QString& name, const QJsonObject& data)
{
    return Event{topic, 1, name, eventTimeMs, 0, data, {}};
}

} // namespace

// The document writes {"type": "join_room", "room": ..}; `data` is read too.
void tst_DialectAssist::decodeReadsFieldsAtTheTopLevel()
{
    const AssistDialect dialect;
    ClientMessage join;
    QVERIFY(!dialect.decode(R"({"type":"join_room","room":"chat_room_123"})", join));
    QCOMPARE(join.type, QStringLiteral("join_room"));
    QCOMPARE(join.data, QJsonObject({{QStringLiteral("room"), QStringLiteral("chat_room_123")}}));
    ClientMessage nested;
    QVERIFY(!dialect.decode(R"({"type":"join_room","id":"j","data":{"room":"r"}})", nested));
    QCOMPARE(nested.id, QStringLiteral("j"));
    QCOMPARE(nested.data.value(QStringLiteral("room")).toString(), QStringLiteral("r"));
    ClientMessage auth;
    QVERIFY(!dialect.decode(R"({"type":"auth","token":"a.b.c"})", auth));
    QCOMPARE(auth.data.value(QStringLiteral("token")).toString(), QStringLiteral("a.b.c"));

    QVERIFY(dialect.acceptsAuthMessage());
    QVERIFY(dialect.fieldsAtTopLevel());
    QVERIFY(!dialect.closesRefusedConnections());
    QCOMPARE(QString(dialect.name()), QStringLiteral("assist"));
}

// Every job_* event is one `job_updates`, which says in `event` what happened.
void tst_DialectAssist::jobEventsAreJobUpdates()
{
    const AssistDialect dialect;
    const QJsonObject job{{QStringLiteral("job_id"), QStringLiteral("j1")},
                          {QStringLiteral("progress"), 45.5}};
    for (const char* name : {"job_queued", "job_started", "job_progress", "job_completed",
                             "job_failed", "job_cancelled"}) {
        QJsonObject expected = job;
        expected.insert(QStringLiteral("event"), QLatin1String(name));
        QCOMPARE(
            parsed(dialect.encodeEvent(eventOf(QStringLiteral("jobs"), QLatin1String(name), job))),
            QJsonObject({{QStringLiteral("type"), QStringLiteral("job_updates")},
                         {QStringLiteral("timestamp"), eventTime},
                         {QStringLiteral("data"), expected}}));
    }
}

void tst_DialectAssist::presenceIsARoomEvent()
{
    const AssistDialect dialect;
    const QJsonObject presence{{QStringLiteral("room"), QStringLiteral("r")},
                               {QStringLiteral("event"), QStringLiteral("user_joined")},
                               {QStringLiteral("user_id"), QStringLiteral("bob")}};
    const QJsonObject message = parsed(dialect.encodeEvent(
        eventOf(QStringLiteral("room:r"), QStringLiteral("presence"), presence)));
    QCOMPARE(typeOf(message), QStringLiteral("room_event"));
    QCOMPARE(dataOf(message), presence);
}

// send_to_room: a service's own type reaches the room's members as it is, but only in a room;
// elsewhere only what the table carries goes out (not status_update: 002 reads system_metrics).
void tst_DialectAssist::roomMessagesKeepTheirType()
{
    const AssistDialect dialect;
    const QJsonObject hello{{QStringLiteral("message"), QStringLiteral("Hello room!")}};
    QCOMPARE(parsed(dialect.encodeEvent(
                 eventOf(QStringLiteral("room:chat"), QStringLiteral("custom_event"), hello))),
             QJsonObject({{QStringLiteral("type"), QStringLiteral("custom_event")},
                          {QStringLiteral("timestamp"), eventTime},
                          {QStringLiteral("data"), hello}}));
    QVERIFY(
        dialect
            .encodeEvent(eventOf(QStringLiteral("alerts"), QStringLiteral("custom_event"), hello))
            .isEmpty());
    QCOMPARE(typeOf(parsed(dialect.encodeEvent(
                 eventOf(QStringLiteral("system_metrics"), QStringLiteral("system_metrics"), {})))),
             QStringLiteral("system_metrics"));
    QVERIFY(
        dialect.encodeEvent(eventOf(QStringLiteral("status"), QStringLiteral("status_update"), {}))
            .isEmpty());
    // Dialect::passesEvent: a type the dialect only builds itself never comes from an event.
    // 002's rooms pass any type through the `*` row, their own included.
    QVERIFY(dialect.encodeEvent(eventOf(QStringLiteral("room:chat"), QStringLiteral("pong"), {}))
                .isEmpty());
}

// A handler names its reply's type in the data's "type"; the rest becomes the reply's data.
void tst_DialectAssist::repliesTakeTheirTypeFromTheHandler()
{
    const AssistDialect dialect;
    const ClientMessage join{QStringLiteral("join_room"), QStringLiteral("7"), {}};
    const QJsonObject joined =
        parsed(dialect.encodeReply(join, {{QStringLiteral("type"), QStringLiteral("room_event")},
                                          {QStringLiteral("event"), QStringLiteral("joined")},
                                          {QStringLiteral("room"), QStringLiteral("r")}}));
    QCOMPARE(typeOf(joined), QStringLiteral("room_event"));
    QCOMPARE(dataOf(joined), QJsonObject({{QStringLiteral("event"), QStringLiteral("joined")},
                                          {QStringLiteral("room"), QStringLiteral("r")}}));
    QCOMPARE(joined.value(QStringLiteral("id")).toString(), QStringLiteral("7"));
    QVERIFY(isIsoTimestamp(joined.value(QStringLiteral("timestamp"))));

    const ClientMessage ping{QStringLiteral("ping"), {}, {}};
    const QJsonObject pong = parsed(dialect.encodeReply(ping, {}));
    QCOMPARE(typeOf(pong), QStringLiteral("pong"));
    QVERIFY(!pong.contains(QStringLiteral("id")));
    const ClientMessage other{QStringLiteral("subscribe_job_updates"), QStringLiteral("x"), {}};
    QCOMPARE(typeOf(parsed(dialect.encodeReply(other, {}))), QStringLiteral("ack"));
}

void tst_DialectAssist::connectionErrorAndResync()
{
    const AssistDialect dialect;
    const QJsonObject fields{{QStringLiteral("status"), QStringLiteral("connected")},
                             {QStringLiteral("authenticated"), false}};
    const QJsonObject connection =
        parsed(dialect.encodeMessage(QLatin1String("connection"), fields));
    QCOMPARE(typeOf(connection), QStringLiteral("connection"));
    QCOMPARE(dataOf(connection), fields);
    QVERIFY(isIsoTimestamp(connection.value(QStringLiteral("timestamp"))));

    const QJsonObject error = parsed(
        dialect.encodeError({}, Error{ErrorCode::RateLimitExceeded, QStringLiteral("too many")}));
    QCOMPARE(typeOf(error), QStringLiteral("error"));
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(error.value(QStringLiteral("error")).toString(), QStringLiteral("too many"));
    QCOMPARE(error.value(QStringLiteral("message")).toString(), QStringLiteral("too many"));
    QVERIFY(!error.contains(QStringLiteral("id")));

    const QJsonObject resync = parsed(dialect.encodeResync(QStringLiteral("room:r")));
    QCOMPARE(typeOf(resync), QStringLiteral("resync"));
    QCOMPARE(dataOf(resync), QJsonObject({{QStringLiteral("topic"), QStringLiteral("room:r")}}));
}

QTEST_GUILESS_MAIN(tst_DialectAssist)
#include "tst_dialect_assist.moc"
