// The native protocol of /ws/v1 as SPEC §3 promises it, over real sockets.

#include "TestClient.h"
#include "TestHub.h"

#include <QJsonArray>

#include <QTest>
#include <algorithm>

using namespace switchboard;
using namespace switchboard::test;

namespace {

QJsonObject msg(const QString& type, const QJsonObject& data = {}, const QString& id = {})
{
    QJsonObject m{{QStringLiteral("type"), type}};
    if (!id.isEmpty())
        m.insert(QStringLiteral("id"), id);
    if (!data.isEmpty())
        m.insert(QStringLiteral("data"), data);
    return m;
}

QJsonObject topics(const QStringList& names, const QJsonObject& since = {})
{
    QJsonObject data{{QStringLiteral("topics"), QJsonArray::fromStringList(names)}};
    if (!since.isEmpty())
        data.insert(QStringLiteral("since"), since);
    return data;
}

QJsonObject publishData(const QString& topic, const QString& event, const QJsonObject& payload)
{
    return {{QStringLiteral("topic"), topic},
            {QStringLiteral("event"), event},
            {QStringLiteral("data"), payload}};
}

QString errorCode(const QJsonObject& reply)
{
    return reply.value(QStringLiteral("code")).toString();
}

// Publishes one event as an administrator; returns how many subscribers it reached.
int deliveredTo(TestHub& hub, const QString& topic)
{
    TestClient admin;
    if (!admin.open(
            hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("root"), Role::Admin))))
        return -1;
    const QJsonObject ack = admin.request(QStringLiteral("publish"), QStringLiteral("p"),
                                          publishData(topic, QStringLiteral("e"), {}));
    return ack.value(QStringLiteral("data"))
        .toObject()
        .value(QStringLiteral("delivered"))
        .toInt(-1);
}

} // namespace

class tst_NativeProtocol : public QObject {
    Q_OBJECT

private slots:
    void welcomeDescribesTheSession();
    void subscribeAcksWithCurrentSeqAndDeliversEvents();
    void publishAcksWithSeqAndDeliveredCount();
    void publishNeedsServiceOrAdmin();
    void pingGetsPongWithTheSameId();
    void invalidJsonKeepsTheConnectionUsable();
    void unknownTypeIsReported();
    void wrongFieldsNameTheField();
    void everyRequestWithAnIdGetsExactlyOneReply();
    void sequenceIsGapFreePerTopic();
    void resumeReplaysMissedEventsInOrder();
    void resumeBeyondHistoryLimitSendsResync();
    void resumeBeyondHistoryAgeSendsResync();
    void unsubscribeStopsDelivery();
    void anonymousClientsNeedToAuthenticate();
    void authMessageAuthenticates();
    void badTokenInQueryIsRefusedBeforeHandshake();
    void userTopicsArePrivate();
    void disconnectsLeaveNoTrace();
    void roomsCarryJoinsPresenceAndLeaves();
    void jobsCanBeSubmittedListedAndCancelled();
    void anonymousConnectionsMustAuthenticateInTime();
};

void tst_NativeProtocol::welcomeDescribesTheSession()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("alice"), Role::User))));
    const QJsonObject welcome = client.waitForType(QStringLiteral("welcome"));
    QVERIFY(!welcome.isEmpty());
    QCOMPARE(client.messages.first().value(QStringLiteral("type")).toString(),
             QStringLiteral("welcome"));
    const QJsonObject data = welcome.value(QStringLiteral("data")).toObject();
    QVERIFY(!data.value(QStringLiteral("session_id")).toString().isEmpty());
    QCOMPARE(data.value(QStringLiteral("protocol")).toInt(), 1);
    QCOMPARE(data.value(QStringLiteral("heartbeat_ms")).toInt(), 25000);
    QVERIFY(data.contains(QStringLiteral("server_version")));
}

void tst_NativeProtocol::subscribeAcksWithCurrentSeqAndDeliversEvents()
{
    TestHub hub;
    const QByteArray service = hub.token(QStringLiteral("svc"), Role::Service);
    TestClient publisher;
    QVERIFY(publisher.open(hub.ws(QStringLiteral("/ws/v1"), service)));
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(publisher
                     .request(QStringLiteral("publish"), QStringLiteral("p%1").arg(i),
                              publishData(QStringLiteral("jobs"), QStringLiteral("job_progress"),
                                          {{QStringLiteral("n"), i}}))
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("ack"));
    }

    TestClient subscriber;
    QVERIFY(subscriber.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("bob"), Role::User))));
    const QJsonObject ack =
        subscriber.request(QStringLiteral("subscribe"), QStringLiteral("1"),
                           topics({QStringLiteral("jobs"), QStringLiteral("trading")}));
    QCOMPARE(ack.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
    const QJsonObject seqs =
        ack.value(QStringLiteral("data")).toObject().value(QStringLiteral("seq")).toObject();
    QCOMPARE(seqs.value(QStringLiteral("jobs")).toInt(), 3);
    QCOMPARE(seqs.value(QStringLiteral("trading")).toInt(), 0);

    publisher.request(QStringLiteral("publish"), QStringLiteral("p3"),
                      publishData(QStringLiteral("jobs"), QStringLiteral("job_progress"),
                                  {{QStringLiteral("progress"), 42}}));
    const QJsonObject event = subscriber.waitForType(QStringLiteral("event"));
    QCOMPARE(event.value(QStringLiteral("topic")).toString(), QStringLiteral("jobs"));
    QCOMPARE(event.value(QStringLiteral("seq")).toInt(), 4);
    QCOMPARE(event.value(QStringLiteral("event")).toString(), QStringLiteral("job_progress"));
    QCOMPARE(
        event.value(QStringLiteral("data")).toObject().value(QStringLiteral("progress")).toInt(),
        42);
    const QDateTime ts =
        QDateTime::fromString(event.value(QStringLiteral("ts")).toString(), Qt::ISODateWithMs);
    QVERIFY(ts.isValid());
    QVERIFY(event.value(QStringLiteral("ts")).toString().endsWith(u'Z'));
    QVERIFY(qAbs(ts.msecsTo(QDateTime::currentDateTimeUtc())) < 60000);
}

void tst_NativeProtocol::publishAcksWithSeqAndDeliveredCount()
{
    TestHub hub;
    const QByteArray user = hub.token(QStringLiteral("u"), Role::User);
    TestClient a, b, c;
    for (TestClient* client : {&a, &b, &c}) {
        QVERIFY(client->open(hub.ws(QStringLiteral("/ws/v1"), user)));
    }
    a.request(QStringLiteral("subscribe"), QStringLiteral("s"),
              topics({QStringLiteral("trading")}));
    b.request(QStringLiteral("subscribe"), QStringLiteral("s"),
              topics({QStringLiteral("trading")}));
    c.request(QStringLiteral("subscribe"), QStringLiteral("s"), topics({QStringLiteral("logs")}));

    TestClient publisher;
    QVERIFY(publisher.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("admin"), Role::Admin))));
    const QJsonObject ack =
        publisher.request(QStringLiteral("publish"), QStringLiteral("2"),
                          publishData(QStringLiteral("trading"), QStringLiteral("equity_update"),
                                      {{QStringLiteral("total_equity"), 1000.5}}));
    QCOMPARE(ack.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
    QCOMPARE(ack.value(QStringLiteral("data")).toObject().value(QStringLiteral("seq")).toInt(), 1);
    QCOMPARE(
        ack.value(QStringLiteral("data")).toObject().value(QStringLiteral("delivered")).toInt(), 2);
    QVERIFY(!a.waitForType(QStringLiteral("event")).isEmpty());
    QVERIFY(!b.waitForType(QStringLiteral("event")).isEmpty());
    QVERIFY(c.messagesOfType(QStringLiteral("event")).isEmpty());
}

void tst_NativeProtocol::publishNeedsServiceOrAdmin()
{
    TestHub hub;
    TestClient user;
    QVERIFY(
        user.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    const QJsonObject reply =
        user.request(QStringLiteral("publish"), QStringLiteral("x"),
                     publishData(QStringLiteral("trading"), QStringLiteral("equity_update"), {}));
    QCOMPARE(reply.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
    QCOMPARE(errorCode(reply), QStringLiteral("PERMISSION_DENIED"));
    QVERIFY(!reply.value(QStringLiteral("error")).toString().isEmpty());
    QCOMPARE(user.request(QStringLiteral("ping"), QStringLiteral("after"))
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("pong"));
}

void tst_NativeProtocol::pingGetsPongWithTheSameId()
{
    TestHub hub;
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    const QJsonObject pong = client.request(QStringLiteral("ping"), QStringLiteral("42"));
    QCOMPARE(pong.value(QStringLiteral("type")).toString(), QStringLiteral("pong"));
    client.send(msg(QStringLiteral("ping")));
    QTRY_COMPARE(client.messagesOfType(QStringLiteral("pong")).size(), 2);
}

void tst_NativeProtocol::invalidJsonKeepsTheConnectionUsable()
{
    TestHub hub;
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    client.socket.sendTextMessage(QStringLiteral("{\"type\": \"subscribe\", "));
    const QJsonObject error = client.waitForType(QStringLiteral("error"));
    QCOMPARE(errorCode(error), QStringLiteral("INVALID_JSON"));
    client.socket.sendTextMessage(QStringLiteral("[1,2,3]"));
    QTRY_COMPARE(client.messagesOfType(QStringLiteral("error")).size(), 2);
    QCOMPARE(errorCode(client.messagesOfType(QStringLiteral("error")).last()),
             QStringLiteral("INVALID_MESSAGE"));
    client.socket.sendBinaryMessage(QByteArray("\x00\x01", 2));
    QTRY_COMPARE(client.messagesOfType(QStringLiteral("error")).size(), 3);
    QCOMPARE(client.request(QStringLiteral("ping"), QStringLiteral("still-there"))
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("pong"));
    QVERIFY(!client.closed);
}

void tst_NativeProtocol::unknownTypeIsReported()
{
    TestHub hub;
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    const QJsonObject reply = client.request(QStringLiteral("teleport"), QStringLiteral("7"));
    QCOMPARE(reply.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
    QCOMPARE(errorCode(reply), QStringLiteral("UNKNOWN_MESSAGE_TYPE"));
    QVERIFY(reply.value(QStringLiteral("error")).toString().contains(QStringLiteral("teleport")));
}

void tst_NativeProtocol::wrongFieldsNameTheField()
{
    TestHub hub;
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    QJsonObject reply = client.request(QStringLiteral("subscribe"), QStringLiteral("a"),
                                       {{QStringLiteral("topics"), QStringLiteral("jobs")}});
    QCOMPARE(errorCode(reply), QStringLiteral("INVALID_MESSAGE"));
    QVERIFY2(
        reply.value(QStringLiteral("error")).toString().contains(QStringLiteral("data.topics")),
        qPrintable(reply.value(QStringLiteral("error")).toString()));
    reply = client.request(QStringLiteral("subscribe"), QStringLiteral("b"));
    QCOMPARE(errorCode(reply), QStringLiteral("INVALID_MESSAGE"));
    QVERIFY(
        reply.value(QStringLiteral("error")).toString().contains(QStringLiteral("data.topics")));
    client.send({{QStringLiteral("id"), QStringLiteral("c")}});
    reply = client.waitForReply(QStringLiteral("c"));
    QCOMPARE(errorCode(reply), QStringLiteral("INVALID_MESSAGE"));
    QVERIFY(reply.value(QStringLiteral("error")).toString().contains(QStringLiteral("type")));
    reply = client.request(
        QStringLiteral("subscribe"), QStringLiteral("d"),
        topics({QStringLiteral("jobs")}, {{QStringLiteral("jobs"), QStringLiteral("x")}}));
    QCOMPARE(errorCode(reply), QStringLiteral("INVALID_MESSAGE"));
    QVERIFY(reply.value(QStringLiteral("error"))
                .toString()
                .contains(QStringLiteral("data.since.jobs")));
}

void tst_NativeProtocol::everyRequestWithAnIdGetsExactlyOneReply()
{
    TestHub hub;
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    client.request(QStringLiteral("subscribe"), QStringLiteral("1"),
                   topics({QStringLiteral("status")}));
    client.request(QStringLiteral("unsubscribe"), QStringLiteral("2"),
                   topics({QStringLiteral("status")}));
    client.request(QStringLiteral("bogus"), QStringLiteral("3"));
    client.request(QStringLiteral("ping"), QStringLiteral("4"));
    for (const QString& id :
         {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4")}) {
        int replies = 0;
        for (const QJsonObject& m : client.messages)
            replies += m.value(QStringLiteral("id")).toString() == id ? 1 : 0;
        QCOMPARE(replies, 1);
    }
}

void tst_NativeProtocol::sequenceIsGapFreePerTopic()
{
    TestHub hub;
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("a"), Role::Admin))));
    client.request(QStringLiteral("subscribe"), QStringLiteral("s"),
                   topics({QStringLiteral("t1"), QStringLiteral("t2")}));
    for (int i = 0; i < 50; ++i) {
        const QString topic = i % 3 == 0 ? QStringLiteral("t2") : QStringLiteral("t1");
        client.send(msg(QStringLiteral("publish"),
                        publishData(topic, QStringLiteral("e"), {{QStringLiteral("i"), i}})));
    }
    QTRY_COMPARE(client.messagesOfType(QStringLiteral("event")).size(), 50);
    QHash<QString, int> last;
    for (const QJsonObject& event : client.messagesOfType(QStringLiteral("event"))) {
        const QString topic = event.value(QStringLiteral("topic")).toString();
        QCOMPARE(event.value(QStringLiteral("seq")).toInt(), last.value(topic) + 1);
        last[topic] = event.value(QStringLiteral("seq")).toInt();
    }
    QCOMPARE(last.value(QStringLiteral("t2")), 17);
    QCOMPARE(last.value(QStringLiteral("t1")), 33);
}

void tst_NativeProtocol::resumeReplaysMissedEventsInOrder()
{
    TestHub hub;
    TestClient publisher;
    QVERIFY(publisher.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("s"), Role::Service))));
    for (int i = 1; i <= 5; ++i)
        publisher.request(QStringLiteral("publish"), QString::number(i),
                          publishData(QStringLiteral("jobs"), QStringLiteral("job_progress"),
                                      {{QStringLiteral("i"), i}}));

    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    const QJsonObject ack =
        client.request(QStringLiteral("subscribe"), QStringLiteral("r"),
                       topics({QStringLiteral("jobs")}, {{QStringLiteral("jobs"), 2}}));
    QCOMPARE(ack.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
    publisher.request(QStringLiteral("publish"), QStringLiteral("6"),
                      publishData(QStringLiteral("jobs"), QStringLiteral("job_progress"),
                                  {{QStringLiteral("i"), 6}}));
    QTRY_COMPARE(client.messagesOfType(QStringLiteral("event")).size(), 4);
    const QList<QJsonObject> events = client.messagesOfType(QStringLiteral("event"));
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(events[i].value(QStringLiteral("seq")).toInt(), i + 3);
        QCOMPARE(
            events[i].value(QStringLiteral("data")).toObject().value(QStringLiteral("i")).toInt(),
            i + 3);
    }
    // The ack comes before the replay.
    qsizetype ackIndex = -1, firstEvent = -1;
    for (qsizetype i = 0; i < client.messages.size(); ++i) {
        if (client.messages[i].value(QStringLiteral("id")).toString() == QStringLiteral("r"))
            ackIndex = i;
        if (firstEvent < 0 &&
            client.messages[i].value(QStringLiteral("type")).toString() == QStringLiteral("event"))
            firstEvent = i;
    }
    QVERIFY(ackIndex >= 0 && ackIndex < firstEvent);
    QVERIFY(client.messagesOfType(QStringLiteral("resync")).isEmpty());
}

void tst_NativeProtocol::resumeBeyondHistoryLimitSendsResync()
{
    HubConfig config = testConfig();
    config.historyLimit = 3;
    TestHub hub(config);
    TestClient publisher;
    QVERIFY(publisher.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("s"), Role::Service))));
    for (int i = 1; i <= 10; ++i)
        publisher.request(QStringLiteral("publish"), QString::number(i),
                          publishData(QStringLiteral("jobs"), QStringLiteral("job_progress"),
                                      {{QStringLiteral("i"), i}}));
    TestClient lagging;
    QVERIFY(
        lagging.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    lagging.request(QStringLiteral("subscribe"), QStringLiteral("r"),
                    topics({QStringLiteral("jobs")}, {{QStringLiteral("jobs"), 2}}));
    const QJsonObject resync = lagging.waitForType(QStringLiteral("resync"));
    QCOMPARE(
        resync.value(QStringLiteral("data")).toObject().value(QStringLiteral("topic")).toString(),
        QStringLiteral("jobs"));
    QVERIFY(lagging.messagesOfType(QStringLiteral("event")).isEmpty());

    // Within the kept window, resume still works.
    TestClient recent;
    QVERIFY(
        recent.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    recent.request(QStringLiteral("subscribe"), QStringLiteral("r"),
                   topics({QStringLiteral("jobs")}, {{QStringLiteral("jobs"), 7}}));
    QTRY_COMPARE(recent.messagesOfType(QStringLiteral("event")).size(), 3);
    QCOMPARE(
        recent.messagesOfType(QStringLiteral("event")).first().value(QStringLiteral("seq")).toInt(),
        8);
    QVERIFY(recent.messagesOfType(QStringLiteral("resync")).isEmpty());
}

void tst_NativeProtocol::resumeBeyondHistoryAgeSendsResync()
{
    HubConfig config = testConfig();
    config.historyMaxAge = std::chrono::milliseconds(200);
    TestHub hub(config);
    TestClient publisher;
    QVERIFY(publisher.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("s"), Role::Service))));
    publisher.request(QStringLiteral("publish"), QStringLiteral("1"),
                      publishData(QStringLiteral("jobs"), QStringLiteral("a"), {}));
    // The behaviour under test is the passage of time itself: let the first event age out.
    QTest::qWait(300);
    publisher.request(QStringLiteral("publish"), QStringLiteral("2"),
                      publishData(QStringLiteral("jobs"), QStringLiteral("b"), {}));
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    client.request(QStringLiteral("subscribe"), QStringLiteral("r"),
                   topics({QStringLiteral("jobs")}, {{QStringLiteral("jobs"), 0}}));
    QVERIFY(!client.waitForType(QStringLiteral("resync")).isEmpty());
}

void tst_NativeProtocol::unsubscribeStopsDelivery()
{
    TestHub hub;
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("a"), Role::Admin))));
    client.request(QStringLiteral("subscribe"), QStringLiteral("1"),
                   topics({QStringLiteral("x"), QStringLiteral("y")}));
    QCOMPARE(client
                 .request(QStringLiteral("unsubscribe"), QStringLiteral("2"),
                          topics({QStringLiteral("x")}))
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("ack"));
    const QJsonObject ackX =
        client.request(QStringLiteral("publish"), QStringLiteral("3"),
                       publishData(QStringLiteral("x"), QStringLiteral("e"), {}));
    QCOMPARE(
        ackX.value(QStringLiteral("data")).toObject().value(QStringLiteral("delivered")).toInt(),
        0);
    client.request(QStringLiteral("publish"), QStringLiteral("4"),
                   publishData(QStringLiteral("y"), QStringLiteral("e"), {}));
    QTRY_COMPARE(client.messagesOfType(QStringLiteral("event")).size(), 1);
    QCOMPARE(client.messagesOfType(QStringLiteral("event"))
                 .first()
                 .value(QStringLiteral("topic"))
                 .toString(),
             QStringLiteral("y"));
}

void tst_NativeProtocol::anonymousClientsNeedToAuthenticate()
{
    TestHub hub;
    TestClient client;
    QVERIFY(client.open(hub.ws()));
    QVERIFY(!client.waitForType(QStringLiteral("welcome")).isEmpty());
    const QJsonObject reply = client.request(QStringLiteral("subscribe"), QStringLiteral("1"),
                                             topics({QStringLiteral("jobs")}));
    QCOMPARE(errorCode(reply), QStringLiteral("PERMISSION_DENIED"));
    const QJsonObject publish =
        client.request(QStringLiteral("publish"), QStringLiteral("2"),
                       publishData(QStringLiteral("jobs"), QStringLiteral("e"), {}));
    QCOMPARE(errorCode(publish), QStringLiteral("AUTHENTICATION_FAILED"));
}

void tst_NativeProtocol::authMessageAuthenticates()
{
    TestHub hub;
    TestClient client;
    QVERIFY(client.open(hub.ws()));
    QJsonObject reply = client.request(QStringLiteral("auth"), QStringLiteral("1"),
                                       {{QStringLiteral("token"), QStringLiteral("not.a.jwt")}});
    QCOMPARE(errorCode(reply), QStringLiteral("AUTHENTICATION_FAILED"));
    reply = client.request(
        QStringLiteral("auth"), QStringLiteral("2"),
        {{QStringLiteral("token"), QString::fromUtf8(hub.token(QStringLiteral("carol"), Role::User,
                                                               QStringLiteral("acme")))}});
    QCOMPARE(reply.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
    QCOMPARE(
        reply.value(QStringLiteral("data")).toObject().value(QStringLiteral("user")).toString(),
        QStringLiteral("carol"));
    QCOMPARE(client
                 .request(QStringLiteral("subscribe"), QStringLiteral("3"),
                          topics({QStringLiteral("jobs")}))
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("ack"));
    // Expired tokens are refused.
    reply = client.request(
        QStringLiteral("auth"), QStringLiteral("4"),
        {{QStringLiteral("token"), QString::fromUtf8(hub.token(QStringLiteral("carol"), Role::User,
                                                               {}, std::chrono::seconds(-120)))}});
    QCOMPARE(errorCode(reply), QStringLiteral("AUTHENTICATION_FAILED"));
}

void tst_NativeProtocol::badTokenInQueryIsRefusedBeforeHandshake()
{
    TestHub hub;
    TestClient client;
    QVERIFY(!client.open(hub.ws(QStringLiteral("/ws/v1"), "garbage"), {}, 3000));
    QVERIFY(client.messages.isEmpty());
    TestClient wrongPath;
    QVERIFY(!wrongPath.open(hub.ws(QStringLiteral("/ws/nowhere")), {}, 3000));
    const TestHub::Reply metrics = hub.send("GET", QStringLiteral("/metrics"));
    QVERIFY(metrics.body.contains("switchboard_connections_rejected_total 2"));
}

void tst_NativeProtocol::userTopicsArePrivate()
{
    TestHub hub;
    TestClient alice;
    QVERIFY(alice.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("alice"), Role::User))));
    QCOMPARE(alice
                 .request(QStringLiteral("subscribe"), QStringLiteral("1"),
                          topics({QStringLiteral("user:alice")}))
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("ack"));
    QCOMPARE(errorCode(alice.request(QStringLiteral("subscribe"), QStringLiteral("2"),
                                     topics({QStringLiteral("user:bob")}))),
             QStringLiteral("PERMISSION_DENIED"));
    // All or nothing: a denied topic subscribes none of the others.
    QCOMPARE(errorCode(alice.request(QStringLiteral("subscribe"), QStringLiteral("3"),
                                     topics({QStringLiteral("jobs"), QStringLiteral("user:bob")}))),
             QStringLiteral("PERMISSION_DENIED"));
    QCOMPARE(deliveredTo(hub, QStringLiteral("jobs")), 0);

    // Re-authenticating as Bob ends Alice's private subscription on this connection.
    QCOMPARE(deliveredTo(hub, QStringLiteral("user:alice")), 1);
    QCOMPARE(alice
                 .request(QStringLiteral("auth"), QStringLiteral("4"),
                          {{QStringLiteral("token"),
                            QString::fromUtf8(hub.token(QStringLiteral("bob"), Role::User))}})
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("ack"));
    QCOMPARE(deliveredTo(hub, QStringLiteral("user:alice")), 0);
}

void tst_NativeProtocol::disconnectsLeaveNoTrace()
{
    TestHub hub;
    {
        TestClient a, b;
        QVERIFY(
            a.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("a"), Role::User))));
        QVERIFY(
            b.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("b"), Role::User))));
        a.request(QStringLiteral("subscribe"), QStringLiteral("1"),
                  topics({QStringLiteral("jobs")}));
        b.request(QStringLiteral("subscribe"), QStringLiteral("1"),
                  topics({QStringLiteral("jobs")}));
        QVERIFY(
            hub.send("GET", QStringLiteral("/health")).body.contains("\"active_connections\":2"));
        a.socket.close();
        b.socket.abort(); // no close handshake at all
    }
    QTRY_VERIFY(
        hub.send("GET", QStringLiteral("/health")).body.contains("\"active_connections\":0"));
    QCOMPARE(deliveredTo(hub, QStringLiteral("jobs")), 0);
}

void tst_NativeProtocol::roomsCarryJoinsPresenceAndLeaves()
{
    TestHub hub;
    TestClient alice, bob;
    QVERIFY(alice.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("alice"), Role::User))));
    QVERIFY(
        bob.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("bob"), Role::User))));
    const QJsonObject joined = alice.request(QStringLiteral("join_room"), QStringLiteral("1"),
                                             {{QStringLiteral("room"), QStringLiteral("sheet-7")}});
    QCOMPARE(joined.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
    QCOMPARE(
        joined.value(QStringLiteral("data")).toObject().value(QStringLiteral("room")).toString(),
        QStringLiteral("sheet-7"));
    bob.request(QStringLiteral("join_room"), QStringLiteral("1"),
                {{QStringLiteral("room"), QStringLiteral("sheet-7")}});

    auto presenceOf = [](const QString& user, const QString& action) {
        return [user, action](const QJsonObject& m) {
            const QJsonObject data = m.value(QStringLiteral("data")).toObject();
            return m.value(QStringLiteral("event")).toString() == QStringLiteral("presence") &&
                   m.value(QStringLiteral("topic")).toString() == QStringLiteral("room:sheet-7") &&
                   data.value(QStringLiteral("user")).toString() == user &&
                   data.value(QStringLiteral("action")).toString() == action;
        };
    };
    QVERIFY(!alice.waitFor(presenceOf(QStringLiteral("bob"), QStringLiteral("join"))).isEmpty());

    const QJsonObject cursor{{QStringLiteral("row"), 3}, {QStringLiteral("col"), 5}};
    QCOMPARE(bob.request(QStringLiteral("presence"), QStringLiteral("2"),
                         {{QStringLiteral("status"), QStringLiteral("away")},
                          {QStringLiteral("cursor"), cursor}})
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("ack"));
    const QJsonObject update =
        alice.waitFor(presenceOf(QStringLiteral("bob"), QStringLiteral("update")));
    QCOMPARE(
        update.value(QStringLiteral("data")).toObject().value(QStringLiteral("status")).toString(),
        QStringLiteral("away"));
    QCOMPARE(
        update.value(QStringLiteral("data")).toObject().value(QStringLiteral("cursor")).toObject(),
        cursor);

    bob.request(QStringLiteral("leave_room"), QStringLiteral("3"),
                {{QStringLiteral("room"), QStringLiteral("sheet-7")}});
    QVERIFY(!alice.waitFor(presenceOf(QStringLiteral("bob"), QStringLiteral("leave"))).isEmpty());
    // Out of the room: leaving again and presence both say so.
    QCOMPARE(errorCode(bob.request(QStringLiteral("leave_room"), QStringLiteral("4"),
                                   {{QStringLiteral("room"), QStringLiteral("sheet-7")}})),
             QStringLiteral("ROOM_NOT_FOUND"));
    QCOMPARE(errorCode(bob.request(QStringLiteral("presence"), QStringLiteral("5"),
                                   {{QStringLiteral("status"), QStringLiteral("online")}})),
             QStringLiteral("ROOM_NOT_FOUND"));
    // Anonymous connections cannot join.
    TestClient anonymous;
    QVERIFY(anonymous.open(hub.ws()));
    QCOMPARE(errorCode(anonymous.request(QStringLiteral("join_room"), QStringLiteral("6"),
                                         {{QStringLiteral("room"), QStringLiteral("sheet-7")}})),
             QStringLiteral("AUTHENTICATION_FAILED"));
}

void tst_NativeProtocol::jobsCanBeSubmittedListedAndCancelled()
{
    TestHub hub;
    TestClient client;
    QVERIFY(client.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("ann"), Role::User))));
    client.request(QStringLiteral("subscribe"), QStringLiteral("s"),
                   topics({QStringLiteral("jobs")}));

    const QJsonObject submitted =
        client.request(QStringLiteral("job_submit"), QStringLiteral("1"),
                       {{QStringLiteral("job_type"), QStringLiteral("forecast")},
                        {QStringLiteral("params"), QJsonObject{{QStringLiteral("months"), 12}}}});
    QCOMPARE(submitted.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
    const QString id = submitted.value(QStringLiteral("data"))
                           .toObject()
                           .value(QStringLiteral("job"))
                           .toObject()
                           .value(QStringLiteral("job_id"))
                           .toString();
    QVERIFY(!id.isEmpty());
    QVERIFY(!client
                 .waitFor(
                     [&id](const QJsonObject& m) {
                         return m.value(QStringLiteral("event")).toString() ==
                                    QStringLiteral("job_completed") &&
                                m.value(QStringLiteral("data"))
                                        .toObject()
                                        .value(QStringLiteral("job_id"))
                                        .toString() == id;
                     },
                     20000)
                 .isEmpty());

    const QJsonObject listed =
        client.request(QStringLiteral("jobs_list"), QStringLiteral("2"),
                       {{QStringLiteral("status"), QStringLiteral("completed")}});
    const QJsonArray jobs =
        listed.value(QStringLiteral("data")).toObject().value(QStringLiteral("jobs")).toArray();
    QVERIFY(std::any_of(jobs.begin(), jobs.end(), [&id](const QJsonValue& job) {
        return job.toObject().value(QStringLiteral("job_id")).toString() == id;
    }));
    // A finished job cannot be cancelled; an unknown one is not found; bad params name the field.
    QCOMPARE(errorCode(client.request(QStringLiteral("job_cancel"), QStringLiteral("3"),
                                      {{QStringLiteral("job_id"), id}})),
             QStringLiteral("INVALID_MESSAGE"));
    QCOMPARE(errorCode(client.request(QStringLiteral("job_cancel"), QStringLiteral("4"),
                                      {{QStringLiteral("job_id"), QStringLiteral("no-such-job")}})),
             QStringLiteral("NOT_FOUND"));
    const QJsonObject bad =
        client.request(QStringLiteral("job_submit"), QStringLiteral("5"),
                       {{QStringLiteral("job_type"), QStringLiteral("forecast")},
                        {QStringLiteral("params"), QJsonObject{{QStringLiteral("months"), -1}}}});
    QCOMPARE(errorCode(bad), QStringLiteral("INVALID_MESSAGE"));
    QVERIFY2(bad.value(QStringLiteral("error")).toString().contains(QStringLiteral("months")),
             qPrintable(bad.value(QStringLiteral("error")).toString()));
    QCOMPARE(errorCode(client.request(QStringLiteral("jobs_list"), QStringLiteral("6"),
                                      {{QStringLiteral("status"), QStringLiteral("sleeping")}})),
             QStringLiteral("INVALID_MESSAGE"));
}

void tst_NativeProtocol::anonymousConnectionsMustAuthenticateInTime()
{
    HubConfig config = testConfig();
    config.handshakeTimeout = std::chrono::milliseconds(300);
    config.pingInterval = std::chrono::milliseconds(400); // the check runs every 100 ms
    config.pingTimeout = std::chrono::milliseconds(60000);
    TestHub hub(config);
    TestClient silent, authenticating, withToken;
    QVERIFY(silent.open(hub.ws()));
    QVERIFY(authenticating.open(hub.ws()));
    QVERIFY(withToken.open(
        hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("t"), Role::User))));
    QCOMPARE(authenticating
                 .request(QStringLiteral("auth"), QStringLiteral("1"),
                          {{QStringLiteral("token"),
                            QString::fromUtf8(hub.token(QStringLiteral("late"), Role::User))}})
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("ack"));
    QVERIFY(silent.waitClosed(5000));
    QCOMPARE(silent.closeCode, 1008);
    QVERIFY(!authenticating.closed);
    QVERIFY(!withToken.closed);
    QCOMPARE(withToken.request(QStringLiteral("ping"), QStringLiteral("p"))
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("pong"));
}

QTEST_GUILESS_MAIN(tst_NativeProtocol)
#include "tst_native_protocol.moc"
