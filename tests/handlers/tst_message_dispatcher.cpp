// What the MessageDispatcher does for every dialect before and after a handler runs (SPEC §3,
// §7): bad frames and unknown types answered in the dialect's shape with the connection kept,
// access (AUTHENTICATION_FAILED, PERMISSION_DENIED), rate limits (RATE_LIMIT_EXCEEDED, then a
// block closed with 1008), exactly one reply per request id, and the registry of handlers and
// connection hooks the dispatcher reads. Clients are held in memory.

#include "HandlerFixture.h"
#include "JsonMessage.h"

#include <QJsonArray>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

QJsonObject nativeRequest(const QString& type, const QString& id, const QJsonObject& data = {})
{
    QJsonObject message{{QStringLiteral("type"), type}, {QStringLiteral("id"), id}};
    if (!data.isEmpty())
        message.insert(QStringLiteral("data"), data);
    return message;
}

QJsonObject only(const QList<QJsonObject>& messages)
{
    return messages.size() == 1 ? messages.first() : QJsonObject();
}

// A hub whose per-user limit is `perMinute` messages, blocking at the second refusal.
HubConfig limitedTo(int perMinute)
{
    HubConfig config = testConfig();
    config.requestsPerMinute = perMinute;
    config.rateViolationsBeforeBlock = 2;
    config.rateBlockDuration = std::chrono::minutes(15);
    return config;
}

} // namespace

class tst_MessageDispatcher : public QObject {
    Q_OBJECT

private slots:
    void cleanup();
    void invalidJsonKeepsTheConnection_data();
    void invalidJsonKeepsTheConnection();
    void unknownTypeIsReportedWithItsId();
    void authenticatedMessagesNeedAnIdentity();
    void adminMessagesNeedAnAdministrator();
    void withAuthOffEveryoneMaySendEverything();
    void everyRequestWithAnIdGetsOneReply();
    void rateLimitRefusesThenBlocks();
    void aBlockedUserCannotSignInByMessage();
    void servicesAndAdministratorsAreNotLimited();
    void anonymousClientsAreCountedPerConnection();
    void garbageCountsTowardTheLimit();
    void assistHasItsOwnWindow();
    void everyDialectHasItsHooksAndPing();
};

void tst_MessageDispatcher::cleanup()
{
    const QStringList unlisted = Dialect::unlistedMessages();
    QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(u' ')));
}

void tst_MessageDispatcher::invalidJsonKeepsTheConnection_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("native") << QStringLiteral("/ws/v1");
    QTest::newRow("000") << QStringLiteral("/ws/calculations");
    QTest::newRow("001") << QStringLiteral("/ws");
    QTest::newRow("002") << QStringLiteral("/ws/connect");
    QTest::newRow("003") << QStringLiteral("/ws/notifications");
    QTest::newRow("004") << QStringLiteral("/api/v1/ws");
}

// SPEC §3: "A bad message gets an error and the connection stays open."
void tst_MessageDispatcher::invalidJsonKeepsTheConnection()
{
    QFETCH(QString, path);
    HandlerFixture fixture;
    auto alice = fixture.connect(path, HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    const auto replyTo = [&alice](const QByteArray& text) {
        alice->sendText(text);
        return only(alice->take());
    };
    const QJsonObject error = replyTo("{not json");
    QCOMPARE(typeOf(error), QStringLiteral("error"));
    QCOMPARE(codeOf(error), QStringLiteral("INVALID_JSON"));
    QVERIFY(error.value(QStringLiteral("error")).toString().contains(QStringLiteral("offset")));
    QCOMPARE(codeOf(replyTo("[1]")), QStringLiteral("INVALID_MESSAGE"));
    QCOMPARE(codeOf(replyTo(R"({"id":"1"})")), QStringLiteral("INVALID_MESSAGE"));
    QVERIFY(alice->closes().isEmpty());
    QVERIFY(alice->subscriber().isOpen());
}

void tst_MessageDispatcher::unknownTypeIsReportedWithItsId()
{
    HandlerFixture fixture;
    auto native =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    native->clear();
    QCOMPARE(
        only(native->exchange(nativeRequest(QStringLiteral("dance"), QStringLiteral("d1")))),
        QJsonObject({{QStringLiteral("type"), QStringLiteral("error")},
                     {QStringLiteral("id"), QStringLiteral("d1")},
                     {QStringLiteral("code"), QStringLiteral("UNKNOWN_MESSAGE_TYPE")},
                     {QStringLiteral("error"), QStringLiteral("unknown message type \"dance\"")}}));

    // The same in 004's shape: no id, a timestamp.
    auto collab = fixture.connect(QStringLiteral("/api/v1/ws"),
                                  HandlerFixture::user(QStringLiteral("alice")));
    collab->clear();
    const QJsonObject error = only(collab->exchange(message(QStringLiteral("dance"))));
    QCOMPARE(codeOf(error), QStringLiteral("UNKNOWN_MESSAGE_TYPE"));
    QVERIFY(isIsoTimestamp(error.value(QStringLiteral("timestamp"))));
    QVERIFY(!error.contains(QStringLiteral("id")));

    // A type another dialect knows is unknown here: handlers are per dialect.
    auto trading =
        fixture.connect(QStringLiteral("/ws"), HandlerFixture::user(QStringLiteral("alice")));
    trading->clear();
    QCOMPARE(codeOf(only(trading->exchange(message(QStringLiteral("subscribe"))))),
             QStringLiteral("UNKNOWN_MESSAGE_TYPE"));
}

void tst_MessageDispatcher::authenticatedMessagesNeedAnIdentity()
{
    HandlerFixture fixture;
    auto anonymous = fixture.connect(QStringLiteral("/ws/v1"));
    anonymous->clear();
    const QJsonObject refused =
        only(anonymous->exchange(nativeRequest(QStringLiteral("jobs_list"), QStringLiteral("j"))));
    QCOMPARE(codeOf(refused), QStringLiteral("AUTHENTICATION_FAILED"));
    QCOMPARE(refused.value(QStringLiteral("id")).toString(), QStringLiteral("j"));
    // Messages for anyone still work.
    QCOMPARE(typeOf(only(
                 anonymous->exchange(nativeRequest(QStringLiteral("ping"), QStringLiteral("p"))))),
             QStringLiteral("pong"));

    auto assist = fixture.connect(QStringLiteral("/ws/connect"));
    assist->clear();
    QCOMPARE(codeOf(only(assist->exchange(message(QStringLiteral("subscribe_job_updates"))))),
             QStringLiteral("AUTHENTICATION_FAILED"));
    QVERIFY(assist->topics().isEmpty());
}

void tst_MessageDispatcher::adminMessagesNeedAnAdministrator()
{
    HandlerFixture fixture;
    auto alice = fixture.connect(QStringLiteral("/ws/connect"),
                                 HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    const QJsonObject refused = only(alice->exchange(message(
        QStringLiteral("broadcast_admin"), {{QStringLiteral("message"), QStringLiteral("hi")}})));
    QCOMPARE(codeOf(refused), QStringLiteral("PERMISSION_DENIED"));
    QCOMPARE(refused.value(QStringLiteral("error")).toString(),
             QStringLiteral("broadcast_admin is for administrators only"));
}

void tst_MessageDispatcher::withAuthOffEveryoneMaySendEverything()
{
    HubConfig config = testConfig();
    config.authMode = AuthMode::Off;
    HandlerFixture fixture(config);
    auto anonymous = fixture.connect(QStringLiteral("/ws/connect"));
    anonymous->clear();
    // Its own alert (it watches `alerts`), then the reply.
    const QList<QJsonObject> sent = anonymous->exchange(message(
        QStringLiteral("broadcast_admin"), {{QStringLiteral("message"), QStringLiteral("hi")}}));
    QCOMPARE(sent.size(), 2);
    QCOMPARE(typeOf(sent[0]), QStringLiteral("system_alert"));
    QCOMPARE(typeOf(sent[1]), QStringLiteral("broadcast_sent"));
    auto native = fixture.connect(QStringLiteral("/ws/v1"));
    native->clear();
    QCOMPARE(typeOf(only(native->exchange(
                 nativeRequest(QStringLiteral("jobs_list"), QStringLiteral("j"))))),
             QStringLiteral("ack"));
}

void tst_MessageDispatcher::everyRequestWithAnIdGetsOneReply()
{
    HandlerFixture fixture;
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    const QList<QJsonObject> requests{
        nativeRequest(QStringLiteral("subscribe"), QStringLiteral("1"),
                      {{QStringLiteral("topics"), QJsonArray{QStringLiteral("jobs")}}}),
        nativeRequest(QStringLiteral("subscribe"), QStringLiteral("2")),
        nativeRequest(QStringLiteral("unsubscribe"), QStringLiteral("3"),
                      {{QStringLiteral("topics"), QJsonArray{QStringLiteral("jobs")}}}),
        nativeRequest(QStringLiteral("publish"), QStringLiteral("4")),
        nativeRequest(QStringLiteral("jobs_list"), QStringLiteral("5")),
        nativeRequest(QStringLiteral("ping"), QStringLiteral("6")),
        nativeRequest(QStringLiteral("nothing"), QStringLiteral("7")),
    };
    for (const QJsonObject& request : requests)
        alice->send(request);
    QStringList ids;
    for (const QJsonObject& reply : alice->take())
        ids.append(reply.value(QStringLiteral("id")).toString());
    QCOMPARE(ids, (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                               QStringLiteral("4"), QStringLiteral("5"), QStringLiteral("6"),
                               QStringLiteral("7")}));
}

// SPEC §7: past the per-minute limit a message is refused; repeated refusals block the user,
// whose connection is closed with 1008.
void tst_MessageDispatcher::rateLimitRefusesThenBlocks()
{
    HandlerFixture fixture(limitedTo(3));
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    for (int i = 0; i < 3; ++i)
        QCOMPARE(typeOf(only(
                     alice->exchange(nativeRequest(QStringLiteral("ping"), QString::number(i))))),
                 QStringLiteral("pong"));
    const QJsonObject limited =
        only(alice->exchange(nativeRequest(QStringLiteral("ping"), QStringLiteral("a"))));
    QCOMPARE(codeOf(limited), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(limited.value(QStringLiteral("id")).toString(), QStringLiteral("a"));
    QVERIFY(limited.value(QStringLiteral("error")).toString().contains(QStringLiteral("minute")));
    QVERIFY(alice->closes().isEmpty());

    const QJsonObject blocked =
        only(alice->exchange(nativeRequest(QStringLiteral("ping"), QStringLiteral("b"))));
    QCOMPARE(codeOf(blocked), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QVERIFY(blocked.value(QStringLiteral("error")).toString().contains(QStringLiteral("900 s")));
    QCOMPARE(alice->closes().size(), 1);
    QCOMPARE(alice->closes()[0].code, CloseCode::Policy);
    QCOMPARE(alice->closes()[0].reason, QStringLiteral("rate limit: blocked for 900 s"));
    // Closing: nothing more is handled.
    alice->send(nativeRequest(QStringLiteral("ping"), QStringLiteral("c")));
    QVERIFY(alice->take().isEmpty());

    // Another connection of the same user is refused too.
    auto again =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    again->clear();
    QCOMPARE(
        codeOf(only(again->exchange(nativeRequest(QStringLiteral("ping"), QStringLiteral("d"))))),
        QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(again->closes().size(), 1);
}

// A blocked user may not get round the block by signing in on a connection opened anonymously.
void tst_MessageDispatcher::aBlockedUserCannotSignInByMessage()
{
    HandlerFixture fixture(limitedTo(3));
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    for (const char* id : {"1", "2", "3", "4", "5"})
        alice->send(nativeRequest(QStringLiteral("ping"), QLatin1String(id)));
    QCOMPARE(alice->closes().size(), 1);

    const QByteArray token = fixture.token(HandlerFixture::user(QStringLiteral("alice")));
    auto native = fixture.connect(QStringLiteral("/ws/v1"));
    native->clear();
    const QJsonObject refused = only(
        native->exchange(nativeRequest(QStringLiteral("auth"), QStringLiteral("a"),
                                       {{QStringLiteral("token"), QString::fromUtf8(token)}})));
    QCOMPARE(codeOf(refused), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(native->closes().size(), 1);
    QCOMPARE(native->closes()[0].code, CloseCode::Policy);
    QVERIFY(!native->subscriber().identity().isAuthenticated());

    auto assist = fixture.connect(QStringLiteral("/ws/connect"));
    assist->clear();
    QCOMPARE(codeOf(only(assist->exchange(message(
                 QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(token)}})))),
             QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(assist->closes().size(), 1);
    QCOMPARE(assist->closes()[0].code, CloseCode::Policy);
}

// The hub's publishers send thousands of events a second; the limits are for people.
void tst_MessageDispatcher::servicesAndAdministratorsAreNotLimited()
{
    HandlerFixture fixture(limitedTo(2));
    auto service = fixture.connect(QStringLiteral("/ws/v1"),
                                   HandlerFixture::user(QStringLiteral("svc"), Role::Service));
    auto root = fixture.connect(QStringLiteral("/ws/v1"),
                                HandlerFixture::user(QStringLiteral("root"), Role::Admin));
    service->clear();
    root->clear();
    for (int i = 0; i < 20; ++i) {
        service->send(nativeRequest(QStringLiteral("ping"), QString::number(i)));
        root->send(nativeRequest(QStringLiteral("ping"), QString::number(i)));
    }
    QCOMPARE(service->messagesOfType(QStringLiteral("pong")).size(), 20);
    QCOMPARE(root->messagesOfType(QStringLiteral("pong")).size(), 20);
    QVERIFY(service->closes().isEmpty() && root->closes().isEmpty());
}

// Anonymous clients are counted per connection (every memory client comes from 127.0.0.1, so
// one shared count would let the first use up everyone's allowance); signed-in users per user.
void tst_MessageDispatcher::anonymousClientsAreCountedPerConnection()
{
    HandlerFixture fixture(limitedTo(2));
    auto first = fixture.connect(QStringLiteral("/ws/v1"));
    auto second = fixture.connect(QStringLiteral("/ws/v1"));
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    first->clear();
    second->clear();
    alice->clear();
    const auto ping = [](auto& client, const char* id) {
        return only(client->exchange(nativeRequest(QStringLiteral("ping"), QLatin1String(id))));
    };
    QCOMPARE(typeOf(ping(first, "1")), QStringLiteral("pong"));
    QCOMPARE(typeOf(ping(second, "2")), QStringLiteral("pong"));
    QCOMPARE(typeOf(ping(first, "3")), QStringLiteral("pong"));
    QCOMPARE(codeOf(ping(first, "4")), QStringLiteral("RATE_LIMIT_EXCEEDED"));
    QCOMPARE(typeOf(ping(second, "5")), QStringLiteral("pong"));
    QCOMPARE(typeOf(ping(alice, "6")), QStringLiteral("pong"));
}

// A flood of garbage is limited like a flood of requests.
void tst_MessageDispatcher::garbageCountsTowardTheLimit()
{
    HandlerFixture fixture(limitedTo(2));
    auto alice =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    alice->clear();
    alice->sendText("{not json");
    alice->sendText("{not json");
    const QList<QJsonObject> replies = alice->take();
    QCOMPARE(replies.size(), 2);
    QCOMPARE(codeOf(replies[1]), QStringLiteral("INVALID_JSON"));
    QCOMPARE(
        codeOf(only(alice->exchange(nativeRequest(QStringLiteral("ping"), QStringLiteral("p"))))),
        QStringLiteral("RATE_LIMIT_EXCEEDED"));
}

// Document 002's WS_MAX_MESSAGES per WS_RATE_WINDOW counts on top of the hub's limits, on 002
// connections only, and never blocks.
void tst_MessageDispatcher::assistHasItsOwnWindow()
{
    HubConfig config = testConfig();
    config.wsMaxMessages = 2;
    HandlerFixture fixture(config);
    auto assist = fixture.connect(QStringLiteral("/ws/connect"),
                                  HandlerFixture::user(QStringLiteral("alice")));
    auto native =
        fixture.connect(QStringLiteral("/ws/v1"), HandlerFixture::user(QStringLiteral("alice")));
    assist->clear();
    native->clear();
    QStringList answers;
    for (int i = 0; i < 5; ++i) {
        const QJsonObject reply = only(assist->exchange(message(QStringLiteral("ping"))));
        answers.append(typeOf(reply) == QLatin1String("error") ? codeOf(reply) : typeOf(reply));
    }
    QCOMPARE(answers, (QStringList{QStringLiteral("pong"), QStringLiteral("pong"),
                                   QStringLiteral("RATE_LIMIT_EXCEEDED"),
                                   QStringLiteral("RATE_LIMIT_EXCEEDED"),
                                   QStringLiteral("RATE_LIMIT_EXCEEDED")}));
    QVERIFY(assist->closes().isEmpty());
    for (int i = 0; i < 5; ++i)
        native->send(nativeRequest(QStringLiteral("ping"), QString::number(i)));
    QCOMPARE(native->messagesOfType(QStringLiteral("pong")).size(), 5);
}

// The registry the dispatcher reads: every dialect's connection hooks, and ping everywhere.
void tst_MessageDispatcher::everyDialectHasItsHooksAndPing()
{
    const HandlerRegistry& registry = HandlerRegistry::builtIn();
    for (const char* dialect :
         {"native", "calculations", "trading", "assist", "projects", "collab"}) {
        QVERIFY2(registry.hooks(QLatin1String(dialect)), dialect);
        QVERIFY2(registry.find(QLatin1String(dialect), QStringLiteral("ping")), dialect);
        QCOMPARE(registry.find(QLatin1String(dialect), QStringLiteral("ping"))->access,
                 Access::Anyone);
    }
    QVERIFY(!registry.find(QLatin1String("trading"), QStringLiteral("subscribe")));
    QCOMPARE(registry.find(QLatin1String("assist"), QStringLiteral("broadcast_admin"))->access,
             Access::Admin);
    QCOMPARE(registry.find(QLatin1String("native"), QStringLiteral("publish"))->access,
             Access::Authenticated);
    QCOMPARE(registry.forDialect(QLatin1String("native")).size(), 11);
}

QTEST_GUILESS_MAIN(tst_MessageDispatcher)
#include "tst_message_dispatcher.moc"
