// Fan-out to many clients at once: every subscriber gets every event, in order, each event
// is encoded once per dialect (not once per client), and the parallel writers (FanoutPool)
// take part once enough clients wait.

#include "RawClient.h"
#include "TestClient.h"
#include "TestHub.h"

#include <QJsonArray>
#include <QTest>

#include <QDir>

#include <climits>
#include <memory>
#include <vector>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using namespace switchboard;
using namespace switchboard::test;

class tst_Fanout : public QObject {
    Q_OBJECT

private slots:
    void everySubscriberGetsEveryEventInOrder_data();
    void everySubscriberGetsEveryEventInOrder();
    void snapshotsStartWholeForEachNewObserver();
    void clientSocketsDoNotWaitForAcknowledgements();
    void aClientThatFallsBehindGetsEverythingOnceItReads();
    void moreFramesThanOneSystemCallTakesArriveInOrder();
};

namespace {

quint64 metricValue(TestHub& hub, const QByteArray& name)
{
    const QByteArray body = hub.send("GET", QStringLiteral("/metrics")).body;
    for (const QByteArray& line : body.split('\n')) {
        if (line.startsWith(QByteArray(name).append(' ')))
            return line.mid(name.size() + 1).toULongLong();
    }
    return 0;
}

// The most the hub still holds for one of the connections on `topic` (frames queued and bytes
// the kernel has not taken, as the connections view reports them); -1 when none is on it.
qint64 outboundBytes(TestHub& hub, const QString& topic)
{
    const QJsonObject stats =
        QJsonDocument::fromJson(hub.send("GET", QStringLiteral("/api/v1/ws/stats/detailed")).body)
            .object();
    qint64 most = -1;
    for (const QJsonValue connection : stats.value(QStringLiteral("per_connection")).toArray()) {
        if (connection[QStringLiteral("topics")].toArray().contains(topic))
            most = qMax(most, qint64(connection[QStringLiteral("outbound_bytes")].toDouble()));
    }
    return most;
}

// Settings under which a client may fall far behind: no sign-in, and a 64 MiB cap.
HubConfig roomToFallBehind()
{
    HubConfig config = testConfig();
    config.authMode = AuthMode::Off;
    config.outboundBufferCap = 64 * 1024 * 1024;
    return config;
}

// Opens `client`, subscribes it to `topic` and stops reading from it, so that the kernel's
// buffers fill up and then the hub holds what it sends.
bool subscribeAndStopReading(RawClient& client, TestHub& hub, const QByteArray& topic)
{
    if (!client.connectTo(hub.host->port()) || !client.handshake(QStringLiteral("/ws/v1")))
        return false;
    client.socket.setReadBufferSize(1024);
    client.sendText(R"({"type":"subscribe","id":"s","data":{"topics":[")" + topic + R"("]}})");
    return true;
}

// Reads server frames (unmasked) from `client` until `count` have come whole or the
// connection ends; each is its opcode and payload.
QList<QPair<int, QByteArray>> readFrames(RawClient& client, int count)
{
    QList<QPair<int, QByteArray>> frames;
    QByteArray buffer;
    QElapsedTimer timer;
    timer.start();
    while (frames.size() < count && timer.elapsed() < 20000) {
        if (client.socket.bytesAvailable() == 0 &&
            client.socket.state() == QAbstractSocket::ConnectedState)
            client.socket.waitForReadyRead(100);
        buffer += client.socket.readAll();
        while (buffer.size() >= 2) {
            const auto byte = [&](qsizetype i) { return quint64(quint8(buffer[i])); };
            quint64 length = byte(1) & 0x7f;
            qsizetype header = 2;
            if (length == 126) {
                header = 4;
                length = buffer.size() < header ? 0 : byte(2) << 8 | byte(3);
            } else if (length == 127) {
                header = 10;
                length = 0;
                for (qsizetype i = 2; i < header && i < buffer.size(); ++i)
                    length = length << 8 | byte(i);
            }
            if (buffer.size() < header || quint64(buffer.size() - header) < length)
                break;
            frames.append({int(byte(0) & 0x0f), buffer.mid(header, qsizetype(length))});
            buffer.remove(0, header + qsizetype(length));
        }
        if (client.socket.state() != QAbstractSocket::ConnectedState &&
            client.socket.bytesAvailable() == 0)
            break;
    }
    return frames;
}

} // namespace

void tst_Fanout::everySubscriberGetsEveryEventInOrder_data()
{
    QTest::addColumn<int>("writerThreads");
    QTest::newRow("hub thread only") << 0;
    QTest::newRow("with two extra writer threads") << 2;
}

void tst_Fanout::everySubscriberGetsEveryEventInOrder()
{
    QFETCH(int, writerThreads);
    HubConfig config = testConfig();
    config.authMode = AuthMode::Off;
    config.fanoutThreads = writerThreads;
    TestHub hub(config);
    QVERIFY(!hub.startError);

    const int clients = 300; // many of the pool's chunks, so every writer takes some
    std::vector<std::unique_ptr<TestClient>> subscribers;
    for (int i = 0; i < clients; ++i) {
        auto client = std::make_unique<TestClient>();
        QVERIFY(client->open(hub.ws()));
        client->send({{QStringLiteral("type"), QStringLiteral("subscribe")},
                      {QStringLiteral("id"), QStringLiteral("s")},
                      {QStringLiteral("data"), QJsonObject{{QStringLiteral("topics"),
                                                            QJsonArray{QStringLiteral("fan")}}}}});
        subscribers.push_back(std::move(client));
    }
    for (auto& client : subscribers)
        QVERIFY(!client->waitForReply(QStringLiteral("s")).isEmpty());

    const quint64 encodingsBefore = metricValue(hub, "switchboard_event_encodings_total");
    const int events = 40;
    for (int i = 1; i <= events; ++i)
        hub.host->publish(QStringLiteral("fan"), QStringLiteral("tick"),
                          {{QStringLiteral("i"), i}});

    for (auto& client : subscribers)
        QTRY_COMPARE_WITH_TIMEOUT(client->messagesOfType(QStringLiteral("event")).size(), events,
                                  20000);
    for (auto& client : subscribers) {
        const QList<QJsonObject> received = client->messagesOfType(QStringLiteral("event"));
        for (int i = 0; i < events; ++i) {
            QCOMPARE(received[i].value(QStringLiteral("seq")).toInt(), i + 1);
            QCOMPARE(received[i]
                         .value(QStringLiteral("data"))
                         .toObject()
                         .value(QStringLiteral("i"))
                         .toInt(),
                     i + 1);
        }
    }
    // One encoding per event for the one dialect, however many clients.
    QCOMPARE(metricValue(hub, "switchboard_event_encodings_total") - encodingsBefore,
             quint64(events));
}

// Snapshots are built only while something receives them (the headless server has no
// console); whoever starts receiving them gets the whole picture first, not only what changed.
void tst_Fanout::snapshotsStartWholeForEachNewObserver()
{
    TestHub hub;
    TestClient client;
    QVERIFY(
        client.open(hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    QTRY_COMPARE(metricValue(hub, "switchboard_connections"), quint64(1));
    for (int observer = 0; observer < 2; ++observer) {
        QSignalSpy snapshots(hub.host.get(), &HubHost::snapshotReady);
        // One snapshot built before the observer arrived may still be on its way; the first
        // one built after it is whole.
        QTRY_VERIFY2(snapshots.size() >= 2,
                     qPrintable(QStringLiteral("observer %1").arg(observer)));
        const auto firstBuilt =
            snapshots.at(snapshots.first().first().value<HubSnapshot>().full ? 0 : 1)
                .first()
                .value<HubSnapshot>();
        QVERIFY2(firstBuilt.full, qPrintable(QStringLiteral("observer %1").arg(observer)));
        QCOMPARE(firstBuilt.upserted.size(), 1);
        QCOMPARE(firstBuilt.activeConnections, 1);
    }
}

// Nagle's algorithm would hold each small frame to a client that only reads until the client
// acknowledged the previous one (its delayed ACK: up to ~40 ms), which made the p99 of 200
// publishes a second 58 ms instead of 16 (docs/performance.md). Every accepted socket of the
// hub, found among this process's descriptors by its local port, must have TCP_NODELAY.
void tst_Fanout::clientSocketsDoNotWaitForAcknowledgements()
{
    TestHub hub;
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<TestClient>());
        QVERIFY(clients.back()->open(
            hub.ws(QStringLiteral("/ws/v1"), hub.token(QStringLiteral("u"), Role::User))));
    }
    int accepted = 0;
    const QStringList descriptors =
        QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files | QDir::System);
    for (const QString& name : descriptors) {
        const int fd = name.toInt();
        sockaddr_storage local{};
        sockaddr_storage peer{};
        socklen_t localSize = sizeof local;
        socklen_t peerSize = sizeof peer;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &localSize) != 0 ||
            ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peerSize) != 0)
            continue;
        const auto port = [](const sockaddr_storage& address) {
            return address.ss_family == AF_INET
                       ? ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port)
                       : ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
        };
        if (port(local) != hub.host->port())
            continue; // a client's end, or another socket
        int noDelay = 0;
        socklen_t size = sizeof noDelay;
        QCOMPARE(::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &noDelay, &size), 0);
        QVERIFY2(noDelay != 0, qPrintable(QStringLiteral("descriptor %1").arg(fd)));
        ++accepted;
    }
    QCOMPARE(accepted, 3);
}

// A client whose kernel buffers are full loses nothing and gets nothing out of order: the hub
// keeps the frames the kernel did not take (counted against the client's cap) and writes them,
// with every later one behind them, once the client reads again; a client that keeps reading
// is not held up meanwhile. The answer to a close frame waits behind kept frames too.
void tst_Fanout::aClientThatFallsBehindGetsEverythingOnceItReads()
{
    HubConfig config = roomToFallBehind();
    config.fanoutThreads = 1;
    TestHub hub(config);

    RawClient behind;
    QVERIFY(subscribeAndStopReading(behind, hub, "bulk"));
    TestClient reading;
    QVERIFY(reading.open(hub.ws()));
    QVERIFY(!reading
                 .request(QStringLiteral("subscribe"), QStringLiteral("s"),
                          {{QStringLiteral("topics"), QJsonArray{QStringLiteral("bulk")}}})
                 .isEmpty());
    QTRY_COMPARE(outboundBytes(hub, QStringLiteral("bulk")), 0); // subscribed, nothing held

    const QString payload(16 * 1024, u'p');
    int published = 0;
    const auto publish = [&](int count) {
        for (int i = 0; i < count; ++i)
            hub.host->publish(
                QStringLiteral("bulk"), QStringLiteral("chunk"),
                {{QStringLiteral("i"), ++published}, {QStringLiteral("pad"), payload}});
    };
    // Until the hub holds a good part of it: the kernel's buffers (both ends) come first.
    // False when the reading client missed an event, or 4000 events were not enough.
    const auto fallBehind = [&] {
        while (published < 4000 && outboundBytes(hub, QStringLiteral("bulk")) < 1024 * 1024) {
            publish(50);
            if (!QTest::qWaitFor([&] {
                    return reading.messagesOfType(QStringLiteral("event")).size() == published;
                }))
                return false;
        }
        return outboundBytes(hub, QStringLiteral("bulk")) >= 1024 * 1024;
    };
    QVERIFY(fallBehind());

    // It reads again: everything arrives, in order (after the welcome and the subscribe's
    // ack), and the hub holds nothing more.
    behind.socket.setReadBufferSize(0);
    QList<QPair<int, QByteArray>> frames = readFrames(behind, 2 + published);
    QCOMPARE(frames.size(), 2 + published);
    QList<int> order;
    QStringList others;
    for (const auto& [opcode, text] : frames) {
        const QJsonObject message = QJsonDocument::fromJson(text).object();
        if (message[QStringLiteral("type")] == QStringLiteral("event"))
            order.append(message[QStringLiteral("data")][QStringLiteral("i")].toInt());
        else
            others.append(message[QStringLiteral("type")].toString());
    }
    QCOMPARE(others, QStringList({QStringLiteral("welcome"), QStringLiteral("ack")}));
    QCOMPARE(order.size(), published);
    for (int i = 0; i < published; ++i)
        QCOMPARE(order[i], i + 1);
    QTRY_COMPARE(outboundBytes(hub, QStringLiteral("bulk")), 0);

    // Behind again, and it says goodbye: the close frame comes after every kept event.
    behind.socket.setReadBufferSize(1024);
    const int before = published;
    QVERIFY(fallBehind());
    behind.socket.write(QByteArray::fromHex("88820000000003e8")); // close 1000, mask 0
    behind.socket.flush();
    // The hub has read it (the connection left the topic) before the client reads again.
    QTRY_COMPARE(
        QJsonDocument::fromJson(hub.send("GET", QStringLiteral("/api/v1/ws/stats/detailed")).body)
            .object()[QStringLiteral("per_topic")][QStringLiteral("bulk")]
                     [QStringLiteral("subscribers")]
            .toInt(),
        1);
    behind.socket.setReadBufferSize(0);
    const int expected = published - before + 1;
    frames = readFrames(behind, expected);
    QCOMPARE(frames.size(), expected);
    for (int i = 0; i < expected - 1; ++i) {
        QCOMPARE(frames[i].first, 0x1);
        QCOMPARE(
            QJsonDocument::fromJson(frames[i].second)[QStringLiteral("data")][QStringLiteral("i")]
                .toInt(),
            before + 1 + i);
    }
    QCOMPARE(frames.last().first, 0x8);
    QCOMPARE(frames.last().second.left(2), QByteArray::fromHex("03e8"));
    QVERIFY(behind.waitDropped(5000) >= 0);
    QVERIFY(!reading.closed);
}

// A session writes at most IOV_MAX frames per system call and goes on with the next batch
// while the kernel takes them all. A backlog of thousands of small frames behind large ones
// (the kernel's buffers full, so the hub holds them) is written in several such batches
// once the client reads again: every frame arrives once, in order.
void tst_Fanout::moreFramesThanOneSystemCallTakesArriveInOrder()
{
    TestHub hub(roomToFallBehind());

    RawClient behind;
    QVERIFY(subscribeAndStopReading(behind, hub, "many"));
    QTRY_COMPARE(outboundBytes(hub, QStringLiteral("many")), 0); // subscribed, nothing held

    int published = 0;
    const auto publish = [&](int count, const QString& pad) {
        for (int i = 0; i < count; ++i)
            hub.host->publish(QStringLiteral("many"), QStringLiteral("e"),
                              {{QStringLiteral("i"), ++published}, {QStringLiteral("pad"), pad}});
    };
    // Large events until the hub holds some itself: the kernel's buffers are full.
    const QString large(64 * 1024, u'p');
    // (More than a pass's worth, which the hub holds only until the pass is written.)
    const auto holding = [&] {
        return outboundBytes(hub, QStringLiteral("many")) >= 2 * 1024 * 1024;
    };
    while (published < 2000 && !holding()) {
        publish(10, large);
        if (QTest::qWaitFor(holding, 100))
            break;
    }
    QVERIFY(holding());
    // Then small ones, more than three system calls' worth, all held by the hub.
    const qint64 held = outboundBytes(hub, QStringLiteral("many"));
    const int small = 3 * IOV_MAX + 100;
    publish(small, QStringLiteral("s"));
    QTRY_VERIFY(outboundBytes(hub, QStringLiteral("many")) >= held + qint64(small) * 40);

    behind.socket.setReadBufferSize(0);
    const QList<QPair<int, QByteArray>> frames = readFrames(behind, 2 + published);
    QCOMPARE(frames.size(), 2 + published);
    for (int i = 0; i < published; ++i) {
        const QJsonObject event = QJsonDocument::fromJson(frames[2 + i].second).object();
        QCOMPARE(event[QStringLiteral("data")][QStringLiteral("i")].toInt(), i + 1);
    }
    QTRY_COMPARE(outboundBytes(hub, QStringLiteral("many")), 0);
}

QTEST_GUILESS_MAIN(tst_Fanout)
#include "tst_fanout.moc"
