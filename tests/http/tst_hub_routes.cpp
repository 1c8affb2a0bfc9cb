// The hub routes as SPEC §2.1 promises them: publishing over REST (`POST /api/v1/publish`)
// to native WebSocket subscribers, REST authentication (401/403), and the hub's health,
// statistics and connection control under `/api/v1/ws/`. Real hub, real sockets.

#include "HttpExchange.h"
#include "TestClient.h"
#include "TestHub.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

const QString publishPath = QStringLiteral("/api/v1/publish");
const QString statsPath = QStringLiteral("/api/v1/ws/stats");

QJsonObject jsonObject(const QByteArray& body)
{
    return QJsonDocument::fromJson(body).object();
}

QByteArray compact(const QJsonValue& value)
{
    return value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

QJsonObject message(const QString& topic, const QString& type, const QJsonObject& data = {})
{
    QJsonObject m{{QStringLiteral("topic"), topic}, {QStringLiteral("type"), type}};
    if (!data.isEmpty())
        m.insert(QStringLiteral("data"), data);
    return m;
}

QString errorCode(const TestHub::Reply& reply)
{
    return jsonObject(reply.body).value(QStringLiteral("code")).toString();
}

QString errorText(const TestHub::Reply& reply)
{
    return jsonObject(reply.body).value(QStringLiteral("error")).toString();
}

// A token that is well-formed but unsigned: `alg: none`.
QByteArray unsignedToken()
{
    const QByteArray header =
        QByteArray(R"({"alg":"none","typ":"JWT"})")
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const qint64 exp = QDateTime::currentSecsSinceEpoch() + 3600;
    const QByteArray json =
        R"({"sub":"mallory","role":"admin","exp":)" + QByteArray::number(exp) + "}";
    const QByteArray claims =
        json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return header + '.' + claims + '.';
}

// A native client on /ws/v1 subscribed to `topics`.
bool subscribe(TestClient& client, const TestHub& hub, const QStringList& topics,
               const QByteArray& token)
{
    if (!client.open(hub.ws(QStringLiteral("/ws/v1"), token)))
        return false;
    const QJsonObject ack =
        client.request(QStringLiteral("subscribe"), QStringLiteral("sub"),
                       {{QStringLiteral("topics"), QJsonArray::fromStringList(topics)}});
    return ack.value(QStringLiteral("type")).toString() == QStringLiteral("ack");
}

} // namespace

class tst_HubRoutes : public QObject {
    Q_OBJECT

private slots:
    void publishOneReachesANativeSubscriber();
    void publishBatchAnswersInOrderWithConsecutiveSeqs();
    void publishRefusesBadBodiesNamingTheField_data();
    void publishRefusesBadBodiesNamingTheField();
    void batchWithOneBadMessagePublishesNothing();
    void publishNeedsServiceOrAdmin_data();
    void publishNeedsServiceOrAdmin();
    void unauthorizedNamesTheBearerScheme();
    void wsHealthIsPublic();
    void wsStatsIsForAdminsOnly_data();
    void wsStatsIsForAdminsOnly();
    void wsStatsFollowRealClients();
    void deleteConnectionClosesThatClientWith1008();
    void deleteUnknownConnectionIs404();
    void deleteConnectionIsForAdminsOnly();
    void shutdownIsForAdminsOnly();
    void shutdownAcceptsAndSignalsTheHost();
};

void tst_HubRoutes::publishOneReachesANativeSubscriber()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient subscriber;
    QVERIFY(subscribe(subscriber, hub, {QStringLiteral("news")},
                      hub.token(QStringLiteral("reader"), Role::User)));

    const TestHub::Reply reply =
        hub.send("POST", publishPath,
                 compact(message(QStringLiteral("news"), QStringLiteral("headline"),
                                 {{QStringLiteral("title"), QStringLiteral("hello")}})),
                 hub.token(QStringLiteral("svc"), Role::Service));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("Content-Type").startsWith("application/json"));
    const QJsonObject result = jsonObject(reply.body);
    QCOMPARE(result.value(QStringLiteral("seq")).toInt(), 1);
    QCOMPARE(result.value(QStringLiteral("delivered")).toInt(), 1);

    const QJsonObject event = subscriber.waitForType(QStringLiteral("event"));
    QVERIFY(!event.isEmpty());
    QCOMPARE(event.value(QStringLiteral("topic")).toString(), QStringLiteral("news"));
    QCOMPARE(event.value(QStringLiteral("seq")).toInt(), 1);
    QCOMPARE(event.value(QStringLiteral("event")).toString(), QStringLiteral("headline"));
    QVERIFY(!event.value(QStringLiteral("ts")).toString().isEmpty());
    QCOMPARE(
        event.value(QStringLiteral("data")).toObject().value(QStringLiteral("title")).toString(),
        QStringLiteral("hello"));

    // Nobody listening: published all the same, delivered to no one.
    const QJsonObject unheard =
        jsonObject(hub.send("POST", publishPath,
                            compact(message(QStringLiteral("quiet"), QStringLiteral("e"))),
                            hub.token(QStringLiteral("svc"), Role::Service))
                       .body);
    QCOMPARE(unheard.value(QStringLiteral("seq")).toInt(), 1);
    QCOMPARE(unheard.value(QStringLiteral("delivered")).toInt(), 0);
}

void tst_HubRoutes::publishBatchAnswersInOrderWithConsecutiveSeqs()
{
    TestHub hub;
    const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin);
    // Something was published before, so the batch does not start at 1.
    QCOMPARE(hub.send("POST", publishPath,
                      compact(message(QStringLiteral("orders"), QStringLiteral("placed"))), admin)
                 .status,
             200);
    TestClient subscriber;
    QVERIFY(subscribe(subscriber, hub, {QStringLiteral("orders")},
                      hub.token(QStringLiteral("reader"), Role::User)));

    const int count = 5;
    QJsonArray batch;
    for (int i = 0; i < count; ++i)
        batch.append(message(QStringLiteral("orders"), QStringLiteral("placed"),
                             {{QStringLiteral("n"), i}}));
    const TestHub::Reply reply = hub.send("POST", publishPath, compact(batch), admin);
    QCOMPARE(reply.status, 200);
    const QJsonArray results = QJsonDocument::fromJson(reply.body).array();
    QCOMPARE(results.size(), count);
    for (int i = 0; i < count; ++i) {
        const QJsonObject result = results[i].toObject();
        QCOMPARE(result.value(QStringLiteral("seq")).toInt(), 2 + i);
        QCOMPARE(result.value(QStringLiteral("delivered")).toInt(), 1);
    }

    QTRY_COMPARE(subscriber.messagesOfType(QStringLiteral("event")).size(), count);
    const QList<QJsonObject> events = subscriber.messagesOfType(QStringLiteral("event"));
    for (int i = 0; i < count; ++i) {
        QCOMPARE(events[i].value(QStringLiteral("seq")).toInt(), 2 + i);
        QCOMPARE(
            events[i].value(QStringLiteral("data")).toObject().value(QStringLiteral("n")).toInt(),
            i);
    }
}

void tst_HubRoutes::publishRefusesBadBodiesNamingTheField_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");

    const QString invalid = QStringLiteral("INVALID_MESSAGE");
    QTest::newRow("no topic") << QByteArray(R"({"type":"e"})") << invalid
                              << QStringLiteral("topic is required");
    QTest::newRow("no type") << QByteArray(R"({"topic":"t"})") << invalid
                             << QStringLiteral("type is required");
    QTest::newRow("empty topic") << QByteArray(R"({"topic":"","type":"e"})") << invalid
                                 << QStringLiteral("topic");
    QTest::newRow("topic not a string")
        << QByteArray(R"({"topic":7,"type":"e"})") << invalid << QStringLiteral("topic");
    QTest::newRow("topic with a space")
        << QByteArray(R"({"topic":"a b","type":"e"})") << invalid << QStringLiteral("topic");
    QTest::newRow("data not an object")
        << QByteArray(R"({"topic":"t","type":"e","data":5})") << invalid << QStringLiteral("data");
    QTest::newRow("second of a batch without topic")
        << QByteArray(R"([{"topic":"t","type":"e"},{"type":"e"}])") << invalid
        << QStringLiteral("[1].topic is required");
    QTest::newRow("third of a batch without type")
        << QByteArray(R"([{"topic":"t","type":"e"},{"topic":"t","type":"e"},{"topic":"t"}])")
        << invalid << QStringLiteral("[2].type is required");
    QTest::newRow("batch item not an object")
        << QByteArray(R"([{"topic":"t","type":"e"},1])") << invalid << QStringLiteral("[1]");
    QTest::newRow("empty batch") << QByteArray("[]") << invalid << QString();
    QTest::newRow("a string") << QByteArray(R"("hello")") << invalid << QString();
    QTest::newRow("invalid JSON") << QByteArray(R"({"topic":"t",)")
                                  << QStringLiteral("INVALID_JSON") << QString();
    QTest::newRow("not JSON at all")
        << QByteArray("topic=t&type=e") << QStringLiteral("INVALID_JSON") << QString();
}

void tst_HubRoutes::publishRefusesBadBodiesNamingTheField()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(QString, mentions);
    TestHub hub;
    const TestHub::Reply reply =
        hub.send("POST", publishPath, body, hub.token(QStringLiteral("svc"), Role::Service));
    QCOMPARE(reply.status, 400);
    QCOMPARE(errorCode(reply), code);
    QVERIFY(!errorText(reply).isEmpty());
    QVERIFY2(errorText(reply).contains(mentions), qPrintable(errorText(reply)));
}

void tst_HubRoutes::batchWithOneBadMessagePublishesNothing()
{
    TestHub hub;
    const QByteArray service = hub.token(QStringLiteral("svc"), Role::Service);
    TestClient subscriber;
    QVERIFY(subscribe(subscriber, hub, {QStringLiteral("ledger")},
                      hub.token(QStringLiteral("reader"), Role::User)));

    const QJsonArray batch{
        message(QStringLiteral("ledger"), QStringLiteral("entry"), {{QStringLiteral("n"), 1}}),
        message(QStringLiteral("ledger"), QStringLiteral("entry"), {{QStringLiteral("n"), 2}}),
        QJsonObject{{QStringLiteral("topic"), QStringLiteral("ledger")}}};
    const TestHub::Reply refused = hub.send("POST", publishPath, compact(batch), service);
    QCOMPARE(refused.status, 400);
    QVERIFY2(errorText(refused).contains(QStringLiteral("[2].type")),
             qPrintable(errorText(refused)));

    // The next publish is the topic's first: nothing of the refused batch was published.
    const TestHub::Reply next =
        hub.send("POST", publishPath,
                 compact(message(QStringLiteral("ledger"), QStringLiteral("entry"),
                                 {{QStringLiteral("n"), 3}})),
                 service);
    QCOMPARE(jsonObject(next.body).value(QStringLiteral("seq")).toInt(), 1);
    const QJsonObject event = subscriber.waitForType(QStringLiteral("event"));
    QCOMPARE(event.value(QStringLiteral("seq")).toInt(), 1);
    QCOMPARE(event.value(QStringLiteral("data")).toObject().value(QStringLiteral("n")).toInt(), 3);
    QCOMPARE(subscriber.messagesOfType(QStringLiteral("event")).size(), 1);
}

void tst_HubRoutes::publishNeedsServiceOrAdmin_data()
{
    QTest::addColumn<QByteArray>("authorization"); // the whole header value; empty: none
    QTest::addColumn<int>("status");

    const auto bearer = [](const QByteArray& token) { return "Bearer " + token; };
    const auto signedBy = [](const QByteArray& secret, Role role, std::chrono::seconds ttl) {
        Identity identity;
        identity.subject = QStringLiteral("someone");
        identity.role = role;
        return TokenVerifier(secret).issue(identity, ttl);
    };
    const std::chrono::seconds hour(3600);
    const QByteArray otherSecret = "another-secret-0123456789abcdef0123";

    QTest::newRow("no token") << QByteArray() << 401;
    QTest::newRow("user") << bearer(signedBy(testSecret, Role::User, hour)) << 403;
    QTest::newRow("service") << bearer(signedBy(testSecret, Role::Service, hour)) << 200;
    QTest::newRow("admin") << bearer(signedBy(testSecret, Role::Admin, hour)) << 200;
    QTest::newRow("expired admin") << bearer(signedBy(testSecret, Role::Admin, -hour)) << 401;
    QTest::newRow("admin signed with another secret")
        << bearer(signedBy(otherSecret, Role::Admin, hour)) << 401;
    QTest::newRow("unsigned admin (alg none)") << bearer(unsignedToken()) << 401;
    QTest::newRow("garbage") << bearer("not.a.jwt") << 401;
    QTest::newRow("not a bearer header") << QByteArray("Basic dXNlcjpwYXNz") << 401;
}

void tst_HubRoutes::publishNeedsServiceOrAdmin()
{
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    TestHub hub;
    TestClient subscriber;
    QVERIFY(subscribe(subscriber, hub, {QStringLiteral("guarded")},
                      hub.token(QStringLiteral("reader"), Role::User)));

    QList<QPair<QByteArray, QByteArray>> headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    const TestHub::Reply reply =
        hub.send("POST", publishPath,
                 compact(message(QStringLiteral("guarded"), QStringLiteral("e"))), {}, headers);
    QCOMPARE(reply.status, status);
    if (status == 200) {
        QCOMPARE(jsonObject(reply.body).value(QStringLiteral("delivered")).toInt(), 1);
        QVERIFY(!subscriber.waitForType(QStringLiteral("event")).isEmpty());
        return;
    }
    QCOMPARE(errorCode(reply), status == 401 ? QStringLiteral("AUTHENTICATION_FAILED")
                                             : QStringLiteral("PERMISSION_DENIED"));
    // Refused means not published: the next publish is the topic's first.
    const TestHub::Reply next = hub.send(
        "POST", publishPath, compact(message(QStringLiteral("guarded"), QStringLiteral("e"))),
        hub.token(QStringLiteral("s"), Role::Service));
    QCOMPARE(jsonObject(next.body).value(QStringLiteral("seq")).toInt(), 1);
}

void tst_HubRoutes::unauthorizedNamesTheBearerScheme()
{
    // RFC 9110 §11.6.1 / RFC 6750 §3: a 401 response must carry a WWW-Authenticate challenge.
    TestHub hub;
    const RawResponse response =
        exchange(hub.host->port(),
                 httpRequest("POST", publishPath.toLatin1(), {}, R"({"topic":"t","type":"e"})"));
    QCOMPARE(response.status, 401);
    QVERIFY2(response.header("WWW-Authenticate").startsWith("Bearer"),
             qPrintable(QStringLiteral("WWW-Authenticate: \"%1\"")
                            .arg(QString::fromLatin1(response.header("WWW-Authenticate")))));
}

void tst_HubRoutes::wsHealthIsPublic()
{
    TestHub hub;
    const auto health = [&hub] {
        return jsonObject(hub.send("GET", QStringLiteral("/api/v1/ws/health")).body);
    };
    const TestHub::Reply reply = hub.send("GET", QStringLiteral("/api/v1/ws/health"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(jsonObject(reply.body).value(QStringLiteral("status")).toString(),
             QStringLiteral("healthy"));
    QCOMPARE(jsonObject(reply.body).value(QStringLiteral("active_connections")).toInt(-1), 0);

    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    QTRY_COMPARE(health().value(QStringLiteral("active_connections")).toInt(), 1);
    // A token, even a bad one, changes nothing on a public route.
    QCOMPARE(hub.send("GET", QStringLiteral("/api/v1/ws/health"), {}, "not.a.jwt").status, 200);
}

void tst_HubRoutes::wsStatsIsForAdminsOnly_data()
{
    QTest::addColumn<int>("role"); // -1: no token
    QTest::addColumn<int>("status");
    QTest::newRow("no token") << -1 << 401;
    QTest::newRow("user") << int(Role::User) << 403;
    QTest::newRow("service") << int(Role::Service) << 403;
    QTest::newRow("admin") << int(Role::Admin) << 200;
}

void tst_HubRoutes::wsStatsIsForAdminsOnly()
{
    QFETCH(int, role);
    QFETCH(int, status);
    TestHub hub;
    const QByteArray token = role < 0 ? QByteArray() : hub.token(QStringLiteral("x"), Role(role));
    const TestHub::Reply reply = hub.send("GET", statsPath, {}, token);
    QCOMPARE(reply.status, status);
    if (status != 200)
        QVERIFY(!errorCode(reply).isEmpty());
}

void tst_HubRoutes::wsStatsFollowRealClients()
{
    HubConfig config = testConfig();
    TestHub hub(config);
    const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin);
    const auto stats = [&hub, &admin] {
        return jsonObject(hub.send("GET", statsPath, {}, admin).body);
    };
    const auto number = [&stats](const char* field) {
        return stats().value(QLatin1String(field)).toDouble(-1);
    };

    const QJsonObject initial = stats();
    for (const char* field : {"total_connections", "authenticated_connections", "rooms_active",
                              "messages_per_second", "uptime_seconds"})
        QVERIFY2(initial.value(QLatin1String(field)).isDouble(), field);
    QCOMPARE(initial.value(QStringLiteral("total_connections")).toInt(), 0);
    QCOMPARE(initial.value(QStringLiteral("authenticated_connections")).toInt(), 0);
    QCOMPARE(initial.value(QStringLiteral("rooms_active")).toInt(), 0);
    QVERIFY(initial.value(QStringLiteral("uptime_seconds")).toDouble() >= 0);

    TestClient anonymous;
    QVERIFY(anonymous.open(hub.ws()));
    TestClient member;
    QVERIFY(subscribe(member, hub, {QStringLiteral("room:alpha")},
                      hub.token(QStringLiteral("alice"), Role::User)));
    QTRY_COMPARE(number("total_connections"), 2.0);
    QCOMPARE(number("authenticated_connections"), 1.0);
    QCOMPARE(number("rooms_active"), 1.0);

    // The anonymous client authenticates with an auth message.
    const QJsonObject ack =
        anonymous.request(QStringLiteral("auth"), QStringLiteral("a"),
                          {{QStringLiteral("token"),
                            QString::fromUtf8(hub.token(QStringLiteral("bob"), Role::User))}});
    QCOMPARE(ack.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
    QTRY_COMPARE(number("authenticated_connections"), 2.0);

    // Traffic shows in the message rate.
    for (int i = 0; i < 50; ++i)
        member.send({{QStringLiteral("type"), QStringLiteral("ping")},
                     {QStringLiteral("id"), QString::number(i)}});
    QVERIFY(!member.waitForReply(QStringLiteral("49")).isEmpty());
    QTRY_VERIFY(number("messages_per_second") > 0);

    // Leaving the room and the hub.
    member.socket.close();
    QVERIFY(member.waitClosed());
    QTRY_COMPARE(number("total_connections"), 1.0);
    QTRY_COMPARE(number("rooms_active"), 0.0);
    QCOMPARE(number("authenticated_connections"), 1.0);

    // The clock runs: waiting for time to pass is what is tested here.
    QTRY_VERIFY_WITH_TIMEOUT(number("uptime_seconds") >= 1, 5000);
}

void tst_HubRoutes::deleteConnectionClosesThatClientWith1008()
{
    TestHub hub;
    const QByteArray user = hub.token(QStringLiteral("u"), Role::User);
    TestClient victim, bystander;
    QVERIFY(victim.open(hub.ws(QStringLiteral("/ws/v1"), user)));
    QVERIFY(bystander.open(hub.ws(QStringLiteral("/ws/v1"), user)));
    const QString id = victim.waitForType(QStringLiteral("welcome"))
                           .value(QStringLiteral("data"))
                           .toObject()
                           .value(QStringLiteral("session_id"))
                           .toString();
    QVERIFY(!id.isEmpty());

    const TestHub::Reply reply = hub.send("DELETE", QStringLiteral("/api/v1/ws/connections/") + id,
                                          {}, hub.token(QStringLiteral("root"), Role::Admin));
    QCOMPARE(reply.status, 200);
    QVERIFY(victim.waitClosed());
    QCOMPARE(victim.closeCode, 1008);
    QVERIFY(!bystander.closed);
    QCOMPARE(bystander.request(QStringLiteral("ping"), QStringLiteral("p"))
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("pong"));
    QTRY_COMPARE(jsonObject(hub.send("GET", QStringLiteral("/health")).body)
                     .value(QStringLiteral("active_connections"))
                     .toInt(),
                 1);
    // Gone: deleting it again finds nothing.
    QCOMPARE(hub.send("DELETE", QStringLiteral("/api/v1/ws/connections/") + id, {},
                      hub.token(QStringLiteral("root"), Role::Admin))
                 .status,
             404);
}

void tst_HubRoutes::deleteUnknownConnectionIs404()
{
    TestHub hub;
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    const TestHub::Reply reply =
        hub.send("DELETE", QStringLiteral("/api/v1/ws/connections/no-such-id"), {},
                 hub.token(QStringLiteral("root"), Role::Admin));
    QCOMPARE(reply.status, 404);
    QCOMPARE(errorCode(reply), QStringLiteral("NOT_FOUND"));
    QVERIFY(!client.closed);
}

void tst_HubRoutes::deleteConnectionIsForAdminsOnly()
{
    TestHub hub;
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    const QString path =
        QStringLiteral("/api/v1/ws/connections/") + client.waitForType(QStringLiteral("welcome"))
                                                        .value(QStringLiteral("data"))
                                                        .toObject()
                                                        .value(QStringLiteral("session_id"))
                                                        .toString();
    QCOMPARE(hub.send("DELETE", path).status, 401);
    QCOMPARE(hub.send("DELETE", path, {}, hub.token(QStringLiteral("u"), Role::User)).status, 403);
    QCOMPARE(hub.send("DELETE", path, {}, hub.token(QStringLiteral("s"), Role::Service)).status,
             403);
    // Still connected and served.
    QCOMPARE(client.request(QStringLiteral("ping"), QStringLiteral("p"))
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("pong"));
    QVERIFY(!client.closed);
}

void tst_HubRoutes::shutdownIsForAdminsOnly()
{
    TestHub hub;
    QSignalSpy requested(hub.host.get(), &HubHost::shutdownRequested);
    const QString path = QStringLiteral("/api/v1/ws/shutdown");
    QCOMPARE(hub.send("POST", path).status, 401);
    QCOMPARE(hub.send("POST", path, {}, hub.token(QStringLiteral("u"), Role::User)).status, 403);
    QCOMPARE(hub.send("POST", path, {}, hub.token(QStringLiteral("s"), Role::Service)).status, 403);
    // The signal would be queued behind the replies: one more round trip lets it through.
    QCOMPARE(hub.send("GET", QStringLiteral("/health")).status, 200);
    QCoreApplication::processEvents();
    QCOMPARE(requested.count(), 0);
    QVERIFY(hub.host->isRunning());
}

void tst_HubRoutes::shutdownAcceptsAndSignalsTheHost()
{
    TestHub hub;
    QSignalSpy requested(hub.host.get(), &HubHost::shutdownRequested);
    const TestHub::Reply reply = hub.send("POST", QStringLiteral("/api/v1/ws/shutdown"), {},
                                          hub.token(QStringLiteral("root"), Role::Admin));
    QCOMPARE(reply.status, 202);
    QVERIFY(reply.header("Content-Type").startsWith("application/json"));
    QTRY_COMPARE(requested.count(), 1);
}

QTEST_GUILESS_MAIN(tst_HubRoutes)
#include "tst_hub_routes.moc"
