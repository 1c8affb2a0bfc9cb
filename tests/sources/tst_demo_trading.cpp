// --demo (SPEC §6.4) end to end: the real hub with the demo feed on, a native client on /ws/v1
// subscribed to `trading`, over a real socket.

#include "TestClient.h"
#include "TestHub.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace switchboard;
using namespace switchboard::test;

namespace {

HubConfig demoConfig(quint64 seed, std::chrono::milliseconds interval)
{
    HubConfig config = testConfig();
    config.demo = true;
    config.demoSeed = seed;
    config.demoInterval = interval;
    return config;
}

QJsonObject subscription(const QStringList& topics, const QJsonObject& since = {})
{
    QJsonObject data{{u"topics"_s, QJsonArray::fromStringList(topics)}};
    if (!since.isEmpty())
        data.insert(u"since"_s, since);
    return data;
}

auto isEvent(const QString& topic, const QString& event)
{
    return [topic, event](const QJsonObject& m) {
        return m.value("type"_L1).toString() == "event"_L1 &&
               m.value("topic"_L1).toString() == topic && m.value("event"_L1).toString() == event;
    };
}

} // namespace

class TestDemoTrading : public QObject {
    Q_OBJECT

private slots:
    void subscriberReceivesEveryTradingEvent();
    void hardStopRaisesASystemAlert();
    void withoutDemoNothingTrades();
};

void TestDemoTrading::subscriberReceivesEveryTradingEvent()
{
    TestHub hub(demoConfig(7, std::chrono::milliseconds(20)));
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(hub.ws(u"/ws/v1"_s, hub.token(u"alice"_s, Role::User))));
    const QJsonObject ack = client.request(u"subscribe"_s, u"1"_s, subscription({u"trading"_s}));
    QCOMPARE(ack.value("type"_L1).toString(), u"ack"_s);

    const QJsonObject position = client.waitFor(isEvent(u"trading"_s, u"position_update"_s), 10000);
    QVERIFY(!position.isEmpty());
    const QJsonObject data = position.value("data"_L1).toObject();
    for (const QString& name :
         {u"position_id"_s, u"symbol"_s, u"status"_s, u"spot_entry_price"_s, u"perp_entry_price"_s,
          u"spot_quantity"_s, u"perp_quantity"_s, u"unrealized_pnl"_s, u"funding_collected"_s})
        QVERIFY2(data.value(name).isString(), qPrintable(name));

    const QJsonObject equity = client.waitFor(isEvent(u"trading"_s, u"equity_update"_s), 10000);
    QVERIFY(!equity.isEmpty());
    const QJsonObject equityData = equity.value("data"_L1).toObject();
    QVERIFY(equityData.value("peak_equity"_L1).toString().toDouble() >=
            equityData.value("current_equity"_L1).toString().toDouble());

    // Sent on every change and, for late subscribers like this one, every few steps.
    const QJsonObject risk = client.waitFor(isEvent(u"trading"_s, u"risk_status_update"_s), 10000);
    QVERIFY(!risk.isEmpty());
    const QJsonObject riskData = risk.value("data"_L1).toObject();
    QVERIFY((QStringList{u"normal"_s, u"soft_pause"_s, u"hard_stop"_s})
                .contains(riskData.value("status"_L1).toString()));
    QVERIFY(riskData.value("drawdown_pct"_L1).isString());
    QVERIFY(riskData.value("daily_loss_pct"_L1).isString());
}

void TestDemoTrading::hardStopRaisesASystemAlert()
{
    // Seed 17 squeezes the book into a hard stop within its first thirty steps.
    HubConfig config = demoConfig(17, std::chrono::milliseconds(5));
    config.historyLimit = 100000; // however long the client takes to connect, nothing is lost
    TestHub hub(config);
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(hub.ws(u"/ws/v1"_s, hub.token(u"alice"_s, Role::User))));
    // From the first event on, so that a hard stop before the subscription is replayed.
    client.request(
        u"subscribe"_s, u"1"_s,
        subscription({u"trading"_s, u"status"_s}, {{u"trading"_s, 0}, {u"status"_s, 0}}));

    const QJsonObject stop = client.waitFor(
        [](const QJsonObject& m) {
            return isEvent(u"trading"_s, u"risk_status_update"_s)(m) &&
                   m.value("data"_L1).toObject().value("status"_L1).toString() == "hard_stop"_L1;
        },
        20000);
    QVERIFY(!stop.isEmpty());
    const QJsonObject alert = client.waitFor(isEvent(u"status"_s, u"system_alert"_s), 10000);
    QVERIFY(!alert.isEmpty());
    const QJsonObject data = alert.value("data"_L1).toObject();
    QCOMPARE(data.value("alert_type"_L1).toString(), u"risk_hard_stop"_s);
    QCOMPARE(data.value("severity"_L1).toString(), u"critical"_s);
    QVERIFY(data.value("message"_L1).toString().contains(u"hard stop"_s));
    QVERIFY(data.value("drawdown_pct"_L1).toDouble() > 0);
}

void TestDemoTrading::withoutDemoNothingTrades()
{
    HubConfig config = testConfig();
    config.metricsInterval = std::chrono::milliseconds(20);
    TestHub hub(config);
    QVERIFY(!hub.startError);
    TestClient client;
    QVERIFY(client.open(hub.ws(u"/ws/v1"_s, hub.token(u"alice"_s, Role::User))));
    client.request(u"subscribe"_s, u"1"_s, subscription({u"trading"_s, u"system_metrics"_s}));
    // The metrics are the clock: three of them take several demo steps' worth of time.
    QTRY_VERIFY_WITH_TIMEOUT(client.messagesOfType(u"event"_s).size() >= 3 || client.closed, 10000);
    for (const QJsonObject& event : client.messagesOfType(u"event"_s))
        QCOMPARE(event.value("topic"_L1).toString(), u"system_metrics"_s);
}

QTEST_GUILESS_MAIN(TestDemoTrading)
#include "tst_demo_trading.moc"
