// A risk hard stop published by a service on `trading` raises one system_alert on `status`
// and `alerts` (SPEC §6.2), exactly when the book enters the hard stop.

#include "TestClient.h"
#include "TestHub.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace switchboard;
using namespace switchboard::test;
using namespace Qt::StringLiterals;

namespace {

int countAlerts(const TestClient& client, const QString& topic)
{
    int count = 0;
    for (const QJsonObject& m : client.messages) {
        if (m.value("type"_L1).toString() == "event"_L1 &&
            m.value("topic"_L1).toString() == topic &&
            m.value("event"_L1).toString() == "system_alert"_L1)
            ++count;
    }
    return count;
}

} // namespace

class tst_RiskAlerts : public QObject {
    Q_OBJECT

private slots:
    void hardStopRaisesOneAlert();
};

void tst_RiskAlerts::hardStopRaisesOneAlert()
{
    TestHub hub;
    QVERIFY(!hub.startError);
    const QByteArray service = hub.token(u"risk-engine"_s, Role::Service);
    TestClient watcher;
    QVERIFY(watcher.open(hub.ws(u"/ws/v1"_s, hub.token(u"ops"_s, Role::User))));
    QCOMPARE(watcher
                 .request(u"subscribe"_s, u"1"_s,
                          {{u"topics"_s, QJsonArray{u"alerts"_s, u"status"_s, u"trading"_s}}})
                 .value("type"_L1)
                 .toString(),
             u"ack"_s);

    int seq = 0;
    const auto risk = [&](const QString& status) {
        const QJsonObject body{{u"topic"_s, u"trading"_s},
                               {u"type"_s, u"risk_status_update"_s},
                               {u"data"_s, QJsonObject{{u"status"_s, status},
                                                       {u"drawdown_pct"_s, 0.12},
                                                       {u"daily_loss_pct"_s, 0.051}}}};
        QCOMPARE(hub.send("POST", u"/api/v1/publish"_s,
                          QJsonDocument(body).toJson(QJsonDocument::Compact), service)
                     .status,
                 200);
        ++seq;
        // Wait until the watcher has this update: what it caused was published before it
        // returned, so it is in the watcher's stream too.
        const int expected = seq;
        QVERIFY(!watcher
                     .waitFor([expected](const QJsonObject& m) {
                         return m.value("topic"_L1).toString() == "trading"_L1 &&
                                m.value("seq"_L1).toInt() == expected;
                     })
                     .isEmpty());
    };

    risk(u"normal"_s);
    risk(u"soft_pause"_s);
    QCOMPARE(countAlerts(watcher, u"alerts"_s), 0);

    risk(u"hard_stop"_s);
    const QJsonObject alert = watcher.waitFor(
        [](const QJsonObject& m) { return m.value("topic"_L1).toString() == "alerts"_L1; });
    const QJsonObject data = alert.value("data"_L1).toObject();
    QCOMPARE(data.value("alert_type"_L1).toString(), u"risk_hard_stop"_s);
    QCOMPARE(data.value("severity"_L1).toString(), u"critical"_s);
    QVERIFY(data.value("message"_L1).toString().contains(u"12.0 %"_s));
    QTRY_COMPARE(countAlerts(watcher, u"status"_s), 1);

    // Staying in the hard stop does not alert again; leaving and re-entering does.
    risk(u"hard_stop"_s);
    QCOMPARE(countAlerts(watcher, u"alerts"_s), 1);
    risk(u"normal"_s);
    risk(u"hard_stop"_s);
    QTRY_COMPARE(countAlerts(watcher, u"alerts"_s), 2);
    QTRY_COMPARE(countAlerts(watcher, u"status"_s), 2);
}

QTEST_GUILESS_MAIN(tst_RiskAlerts)
#include "tst_risk_alerts.moc"
