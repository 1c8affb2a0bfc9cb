// The simulated cash-and-carry book behind --demo (SPEC §6.4), as a pure model: the same seed
// plays the same book; the risk engine pauses, stops and recovers as drawdowns come and go;
// every number it publishes hangs together.

#include "config/HubConfig.h"
#include "sources/DemoTradingModel.h"

#include <QHash>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QUuid>

#include <chrono>
#include <cmath>

using namespace Qt::StringLiterals;
using switchboard::DemoTradingModel;
using switchboard::TradingUpdate;
using RiskStatus = DemoTradingModel::RiskStatus;

namespace {

QString field(const TradingUpdate& update, const QString& name)
{
    return update.data.value(name).toString();
}

// A decimal number as the seed sends it: a string such as "45000.00" or "-12.5".
bool isDecimal(const QString& text)
{
    static const QRegularExpression decimal(u"^-?\\d+(\\.\\d+)?$"_s);
    return decimal.match(text).hasMatch();
}

double number(const TradingUpdate& update, const QString& name)
{
    return field(update, name).toDouble();
}

QByteArray describe(const std::vector<TradingUpdate>& updates)
{
    QByteArray text;
    for (const TradingUpdate& update : updates)
        text += update.event.toUtf8() + ' ' +
                QJsonDocument(update.data).toJson(QJsonDocument::Compact) + '\n';
    return text;
}

} // namespace

class TestDemoTradingModel : public QObject {
    Q_OBJECT

private slots:
    void sameSeedPlaysTheSameBook();
    void firstStepShowsALiveBook();
    void riskPausesStopsAndRecovers_data();
    void riskPausesStopsAndRecovers();
    void numbersHangTogether_data();
    void numbersHangTogether();
    void fundingAccruesOnOpenPositions();
    void theFirstSoftPauseComesWithinMinutes();
};

void TestDemoTradingModel::sameSeedPlaysTheSameBook()
{
    DemoTradingModel first(42);
    DemoTradingModel second(42);
    DemoTradingModel other(43);
    bool differs = false;
    for (int i = 0; i < 3000; ++i) {
        const auto a = first.step().updates;
        const auto b = second.step().updates;
        QCOMPARE(describe(a), describe(b));
        differs = differs || describe(a) != describe(other.step().updates);
    }
    QCOMPARE(first.equity(), second.equity());
    QVERIFY(differs);
}

void TestDemoTradingModel::firstStepShowsALiveBook()
{
    // A new user sees positions, equity and the risk status straight away.
    DemoTradingModel model(7);
    const auto updates = model.step().updates;
    QSet<QString> events;
    for (const TradingUpdate& update : updates)
        events.insert(update.event);
    QCOMPARE(events,
             (QSet<QString>{u"position_update"_s, u"equity_update"_s, u"risk_status_update"_s}));
    QVERIFY(model.openPositions().size() >= 2);
    QCOMPARE(updates.back().event, u"risk_status_update"_s);
    QCOMPARE(field(updates.back(), u"status"_s), u"normal"_s);
}

void TestDemoTradingModel::riskPausesStopsAndRecovers_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::newRow("seed 1") << quint64(1);
    QTest::newRow("seed 4") << quint64(4);
    QTest::newRow("seed 22") << quint64(22);
}

void TestDemoTradingModel::riskPausesStopsAndRecovers()
{
    QFETCH(quint64, seed);
    DemoTradingModel model(seed);
    const DemoTradingModel::RiskLimits limits = model.limits();

    RiskStatus status = RiskStatus::Normal;
    QStringList transitions;
    bool recoveredAfterHardStop = false;
    bool sawHardStop = false;
    // At most 20 000 steps: ten weeks of market time, five and a half hours of a live demo.
    const auto seenEverything = [&] {
        return transitions.contains(u"normal->soft_pause"_s) &&
               transitions.contains(u"soft_pause->normal"_s) && recoveredAfterHardStop;
    };
    for (int i = 0; i < 20000 && !seenEverything(); ++i) {
        const DemoTradingModel::Step step = model.step();
        const RiskStatus now = model.riskStatus();
        if (now == status) {
            QVERIFY(!step.hardStopEntered);
            continue;
        }
        transitions << DemoTradingModel::statusName(status) + u"->"_s +
                           DemoTradingModel::statusName(now);

        // Every change is announced, with the numbers that caused it.
        QVERIFY(!step.updates.empty());
        const TradingUpdate& risk = step.updates.back();
        QCOMPARE(risk.event, u"risk_status_update"_s);
        QCOMPARE(field(risk, u"status"_s), DemoTradingModel::statusName(now));
        QVERIFY(!field(risk, u"message"_s).isEmpty());
        const double drawdown = number(risk, u"drawdown_pct"_s);
        const double dailyLoss = number(risk, u"daily_loss_pct"_s);
        QCOMPARE(step.hardStopEntered, now == RiskStatus::HardStop);
        if (now == RiskStatus::SoftPause && status == RiskStatus::Normal)
            QVERIFY(drawdown >= limits.softDrawdown - 0.0001 ||
                    dailyLoss >= limits.softDailyLoss - 0.0001);
        if (now == RiskStatus::HardStop) {
            // Hard stop closes the book: the breach was measured before the closing fees.
            QVERIFY(model.openPositions().empty());
            sawHardStop = true;
        }
        if (now == RiskStatus::Normal) {
            QVERIFY(drawdown < limits.clearDrawdown + 0.0001);
            QVERIFY(dailyLoss < limits.clearDailyLoss + 0.0001);
            recoveredAfterHardStop = recoveredAfterHardStop || sawHardStop;
        }
        status = now;
    }
    QVERIFY2(transitions.contains(u"normal->soft_pause"_s), qPrintable(transitions.join(u' ')));
    QVERIFY2(transitions.contains(u"soft_pause->normal"_s), qPrintable(transitions.join(u' ')));
    QVERIFY2(sawHardStop, qPrintable(transitions.join(u' ')));
    QVERIFY2(recoveredAfterHardStop, qPrintable(transitions.join(u' ')));
}

void TestDemoTradingModel::numbersHangTogether_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::newRow("seed 17 (early hard stop)") << quint64(17);
    QTest::newRow("seed 2") << quint64(2);
}

void TestDemoTradingModel::numbersHangTogether()
{
    QFETCH(quint64, seed);
    DemoTradingModel model(seed);
    QSet<QString> open;
    QSet<QString> closed;
    for (int i = 0; i < 5000; ++i) {
        const auto updates = model.step().updates;
        // The status changes before positions open within a step, never after.
        const RiskStatus riskStatus = model.riskStatus();
        QSet<QString> updatedThisStep;
        int equityUpdates = 0;
        for (const TradingUpdate& update : updates) {
            if (update.event == "position_update"_L1) {
                const QString id = field(update, u"position_id"_s);
                QVERIFY(!QUuid::fromString(id).isNull());
                QVERIFY2(!closed.contains(id), "a closed position was updated again");
                QVERIFY(!updatedThisStep.contains(id));
                updatedThisStep.insert(id);
                for (const QString& name :
                     {u"spot_entry_price"_s, u"perp_entry_price"_s, u"spot_quantity"_s,
                      u"perp_quantity"_s, u"unrealized_pnl"_s, u"funding_collected"_s})
                    QVERIFY2(isDecimal(field(update, name)), qPrintable(name));
                QVERIFY(field(update, u"symbol"_s).endsWith(u"/USDT"_s));
                QVERIFY(number(update, u"spot_entry_price"_s) > 0);
                QVERIFY(number(update, u"spot_quantity"_s) > 0);
                QCOMPARE(field(update, u"spot_quantity"_s), field(update, u"perp_quantity"_s));
                // Carry: the perp is sold at a premium over the spot bought.
                const double basis =
                    number(update, u"perp_entry_price"_s) / number(update, u"spot_entry_price"_s) -
                    1.0;
                QVERIFY2(basis > 0 && basis < 0.05, qPrintable(QString::number(basis)));
                const QString status = field(update, u"status"_s);
                if (status == "closed"_L1) {
                    QVERIFY(open.remove(id));
                    closed.insert(id);
                } else {
                    QCOMPARE(status, u"open"_s);
                    if (!open.contains(id))
                        QVERIFY(riskStatus == RiskStatus::Normal); // no openings while paused
                    open.insert(id);
                }
            } else if (update.event == "equity_update"_L1) {
                ++equityUpdates;
                const double total = number(update, u"total_equity"_s);
                const double peak = number(update, u"peak_equity"_s);
                const double current = number(update, u"current_equity"_s);
                QVERIFY(isDecimal(field(update, u"peak_equity"_s)));
                QVERIFY2(peak >= current, qPrintable(QString::number(peak - current)));
                QCOMPARE(total, current);
                QVERIFY(current > 0);
            } else {
                QCOMPARE(update.event, u"risk_status_update"_s);
                QCOMPARE(field(update, u"status"_s), DemoTradingModel::statusName(riskStatus));
                const double drawdown = number(update, u"drawdown_pct"_s);
                QVERIFY(drawdown >= 0 && drawdown < 1);
                QVERIFY(number(update, u"daily_loss_pct"_s) >= 0);
            }
        }
        QCOMPARE(equityUpdates, 1);
        // Every open position is re-marked every step, and none is forgotten.
        QCOMPARE(updatedThisStep.size() - (updatedThisStep & closed).size(), open.size());
        QCOMPARE(qsizetype(model.openPositions().size()), open.size());
        QVERIFY(open.size() <= DemoTradingModel::MaxOpenPositions);
        if (model.riskStatus() == RiskStatus::HardStop)
            QVERIFY(open.isEmpty());
    }
    QVERIFY(closed.size() > 3);
}

void TestDemoTradingModel::fundingAccruesOnOpenPositions()
{
    // The short perp collects funding while the premium is positive (it is, on average): the
    // positions opened at the start have collected more at every step than not, and clearly
    // more after 50 steps (four hours of market time) than after the first.
    DemoTradingModel model(3);
    QHash<QString, QList<double>> funding; // position id -> funding_collected per step
    for (int i = 0; i < 50; ++i) {
        for (const TradingUpdate& update : model.step().updates) {
            if (update.event == "position_update"_L1 && field(update, u"status"_s) == "open"_L1)
                funding[field(update, u"position_id"_s)].append(
                    number(update, u"funding_collected"_s));
        }
    }
    int followed = 0;
    for (auto it = funding.cbegin(); it != funding.cend(); ++it) {
        const QList<double>& collected = it.value();
        if (collected.size() < 50)
            continue; // opened later
        ++followed;
        int rises = 0;
        for (qsizetype i = 1; i < collected.size(); ++i)
            rises += collected[i] > collected[i - 1] ? 1 : 0;
        qInfo("position %s: funding %.2f after 1 step, %.2f after 50 (%d rises of 49)",
              qPrintable(it.key().left(8)), collected.first(), collected.last(), rises);
        QVERIFY(collected.last() > collected.first() + 1.0);
        QVERIFY(rises >= 30);
    }
    QVERIFY(followed >= 2);
    // The model's own figures match what it published, to the cent.
    for (const DemoTradingModel::Position& position : model.openPositions()) {
        if (funding.value(position.id).size() == 50)
            QVERIFY(std::abs(position.fundingCollected - funding.value(position.id).last()) <
                    0.006);
    }
}

void TestDemoTradingModel::theFirstSoftPauseComesWithinMinutes()
{
    // A new user of --demo sees the risk engine act within four minutes at the default pace,
    // whatever the (random) seed: a squeeze of the perp premium draws the book down.
    const int withinSteps = int(std::chrono::minutes(4) / switchboard::HubConfig().demoInterval);
    QCOMPARE(withinSteps, 240);
    int latest = 0;
    for (quint64 seed = 1; seed <= 100; ++seed) {
        DemoTradingModel model(seed);
        int step = 0;
        while (step < withinSteps && model.riskStatus() == RiskStatus::Normal) {
            model.step();
            ++step;
        }
        QVERIFY2(model.riskStatus() != RiskStatus::Normal,
                 qPrintable(u"seed %1: still normal after %2 steps"_s.arg(seed).arg(step)));
        QVERIFY2(model.drawdown() >= model.limits().softDrawdown - 1e-9 ||
                     model.dailyLoss() >= model.limits().softDailyLoss - 1e-9 ||
                     model.riskStatus() == RiskStatus::HardStop,
                 qPrintable(u"seed %1"_s.arg(seed)));
        latest = std::max(latest, step);
    }
    qInfo("first soft pause or hard stop within %d steps for seeds 1-100", latest);
}

QTEST_GUILESS_MAIN(TestDemoTradingModel)
#include "tst_demo_trading_model.moc"
