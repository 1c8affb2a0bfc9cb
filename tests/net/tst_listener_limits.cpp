// The limits of the listener and of every session (issue: foundation, "Limits and failure
// behaviour"): message size, half-sent requests, connection count, slow consumers,
// keep-alive and graceful shutdown. Real sockets throughout.

#include "RawClient.h"
#include "TestClient.h"
#include "TestHub.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;

class tst_ListenerLimits : public QObject {
    Q_OBJECT

private slots:
    void messageOverLimitClosesWith1009();
    void halfHttpRequestIsDropped();
    void halfHandshakeIsDropped();
    void idleKeepAliveIsDroppedAndActiveOneKept();
    void oversizedRequestBodyIsRefused();
    void chunkedRequestBodyIsRefused();
    void maxConnectionsRefusesWith503();
    void slowConsumerIsCutWhileOthersGetEverything();
    void silentClientsAreDroppedAndLiveOnesKept();
    void shutdownClosesEveryClientWith1001();
};

void tst_ListenerLimits::messageOverLimitClosesWith1009()
{
    HubConfig config = testConfig();
    config.maxMessageBytes = 64 * 1024;
    TestHub hub(config);
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    // Just under the limit is fine.
    client.socket.sendTextMessage(QString(60 * 1024, u'x'));
    QVERIFY(!client.waitForType(QStringLiteral("error")).isEmpty()); // not JSON, but allowed size
    client.socket.sendTextMessage(QString(100 * 1024, u'x'));
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCode, 1009);
}

void tst_ListenerLimits::halfHttpRequestIsDropped()
{
    HubConfig config = testConfig();
    config.handshakeTimeout = std::chrono::milliseconds(400);
    TestHub hub(config);
    RawClient raw;
    QVERIFY(raw.connectTo(hub.host->port()));
    raw.socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const qint64 took = raw.waitDropped(5000);
    QVERIFY2(took >= 0, "the half request was never dropped");
    QVERIFY2(took >= 250, "dropped before the timeout");
    // A complete request on a fresh socket is still answered.
    QCOMPARE(hub.send("GET", QStringLiteral("/health")).status, 200);
}

void tst_ListenerLimits::halfHandshakeIsDropped()
{
    HubConfig config = testConfig();
    config.handshakeTimeout = std::chrono::milliseconds(400);
    TestHub hub(config);
    RawClient raw;
    QVERIFY(raw.connectTo(hub.host->port()));
    raw.socket.write("GET /ws/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n");
    QVERIFY(raw.waitDropped(5000) >= 250);
    // Nothing at all is dropped too.
    RawClient silent;
    QVERIFY(silent.connectTo(hub.host->port()));
    QVERIFY(silent.waitDropped(5000) >= 250);
}

namespace {

// Sends one keep-alive request for /health and reads its whole answer; true on a 200.
bool healthOverKeepAlive(RawClient& client)
{
    client.socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray answer;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 5000) {
        const qsizetype headEnd = answer.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
            const QByteArray head = answer.left(headEnd).toLower();
            const qsizetype at = head.indexOf("content-length:");
            const qsizetype length =
                at < 0 ? 0 : head.mid(at + 15, head.indexOf("\r\n", at) - at - 15).toLongLong();
            if (answer.size() >= headEnd + 4 + length)
                return answer.startsWith("HTTP/1.1 200");
        }
        if (client.socket.bytesAvailable() == 0 && !client.socket.waitForReadyRead(100) &&
            client.socket.state() != QAbstractSocket::ConnectedState)
            return false;
        answer += client.socket.readAll();
    }
    return false;
}

} // namespace

// A keep-alive connection may idle between requests for the request timeout (the handshake
// timeout), counted from its last answer: then it is closed; one that keeps asking stays.
void tst_ListenerLimits::idleKeepAliveIsDroppedAndActiveOneKept()
{
    HubConfig config = testConfig();
    config.handshakeTimeout = std::chrono::milliseconds(600);
    TestHub hub(config);
    RawClient idle, active;
    QVERIFY(idle.connectTo(hub.host->port()));
    QVERIFY(active.connectTo(hub.host->port()));
    QVERIFY(healthOverKeepAlive(idle));
    QElapsedTimer sinceAnswer;
    sinceAnswer.start();

    // Two and a half timeouts of requests 150 ms apart on the active connection.
    while (sinceAnswer.elapsed() < 1500) {
        QVERIFY2(healthOverKeepAlive(active),
                 qPrintable(QStringLiteral("dropped after %1 ms").arg(sinceAnswer.elapsed())));
        QTest::qWait(150); // pacing a client that is not idle, not waiting for the server
    }
    QCOMPARE(active.socket.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(idle.socket.state(), QAbstractSocket::UnconnectedState);
    QVERIFY(idle.waitDropped(0) >= 0);

    // The idle one went after the timeout, not at once: a fresh idle connection lasts that long.
    RawClient again;
    QVERIFY(again.connectTo(hub.host->port()));
    QVERIFY(healthOverKeepAlive(again));
    const qint64 took = again.waitDropped(5000);
    QVERIFY2(took >= 400, qPrintable(QString::number(took)));
}

void tst_ListenerLimits::oversizedRequestBodyIsRefused()
{
    HubConfig config = testConfig();
    config.maxMessageBytes = 1024;
    TestHub hub(config);
    const QByteArray body = "[" + QByteArray(4096, ' ') + "]";
    const TestHub::Reply reply = hub.send("POST", QStringLiteral("/api/v1/publish"), body,
                                          hub.token(QStringLiteral("s"), Role::Service));
    QCOMPARE(reply.status, 413);
    QVERIFY(reply.body.contains("MESSAGE_TOO_LARGE"));
    QCOMPARE(hub.send("GET", QStringLiteral("/health")).status, 200);
}

void tst_ListenerLimits::chunkedRequestBodyIsRefused()
{
    TestHub hub;
    RawClient raw;
    QVERIFY(raw.connectTo(hub.host->port()));
    raw.socket.write(
        "POST /api/v1/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n");
    QVERIFY(raw.waitDropped(5000) >= 0);
    QVERIFY(raw.socket.readAll().startsWith("HTTP/1.1 411"));
}

void tst_ListenerLimits::maxConnectionsRefusesWith503()
{
    HubConfig config = testConfig();
    config.maxConnections = 2;
    TestHub hub(config);
    const QByteArray token = hub.token(QStringLiteral("u"), Role::User);
    TestClient first, second, third;
    QVERIFY(first.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    QVERIFY(second.open(hub.ws(QStringLiteral("/ws/v1"), token)));
    QVERIFY(!third.open(hub.ws(QStringLiteral("/ws/v1"), token), {}, 3000));

    RawClient raw;
    QVERIFY(raw.connectTo(hub.host->port()));
    raw.socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY(raw.waitDropped(5000) >= 0);
    const QByteArray response = raw.socket.readAll();
    QVERIFY2(response.startsWith("HTTP/1.1 503"), response.constData());
    QVERIFY(response.contains("connection limit"));

    first.socket.close();
    QVERIFY(first.waitClosed());
    TestClient again;
    QTRY_VERIFY(again.open(hub.ws(QStringLiteral("/ws/v1"), token), {}, 1000));
}

void tst_ListenerLimits::slowConsumerIsCutWhileOthersGetEverything()
{
    HubConfig config = testConfig();
    config.outboundBufferCap = 256 * 1024;
    config.authMode = AuthMode::Off;
    TestHub hub(config);

    RawClient stalled;
    QVERIFY(stalled.connectTo(hub.host->port()));
    QVERIFY(stalled.handshake(QStringLiteral("/ws/v1")));
    stalled.socket.setReadBufferSize(1024); // stop reading: the kernel buffers fill up
    stalled.sendText(R"({"type":"subscribe","data":{"topics":["bulk"]}})");
    TestClient healthy;
    QVERIFY(healthy.open(hub.ws()));
    healthy.request(QStringLiteral("subscribe"), QStringLiteral("s"),
                    {{QStringLiteral("topics"), QJsonArray{QStringLiteral("bulk")}}});
    // Wait until the stalled client's subscription is in place.
    QTRY_VERIFY(hub.send("GET", QStringLiteral("/metrics"))
                    .body.contains("switchboard_messages_in_total 2"));

    // The healthy client reads as events arrive; the stalled one never does.
    const int events = 400;
    const int batch = 20;
    const QString payload(32 * 1024, u'p');
    for (int i = 1; i <= events; ++i) {
        hub.host->publish(QStringLiteral("bulk"), QStringLiteral("chunk"),
                          {{QStringLiteral("i"), i}, {QStringLiteral("pad"), payload}});
        if (i % batch == 0)
            QTRY_COMPARE(healthy.messagesOfType(QStringLiteral("event")).size(), i);
    }
    const QList<QJsonObject> received = healthy.messagesOfType(QStringLiteral("event"));
    for (int i = 0; i < events; ++i)
        QCOMPARE(received[i].value(QStringLiteral("seq")).toInt(), i + 1);
    QTRY_VERIFY(hub.send("GET", QStringLiteral("/metrics"))
                    .body.contains("switchboard_slow_consumers_dropped_total 1"));
    // The stalled client reads nothing, so it cannot notice; the hub has let go of it.
    QTRY_VERIFY(
        hub.send("GET", QStringLiteral("/health")).body.contains("\"active_connections\":1"));
    QVERIFY(!healthy.closed);
}

void tst_ListenerLimits::silentClientsAreDroppedAndLiveOnesKept()
{
    HubConfig config = testConfig();
    config.authMode = AuthMode::Off;
    config.pingInterval = std::chrono::milliseconds(100);
    config.pingTimeout = std::chrono::milliseconds(500);
    TestHub hub(config);
    TestClient live; // QWebSocket answers pings by itself
    QVERIFY(live.open(hub.ws()));
    RawClient silent;
    QVERIFY(silent.connectTo(hub.host->port()));
    QVERIFY(silent.handshake(QStringLiteral("/ws/v1")));
    const qint64 took = silent.waitDropped(5000);
    QVERIFY2(took >= 0, "a client that never answers pings was not dropped");
    QVERIFY(!live.closed);
    // The behaviour under test is time passing: the live client outlasts two more timeouts.
    QTest::qWait(1000);
    QVERIFY(!live.closed);
    QCOMPARE(live.request(QStringLiteral("ping"), QStringLiteral("p"))
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("pong"));
}

void tst_ListenerLimits::shutdownClosesEveryClientWith1001()
{
    TestHub hub;
    TestClient a, b;
    QVERIFY(a.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("a"), Role::User))));
    QVERIFY(b.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("b"), Role::User))));
    QElapsedTimer timer;
    timer.start();
    // stop() blocks this thread while the hub closes; the clients' close frames are already
    // in their sockets when it returns.
    hub.host->stop();
    QVERIFY(timer.elapsed() < 5000);
    QVERIFY(a.waitClosed());
    QVERIFY(b.waitClosed());
    QCOMPARE(a.closeCode, 1001);
    QCOMPARE(b.closeCode, 1001);
}

QTEST_GUILESS_MAIN(tst_ListenerLimits)
#include "tst_listener_limits.moc"
