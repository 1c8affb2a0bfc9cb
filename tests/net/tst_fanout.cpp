// Fan-out to many clients at once: every subscriber gets every event, in order, each event
// is encoded once per dialect (not once per client), and the parallel writers (FanoutPool)
// take part once enough clients wait.

#include "TestClient.h"
#include "TestHub.h"

#include <QJsonArray>
#include <QTest>

#include <QDir>

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

QTEST_GUILESS_MAIN(tst_Fanout)
#include "tst_fanout.moc"
