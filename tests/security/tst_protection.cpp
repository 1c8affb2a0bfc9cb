// SPEC §7 over real sockets: rate limits per user (per connection when anonymous, under a
// ceiling per address; tst_client_address has more) per minute and per
// hour, blocking after repeated violations (close 1008, upgrades refused with 429 until the
// block ends), forgetting quiet clients, the per-IP connection limit (503 before the
// handshake), the browser Origin allow-list (403 before the handshake) and CORS on REST.

#include "SecurityTesting.h"
#include "TestClient.h"
#include "TestHub.h"
#include "auth/OriginPolicy.h"
#include "auth/RateLimiter.h"

#include <QtTest>

using namespace switchboard;
using namespace switchboard::test;

class tst_Protection : public QObject {
    Q_OBJECT

private slots:
    void perMinuteLimitAnswersRateLimitExceeded();
    void perHourLimitAnswersRateLimitExceeded();
    void limitIsPerUserAcrossConnections();
    void anonymousClientsAreCountedPerConnectionUnderAnAddressCeiling();
    void repeatedViolationsBlockUntilTheBlockEnds();
    void invalidFramesCountAgainstTheLimit();
    void quietClientsAreForgotten();
    void hubForgetsQuietClientsEveryCleanupInterval();
    void document002HasItsOwnPerUserLimit();
    void perAddressConnectionLimitRefusesWith503();
    void foreignBrowserOriginIsRefusedWith403();
    void allowListedOriginIsAccepted();
    void corsFollowsTheAllowList();
    void originPolicyRules();
    void hostHeaderIsCheckedWithoutRequiredAuth();
};

namespace {

QString errorCode(const QJsonObject& reply)
{
    if (reply.value(QLatin1String("type")).toString() != QLatin1String("error"))
        return {};
    const QJsonValue code = reply.value(QLatin1String("code"));
    if (code.isString())
        return code.toString();
    return reply.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
}

QString ping(TestClient& client, const QString& id)
{
    return errorCode(client.request(QStringLiteral("ping"), id));
}

HubConfig limitedConfig(int perMinute, int perHour, int violationsBeforeBlock = 1000)
{
    HubConfig config = testConfig();
    config.requestsPerMinute = perMinute;
    config.requestsPerHour = perHour;
    config.rateViolationsBeforeBlock = violationsBeforeBlock;
    return config;
}

} // namespace

void tst_Protection::perMinuteLimitAnswersRateLimitExceeded()
{
    TestHub hub(limitedConfig(3, 1000));
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(ping(client, QStringLiteral("p%1").arg(i)), QString());
    const QJsonObject refused = client.request(QStringLiteral("ping"), QStringLiteral("over"));
    QCOMPARE(errorCode(refused), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QVERIFY2(QString::fromUtf8(compactJson(refused)).contains(QLatin1String("per minute")),
             compactJson(refused).constData());
    QVERIFY(!client.closed);
}

void tst_Protection::perHourLimitAnswersRateLimitExceeded()
{
    TestHub hub(limitedConfig(100, 2));
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    QCOMPARE(ping(client, QStringLiteral("a")), QString());
    QCOMPARE(ping(client, QStringLiteral("b")), QString());
    const QJsonObject refused = client.request(QStringLiteral("ping"), QStringLiteral("c"));
    QCOMPARE(errorCode(refused), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QVERIFY(QString::fromUtf8(compactJson(refused)).contains(QLatin1String("per hour")));
}

void tst_Protection::limitIsPerUserAcrossConnections()
{
    TestHub hub(limitedConfig(2, 1000));
    const QByteArray alice = hub.token(QStringLiteral("alice"), Role::User);
    TestClient first, second, bob;
    QVERIFY(first.open(hub.ws(QStringLiteral("/ws/v1"), alice)));
    QVERIFY(second.open(hub.ws(QStringLiteral("/ws/v1"), alice)));
    QVERIFY(
        bob.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("bob"), Role::User))));
    QCOMPARE(ping(first, QStringLiteral("1")), QString());
    QCOMPARE(ping(second, QStringLiteral("2")), QString());
    QCOMPARE(ping(second, QStringLiteral("3")), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(ping(first, QStringLiteral("4")), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(ping(bob, QStringLiteral("5")), QString()); // another user has a budget of his own

    // Services publish at their own pace.
    TestClient service;
    QVERIFY(service.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("feed"), Role::Service))));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(ping(service, QStringLiteral("s%1").arg(i)), QString());
}

void tst_Protection::anonymousClientsAreCountedPerConnectionUnderAnAddressCeiling()
{
    HubConfig config = limitedConfig(2, 1000);
    config.authMode = AuthMode::Optional;
    config.anonymousRequestsPerMinutePerAddress = 3;
    TestHub hub(config);
    TestClient first, second;
    QVERIFY(first.open(hub.ws()));
    QVERIFY(second.open(hub.ws()));
    // Same address (127.0.0.1), no identity: each connection has its own budget of 2...
    QCOMPARE(ping(first, QStringLiteral("1")), QString());
    QCOMPARE(ping(second, QStringLiteral("2")), QString());
    QCOMPARE(ping(first, QStringLiteral("3")), QString());
    QCOMPARE(ping(first, QStringLiteral("4")), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    // ...and together they have the address's 3.
    const QJsonObject refused = second.request(QStringLiteral("ping"), QStringLiteral("5"));
    QCOMPARE(errorCode(refused), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QVERIFY2(compactJson(refused).contains("from this address"), compactJson(refused).constData());
}

void tst_Protection::repeatedViolationsBlockUntilTheBlockEnds()
{
    HubConfig config = limitedConfig(2, 1000, 2);
    config.rateBlockDuration = std::chrono::milliseconds(3000);
    TestHub hub(config);
    const QByteArray token = hub.token(QStringLiteral("flooder"), Role::User);
    TestClient client;
    QVERIFY(client.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    QCOMPARE(ping(client, QStringLiteral("1")), QString());
    QCOMPARE(ping(client, QStringLiteral("2")), QString());
    QCOMPARE(ping(client, QStringLiteral("3")), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(ping(client, QStringLiteral("4")), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCode, 1008);

    // Reconnecting is refused before the handshake, with the reason and when to retry.
    const QByteArray refusal =
        rawExchange(hub.host->port(), upgradeRequest("/ws/v1?token=" + token));
    QVERIFY2(refusal.startsWith("HTTP/1.1 429"), refusal.constData());
    QVERIFY(refusal.contains("RATE_LIMIT_EXCEEDED"));
    QVERIFY(refusal.toLower().contains("retry-after:"));
    TestClient again;
    QVERIFY(!openOrRefused(again.socket, hub.ws(QStringLiteral("/ws/v1"), token)));

    // Nor may the user come back through an anonymous connection and an `auth` message, in
    // either dialect that has one: refused with the time left, closed with 1008.
    TestClient nativeAuth;
    QVERIFY(nativeAuth.open(hub.ws(QStringLiteral("/ws/v1"))));
    const QJsonObject nativeRefusal =
        nativeAuth.request(QStringLiteral("auth"), QStringLiteral("a"),
                           {{QStringLiteral("token"), QString::fromLatin1(token)}});
    QCOMPARE(errorCode(nativeRefusal), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QVERIFY2(compactJson(nativeRefusal).contains("retry in"),
             compactJson(nativeRefusal).constData());
    QVERIFY(nativeAuth.waitClosed());
    QCOMPARE(nativeAuth.closeCode, 1008);
    TestClient assistAuth;
    QVERIFY(assistAuth.open(hub.ws(QStringLiteral("/ws/connect"))));
    assistAuth.send({{QStringLiteral("type"), QStringLiteral("auth")},
                     {QStringLiteral("token"), QString::fromLatin1(token)}});
    QCOMPARE(errorCode(assistAuth.waitForType(QStringLiteral("error"))),
             QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QVERIFY(assistAuth.waitClosed());
    QCOMPARE(assistAuth.closeCode, 1008);
    // Under required auth a 002 connection is greeted only once signed in: never, here.
    QCOMPARE(assistAuth.messagesOfType(QStringLiteral("connection")).size(), 0);

    // Others are not affected.
    TestClient other;
    QVERIFY(other.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("calm"), Role::User))));

    // Once the block ends the user is back.
    TestClient later;
    QTRY_VERIFY_WITH_TIMEOUT(later.open(hub.ws(QStringLiteral("/ws/v1"), token), {}, 1000), 10000);
    QCOMPARE(ping(later, QStringLiteral("5")), QString());
}

// Every frame counts against the limit, also those that do not decode: a flood of garbage is
// refused and then blocked like a flood of requests.
void tst_Protection::invalidFramesCountAgainstTheLimit()
{
    HubConfig config = limitedConfig(3, 1000, 2);
    config.rateBlockDuration = std::chrono::milliseconds(60'000);
    TestHub hub(config);
    TestClient client;
    QVERIFY(client.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("garbler"), Role::User))));
    for (int i = 0; i < 20; ++i)
        client.socket.sendTextMessage(QStringLiteral("{not json"));
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCode, 1008);
    QStringList codes;
    for (const QJsonObject& message : std::as_const(client.messages)) {
        if (message.value(QLatin1String("type")).toString() == QLatin1String("error"))
            codes.append(errorCode(message));
    }
    QCOMPARE(codes,
             (QStringList{QStringLiteral("INVALID_JSON"), QStringLiteral("INVALID_JSON"),
                          QStringLiteral("INVALID_JSON"), QStringLiteral("RATE_LIMIT_EXCEEDED"),
                          QStringLiteral("RATE_LIMIT_EXCEEDED")}));
}

void tst_Protection::quietClientsAreForgotten()
{
    RateLimiter limiter({{{std::chrono::milliseconds(100), 5, QStringLiteral("window")}},
                         0,
                         std::chrono::milliseconds(0),
                         std::chrono::milliseconds(50)});
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(int(limiter.admit(QStringLiteral("a"), now).kind), int(RateLimiter::Verdict::Allowed));
    QCOMPARE(int(limiter.admit(QStringLiteral("b"), now).kind), int(RateLimiter::Verdict::Allowed));
    QCOMPARE(limiter.trackedClients(), 2);
    // The cleanup timer (WS_CLEANUP_INTERVAL) drops them once their window has passed.
    QTRY_COMPARE_WITH_TIMEOUT(limiter.trackedClients(), 0, 5000);

    // A blocked client is kept until its block ends.
    RateLimiter blocking({{{std::chrono::milliseconds(50), 1, QStringLiteral("window")}},
                          1,
                          std::chrono::milliseconds(60'000),
                          std::chrono::milliseconds(20)});
    const qint64 start = QDateTime::currentMSecsSinceEpoch();
    blocking.admit(QStringLiteral("x"), start);
    QCOMPARE(int(blocking.admit(QStringLiteral("x"), start).kind),
             int(RateLimiter::Verdict::Blocked));
    blocking.forgetIdle(start + 1000);
    QCOMPARE(blocking.trackedClients(), 1);
    QVERIFY(blocking.blockedFor(QStringLiteral("x"), start + 1000) > 0);
    blocking.forgetIdle(start + 61'000);
    QCOMPARE(blocking.trackedClients(), 0);
}

// WS_CLEANUP_INTERVAL as the hub reads it: a client gone quiet is dropped from the limiter
// (seen in /api/v1/ws/stats) once its window has passed, at the next cleanup.
void tst_Protection::hubForgetsQuietClientsEveryCleanupInterval()
{
    HubConfig config = limitedConfig(1000, 1000);
    config.wsRateWindow = std::chrono::seconds(3); // document 002's limit, on /ws/connect
    config.rateCleanupInterval = std::chrono::seconds(1);
    TestHub hub(config);
    const QByteArray admin = hub.token(QStringLiteral("root"), Role::Admin);
    const auto entries = [&hub, &admin] {
        const TestHub::Reply reply = hub.send("GET", QStringLiteral("/api/v1/ws/stats"), {}, admin);
        return QJsonDocument::fromJson(reply.body)
            .object()
            .value(QLatin1String("rate_limit_entries"))
            .toInt(-1);
    };
    QCOMPARE(entries(), 0);
    TestClient assist;
    QVERIFY(assist.open(
        hub.ws(QStringLiteral("/ws/connect"), hub.token(QStringLiteral("svc"), Role::Service))));
    assist.send({{QLatin1String("type"), QLatin1String("ping")}});
    QVERIFY(!assist.waitForType(QStringLiteral("pong")).isEmpty());
    QCOMPARE(entries(), 1);
    // Three seconds of window, then the next one-second cleanup (300 s by default).
    QTRY_COMPARE_WITH_TIMEOUT(entries(), 0, 10000);
    QVERIFY(!assist.closed);
}

void tst_Protection::document002HasItsOwnPerUserLimit()
{
    HubConfig config = limitedConfig(1000, 1000);
    config.wsMaxMessages = 2; // WS_MAX_MESSAGES per WS_RATE_WINDOW, on /ws/connect only
    TestHub hub(config);
    const QByteArray token = hub.token(QStringLiteral("u"), Role::User);
    TestClient assist;
    QVERIFY(assist.open(hub.ws(QStringLiteral("/ws/connect"), token)));
    QVERIFY(!assist.waitForType(QStringLiteral("connection")).isEmpty());
    for (int i = 0; i < 3; ++i)
        assist.send({{QLatin1String("type"), QLatin1String("ping")}});
    const QJsonObject refused = assist.waitForType(QStringLiteral("error"));
    QCOMPARE(errorCode(refused), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(assist.messagesOfType(QStringLiteral("pong")).size(), 2);

    // The native endpoint does not have that limit.
    TestClient native;
    QVERIFY(native.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(ping(native, QStringLiteral("n%1").arg(i)), QString());
}

void tst_Protection::perAddressConnectionLimitRefusesWith503()
{
    HubConfig config = testConfig();
    config.maxConnectionsPerIp = 2;
    TestHub hub(config);
    const QByteArray token = hub.token(QStringLiteral("u"), Role::User);
    TestClient first, second, third;
    QVERIFY(first.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    QVERIFY(second.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    QVERIFY(!openOrRefused(third.socket, hub.ws(QStringLiteral("/ws/v1"), token)));
    const QByteArray refusal =
        rawExchange(hub.host->port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY2(refusal.startsWith("HTTP/1.1 503"), refusal.constData());
    QVERIFY(refusal.contains("too many connections from this address"));

    first.socket.close();
    QVERIFY(first.waitClosed());
    TestClient again;
    QTRY_VERIFY(again.open(hub.ws(QStringLiteral("/ws/v1"), token), {}, 1000));
}

void tst_Protection::foreignBrowserOriginIsRefusedWith403()
{
    TestHub hub;
    const QByteArray token = hub.token(QStringLiteral("u"), Role::User);
    const QByteArray refused =
        rawExchange(hub.host->port(),
                    upgradeRequest("/ws/v1?token=" + token, {"Origin: https://evil.example"}));
    QVERIFY2(refused.startsWith("HTTP/1.1 403"), refused.constData());
    QVERIFY(refused.contains("evil.example"));

    // Loopback pages, the hub's own pages, and clients without an Origin are accepted.
    const QList<QList<QByteArray>> accepted = {
        {},
        {"Origin: http://localhost:5173"},
        {"Origin: http://127.0.0.1:" + QByteArray::number(hub.host->port())},
    };
    for (const QList<QByteArray>& headers : accepted) {
        const QByteArray answer =
            rawExchange(hub.host->port(), upgradeRequest("/ws/v1?token=" + token, headers));
        QVERIFY2(answer.startsWith("HTTP/1.1 101"), answer.constData());
    }
    QByteArray sameOrigin =
        upgradeRequest("/ws/v1?token=" + token, {"Origin: https://hub.example.com:8443"});
    sameOrigin.replace("Host: 127.0.0.1", "Host: hub.example.com:8443");
    const QByteArray answer = rawExchange(hub.host->port(), sameOrigin);
    QVERIFY2(answer.startsWith("HTTP/1.1 101"), answer.constData());
}

void tst_Protection::allowListedOriginIsAccepted()
{
    HubConfig config = testConfig();
    config.allowedOrigins = {QStringLiteral("https://app.example.com")};
    TestHub hub(config);
    const QByteArray token = hub.token(QStringLiteral("u"), Role::User);
    QByteArray answer =
        rawExchange(hub.host->port(),
                    upgradeRequest("/ws/v1?token=" + token, {"Origin: https://app.example.com"}));
    QVERIFY2(answer.startsWith("HTTP/1.1 101"), answer.constData());
    answer =
        rawExchange(hub.host->port(), upgradeRequest("/ws/v1?token=" + token,
                                                     {"Origin: https://app.example.com.evil"}));
    QVERIFY2(answer.startsWith("HTTP/1.1 403"), answer.constData());
}

void tst_Protection::corsFollowsTheAllowList()
{
    HubConfig config = testConfig();
    config.allowedOrigins = {QStringLiteral("https://app.example.com")};
    TestHub hub(config);

    TestHub::Reply reply =
        hub.send("GET", QStringLiteral("/health"), {}, {}, {{"Origin", "https://app.example.com"}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("Access-Control-Allow-Origin"), QByteArray("https://app.example.com"));
    QVERIFY(!reply.header("X-Content-Type-Options").isEmpty());

    reply =
        hub.send("GET", QStringLiteral("/health"), {}, {}, {{"Origin", "https://evil.example"}});
    QCOMPARE(reply.header("Access-Control-Allow-Origin"), QByteArray());

    // Preflight: allowed origins learn the methods and headers; others get 403.
    reply = hub.send("OPTIONS", QStringLiteral("/api/v1/publish"), {}, {},
                     {{"Origin", "https://app.example.com"},
                      {"Access-Control-Request-Method", "POST"},
                      {"Access-Control-Request-Headers", "authorization, content-type"}});
    QCOMPARE(reply.status, 204);
    QCOMPARE(reply.header("Access-Control-Allow-Origin"), QByteArray("https://app.example.com"));
    QVERIFY(reply.header("Access-Control-Allow-Methods").contains("POST"));
    QVERIFY(reply.header("Access-Control-Allow-Headers").toLower().contains("authorization"));
    reply =
        hub.send("OPTIONS", QStringLiteral("/api/v1/publish"), {}, {},
                 {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    QCOMPARE(reply.status, 403);
    QCOMPARE(reply.header("Access-Control-Allow-Origin"), QByteArray());
}

void tst_Protection::originPolicyRules()
{
    const OriginPolicy defaults({});
    QVERIFY(defaults.allows({}, "hub:8000"));
    QVERIFY(defaults.allows("http://localhost:3000", "hub:8000"));
    QVERIFY(defaults.allows("http://[::1]:3000", "hub:8000"));
    QVERIFY(defaults.allows("http://hub:8000", "hub:8000"));
    QVERIFY(defaults.allows("https://hub", "hub:443"));
    QVERIFY(!defaults.allows("http://hub:8001", "hub:8000"));
    QVERIFY(!defaults.allows("null", "hub:8000"));
    QVERIFY(!defaults.allows("http://localhost.evil.example", "hub:8000"));
    const OriginPolicy any({QStringLiteral("*")});
    QVERIFY(any.allows("https://anything.example", "hub:8000"));

    // Host headers are judged only when asked to (authentication not required).
    QVERIFY(defaults.allowsHost("rebound.example:8000"));
    const OriginPolicy hosts({QStringLiteral("https://hub.example.com:8443")}, true);
    for (const char* host :
         {"", "127.0.0.1:8000", "192.168.1.20", "[::1]:8000", "localhost:8000", "LOCALHOST",
          "localhost.", "app.localhost:3000", "hub.example.com:8443", "hub.example.com"})
        QVERIFY2(hosts.allowsHost(host), host);
    for (const char* host : {"rebound.example:8000", "rebound.example", "example.com:8443",
                             "hub.example.com.evil:8443", "localhost.evil.example"})
        QVERIFY2(!hosts.allowsHost(host), host);
    QVERIFY(OriginPolicy({QStringLiteral("*")}, true).allowsHost("rebound.example"));
}

// DNS rebinding: with authentication not required, a page on a name that has been made to
// resolve to the hub must not be served, neither REST (no Origin on a same-origin GET) nor
// WebSocket (same-origin by its own Host header). IP addresses and localhost still work, and
// so do names on the allow-list; with required authentication the Host is not judged.
void tst_Protection::hostHeaderIsCheckedWithoutRequiredAuth()
{
    HubConfig config = testConfig();
    config.authMode = AuthMode::Optional;
    config.allowedOrigins = {QStringLiteral("http://hub.example.com:8000")};
    TestHub hub(config);
    const quint16 port = hub.host->port();
    const auto get = [port](const QByteArray& host) {
        return rawExchange(port, "GET /api/v1/ws/health HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    };
    QByteArray answer = get("rebound.example:" + QByteArray::number(port));
    QVERIFY2(answer.startsWith("HTTP/1.1 403"), answer.constData());
    QVERIFY(answer.contains("PERMISSION_DENIED"));
    QVERIFY(!answer.contains("healthy"));
    for (const QByteArray& host :
         {QByteArray("127.0.0.1:" + QByteArray::number(port)), QByteArray("localhost"),
          QByteArray("10.1.2.3:8000"), QByteArray("hub.example.com:8000")}) {
        answer = get(host);
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), QByteArray(host + ": " + answer).constData());
    }
    const auto upgrade = [port](const QByteArray& host) {
        QByteArray request = upgradeRequest("/ws/v1", {"Origin: http://" + host});
        request.replace("Host: 127.0.0.1", QByteArray("Host: " + host));
        return rawExchange(port, request);
    };
    answer = upgrade("rebound.example:" + QByteArray::number(port));
    QVERIFY2(answer.startsWith("HTTP/1.1 403"), answer.constData());
    answer = upgrade("localhost:" + QByteArray::number(port));
    QVERIFY2(answer.startsWith("HTTP/1.1 101"), answer.constData());

    TestHub required; // authentication required: tokens protect it, names are not judged
    answer = rawExchange(required.host->port(),
                         "GET /api/v1/ws/health HTTP/1.1\r\nHost: rebound.example\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
}

QTEST_MAIN(tst_Protection)
#include "tst_protection.moc"
