// Fan-out to many clients at once: every subscriber gets every event, in order, each event
// is encoded once per dialect (not once per client), and the parallel writers (FanoutPool)
// take part once enough clients wait.

#include "TestClient.h"
#include "TestHub.h"

#include <QJsonArray>
#include <QTest>

#include <memory>
#include <vector>

using namespace switchboard;
using namespace switchboard::test;

class tst_Fanout : public QObject {
    Q_OBJECT

private slots:
    void everySubscriberGetsEveryEventInOrder_data();
    void everySubscriberGetsEveryEventInOrder();
    void snapshotsStartWholeForEachNewObserver();
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

    const int clients = 300; // above the pool's threshold of 64 sessions per share
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

QTEST_GUILESS_MAIN(tst_Fanout)
#include "tst_fanout.moc"
