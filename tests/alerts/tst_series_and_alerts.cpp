// SPEC §13's series and alerts, layer by layer: a series keeps 15 minutes at 1 s and 24 hours
// at 10 s in a fixed amount of memory however long it runs; a rule fires only after its
// condition held for for_seconds and resolves when it stops; bad rules are refused naming the
// field; a webhook is really POSTed, retried with backoff, and given up after its bound.

#include "WebhookReceiver.h"
#include "alerts/AlertEvaluator.h"
#include "alerts/AlertRule.h"
#include "alerts/WebhookSender.h"
#include "series/SeriesStore.h"

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace switchboard;
using namespace switchboard::test;
using namespace Qt::StringLiterals;

namespace {

AlertRule rule(const QString& metric, const QString& op, double threshold, int forSeconds)
{
    AlertRule r;
    r.id = metric + u"-rule"_s;
    r.metric = metric;
    r.op = op;
    r.threshold = threshold;
    r.forSeconds = forSeconds;
    r.severity = u"warning"_s;
    return r;
}

// JSON written with single quotes, which read better in a test table.
QByteArray q(const char* text)
{
    return QByteArray(text).replace('\'', '"');
}

} // namespace

class tst_SeriesAndAlerts : public QObject {
    Q_OBJECT

private slots:
    void aSeriesCostsTheSameAfterADayOfSamples()
    {
        SeriesStore store;
        store.add({u"cpu"_s, u"percent"_s, u"CPU"_s, {}});
        const qint64 before = store.memoryBytes();
        QCOMPARE(before, SeriesStore::bytesPerSeries);
        QCOMPARE(before, qint64(76320));
        const qint64 start = 1700000000000;
        // Two days of one sample a second.
        for (qint64 s = 0; s < 2 * 86400; ++s)
            store.record(u"cpu"_s, start + s * 1000, double(s % 100));
        QCOMPARE(store.memoryBytes(), before);
        const qint64 now = start + 2 * 86400 * 1000;
        const auto fine = store.points(u"cpu"_s, SeriesRange::Minutes15, now);
        QVERIFY(fine.size() <= SeriesStore::fineSlots);
        QVERIFY(fine.size() >= SeriesStore::fineSlots - 1);
        QVERIFY(fine.first().first >= now - 15 * 60000);
        const auto day = store.points(u"cpu"_s, SeriesRange::Hours24, now);
        QVERIFY(day.size() <= SeriesStore::coarseSlots);
        QVERIFY(day.size() >= SeriesStore::coarseSlots - 1);
        // Ten-second slots hold the mean of their samples: (0+..+9)/10 for an aligned slot.
        const auto hour = store.points(u"cpu"_s, SeriesRange::Hour1, now);
        QCOMPARE(hour.size(), 360);
        QCOMPARE(hour.at(1).first - hour.at(0).first, SeriesStore::coarseStepMs);
    }

    void aSilentStretchReadsAsNoData()
    {
        SeriesStore store;
        store.add({u"equity"_s, u"currency"_s, u"Equity"_s, u"trading"_s});
        const qint64 start = 1700000000000;
        store.record(u"equity"_s, start, 100);
        store.record(u"equity"_s, start + 1000, 101);
        store.record(u"equity"_s, start + 60000, 110); // a minute of silence
        const auto points = store.points(u"equity"_s, SeriesRange::Minutes15, start + 61000);
        QCOMPARE(points.size(), 3);
        QCOMPARE(points.last().second, 110.0);
        QVERIFY(!store.latest(u"equity"_s, start + 70000));
        QCOMPARE(*store.latest(u"equity"_s, start + 55000), 110.0);
        // Samples older than the newest slot are dropped; unknown series are ignored.
        store.record(u"equity"_s, start + 2000, 1);
        store.record(u"nothing"_s, start, 1);
        QCOMPARE(store.points(u"equity"_s, SeriesRange::Minutes15, start + 61000).size(), 3);
        QVERIFY(seriesRangeFromName(u"1h"_s) == SeriesRange::Hour1);
        QVERIFY(!seriesRangeFromName(u"2h"_s));
    }

    void aRuleFiresAfterItsDurationAndResolves()
    {
        AlertEvaluator evaluator;
        const QList<AlertRule> rules{rule(u"cpu"_s, u">"_s, 90, 30)};
        std::optional<double> cpu = 95;
        const auto valueOf = [&cpu](const QString&) { return cpu; };
        const qint64 t0 = 1000000;
        QVERIFY(evaluator.evaluate(rules, valueOf, t0).isEmpty());
        QVERIFY(evaluator.evaluate(rules, valueOf, t0 + 29000).isEmpty());
        auto fired = evaluator.evaluate(rules, valueOf, t0 + 30000);
        QCOMPARE(fired.size(), 1);
        QCOMPARE(fired.first().kind, AlertEvaluator::Transition::Kind::Fired);
        QCOMPARE(fired.first().value, 95.0);
        QCOMPARE(fired.first().sinceMs, t0);
        QVERIFY(evaluator.isFiring(u"cpu-rule"_s));
        // Still holding: no second firing. No value: nothing changes.
        QVERIFY(evaluator.evaluate(rules, valueOf, t0 + 31000).isEmpty());
        cpu.reset();
        QVERIFY(evaluator.evaluate(rules, valueOf, t0 + 32000).isEmpty());
        cpu = 50;
        auto resolved = evaluator.evaluate(rules, valueOf, t0 + 33000);
        QCOMPARE(resolved.size(), 1);
        QCOMPARE(resolved.first().kind, AlertEvaluator::Transition::Kind::Resolved);
        // A dip restarts the clock.
        cpu = 95;
        QVERIFY(evaluator.evaluate(rules, valueOf, t0 + 40000).isEmpty());
        cpu = 80;
        QVERIFY(evaluator.evaluate(rules, valueOf, t0 + 60000).isEmpty());
        cpu = 95;
        QVERIFY(evaluator.evaluate(rules, valueOf, t0 + 61000).isEmpty());
        QVERIFY(evaluator.evaluate(rules, valueOf, t0 + 90000).isEmpty());
        QCOMPARE(evaluator.evaluate(rules, valueOf, t0 + 91000).size(), 1);
        // Removing a firing rule resolves it.
        auto removed = evaluator.evaluate({}, valueOf, t0 + 92000);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().kind, AlertEvaluator::Transition::Kind::Resolved);
    }

    void everyOperatorCompares_data()
    {
        QTest::addColumn<QString>("op");
        QTest::addColumn<double>("value");
        QTest::addColumn<bool>("holds");
        QTest::newRow(">") << u">"_s << 11.0 << true;
        QTest::newRow("> equal") << u">"_s << 10.0 << false;
        QTest::newRow(">=") << u">="_s << 10.0 << true;
        QTest::newRow("<") << u"<"_s << 9.0 << true;
        QTest::newRow("<=") << u"<="_s << 11.0 << false;
        QTest::newRow("==") << u"=="_s << 10.0 << true;
        QTest::newRow("!=") << u"!="_s << 10.0 << false;
    }

    void everyOperatorCompares()
    {
        QFETCH(QString, op);
        QFETCH(double, value);
        QFETCH(bool, holds);
        QCOMPARE(rule(u"x"_s, op, 10, 0).holds(value), holds);
    }

    void badRulesAreRefusedNamingTheField_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        const QByteArray good =
            q("{'id':'r1','metric':'cpu','op':'>','threshold':90,'for_seconds':60}");
        QTest::newRow("not an array") << QByteArray(q("{'rules':3}")) << u"rules"_s;
        QTest::newRow("not an object") << QByteArray("[3]") << u"rules[0]"_s;
        QTest::newRow("bad id") << QByteArray(
                                       q("[{'id':'a b','metric':'cpu','op':'>','threshold':1}]"))
                                << u"rules[0].id"_s;
        QTest::newRow("unknown metric")
            << QByteArray(q("[{'id':'a','metric':'nope','op':'>','threshold':1}]"))
            << u"rules[0].metric"_s;
        QTest::newRow("bad op") << QByteArray(
                                       q("[{'id':'a','metric':'cpu','op':'~','threshold':1}]"))
                                << u"rules[0].op"_s;
        QTest::newRow("threshold a string")
            << QByteArray(q("[{'id':'a','metric':'cpu','op':'>','threshold':'1'}]"))
            << u"rules[0].threshold"_s;
        QTest::newRow("negative duration")
            << QByteArray(q("[{'id':'a','metric':'cpu','op':'>','threshold':1,'for_seconds':-1}]"))
            << u"rules[0].for_seconds"_s;
        QTest::newRow("duration over a day")
            << QByteArray(
                   q("[{'id':'a','metric':'cpu','op':'>','threshold':1,'for_seconds':86401}]"))
            << u"rules[0].for_seconds"_s;
        QTest::newRow("bad severity")
            << QByteArray(q("[{'id':'a','metric':'cpu','op':'>','threshold':1,'severity':'loud'}]"))
            << u"rules[0].severity"_s;
        QTest::newRow("ftp webhook")
            << QByteArray(q("[{'id':'a','metric':'cpu','op':'>','threshold':1,'webhook':'ftp:x'}]"))
            << u"rules[0].webhook"_s;
        QTest::newRow("unknown field")
            << QByteArray(q("[{'id':'a','metric':'cpu','op':'>','threshold':1,'when':'now'}]"))
            << u"rules[0].when"_s;
        QTest::newRow("duplicate id")
            << QByteArray("[" + good + "," + good + "]") << u"rules[1].id"_s;
        QByteArray many = "[";
        for (int i = 0; i <= AlertRule::maxRules; ++i)
            many += (i ? "," : "") + QByteArray(q("{'id':'r")) + QByteArray::number(i) +
                    q("','metric':'cpu','op':'>','threshold':1}");
        QTest::newRow("too many rules") << many + "]" << u"rules"_s;
    }

    void badRulesAreRefusedNamingTheField()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        const QJsonDocument document = QJsonDocument::fromJson(json);
        const QJsonValue value =
            document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
        auto result = AlertRule::listFromJson(value, {u"cpu"_s, u"connections"_s});
        QVERIFY(std::holds_alternative<Error>(result));
        const Error error = std::get<Error>(result);
        QCOMPARE(error.code, ErrorCode::InvalidMessage);
        QVERIFY2(error.message.startsWith(field + u':'), qPrintable(error.message));
    }

    void aWebhookIsPostedAndRetriedUntilItIsTaken()
    {
        WebhookReceiver receiver({500, 503});
        WebhookSender sender({4, std::chrono::milliseconds(20), std::chrono::seconds(5), 10});
        QSignalSpy delivered(&sender, &WebhookSender::delivered);
        QVERIFY(sender.post(receiver.url(), {{u"status"_s, u"firing"_s}}));
        QVERIFY(delivered.wait(10000));
        QCOMPARE(delivered.first().at(1).toInt(), 3); // two failures, then 200
        QCOMPARE(receiver.requests().size(), 3);
        for (const auto& request : receiver.requests()) {
            QCOMPARE(request.method, QByteArray("POST"));
            QCOMPARE(request.path, QByteArray("/hook/secret-part"));
            QVERIFY(request.contentType.startsWith("application/json"));
            QCOMPARE(request.json().value(u"status"_s).toString(), u"firing"_s);
        }
        QCOMPARE(sender.pending(), 0);
    }

    void aWebhookIsGivenUpAfterItsBound()
    {
        WebhookReceiver receiver({500, 500, 500, 500, 500, 500});
        WebhookSender sender({3, std::chrono::milliseconds(10), std::chrono::seconds(5), 10});
        QSignalSpy failed(&sender, &WebhookSender::failed);
        QVERIFY(sender.post(receiver.url(), {{u"n"_s, 1}}));
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().at(1).toInt(), 3);
        QCOMPARE(failed.first().at(2).toString(), u"HTTP 500"_s);
        QCOMPARE(receiver.requests().size(), 3);
        QCOMPARE(sender.pending(), 0);
        // An unreachable receiver fails the same way, by its bound.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        sender.post(QUrl(u"http://127.0.0.1:%1/x"_s.arg(port)), {});
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.last().at(1).toInt(), 3);
        // Loggable form names the receiver, not its secret path.
        QCOMPARE(WebhookSender::loggable(receiver.url()),
                 u"http://127.0.0.1:%1"_s.arg(receiver.url().port()));
    }

    void pendingWebhooksAreBounded()
    {
        WebhookReceiver receiver;
        WebhookSender sender({1, std::chrono::milliseconds(10), std::chrono::seconds(5), 2});
        QVERIFY(sender.post(receiver.url(), {}));
        QVERIFY(sender.post(receiver.url(), {}));
        QVERIFY(!sender.post(receiver.url(), {}));
        QTRY_COMPARE(sender.pending(), 0);
        QCOMPARE(receiver.requests().size(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_SeriesAndAlerts)
#include "tst_series_and_alerts.moc"
