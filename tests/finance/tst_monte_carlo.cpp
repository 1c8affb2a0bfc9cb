// The Monte Carlo simulation of SPEC §5.1: seeded and reproducible whatever the threads,
// ordered percentiles, the deterministic forecast when nothing is random, progress and prompt
// cancellation, and 100 000 x 24 months in a few seconds. The model: finance/MonteCarlo.h.

#include "finance/MonteCarlo.h"

#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <cmath>
#include <optional>
#include <thread>

using namespace Qt::StringLiterals;
using namespace switchboard;

namespace {

Entity make(const QString& type, QDate start, std::optional<double> amount,
            std::optional<double> monthly, std::optional<double> salary = std::nullopt)
{
    Entity e;
    e.id = type;
    e.type = type;
    e.name = type;
    e.startDate = start;
    e.amount = amount;
    e.monthly = monthly;
    e.salary = salary;
    return e;
}

// A small company: 600 000 raised, 25 000 a month of revenue, 45 000 a month of costs; the
// deterministic forecast ends 24 months later at 600 000 - 24 * 20 000 = 120 000.
QList<Entity> company()
{
    return {make(u"investment"_s, QDate(2025, 1, 1), 600000, std::nullopt),
            make(u"service"_s, QDate(2025, 1, 1), std::nullopt, 25000),
            make(u"employee"_s, QDate(2025, 1, 1), std::nullopt, std::nullopt, 420000),
            make(u"facility"_s, QDate(2025, 1, 1), std::nullopt, 10000)};
}

const QDate January2025(2025, 1, 1);

MonteCarloParams still()
{
    MonteCarloParams params;
    params.revenueGrowthMean = 0;
    params.revenueGrowthStdDev = 0;
    params.expenseInflationMean = 0;
    params.expenseInflationStdDev = 0;
    return params;
}

} // namespace

class tst_MonteCarlo : public QObject {
    Q_OBJECT

private slots:
    void sameSeedSameResultWhateverTheThreads();
    void otherSeedOtherResult();
    void percentilesAreOrdered();
    void zeroVolatilityIsTheDeterministicForecast_data();
    void zeroVolatilityIsTheDeterministicForecast();
    void meanInflationCompoundsOnRecurringCostsOnly();
    void thePastIsTheOpeningCashAndNotRandom();
    void switchedOffVariablesAreNotRandom();
    void progressIsReportedThroughoutAndEndsAtTheTotal();
    void cancellationIsPrompt();
    void hundredThousandIterationsInAFewSeconds();
    void aBigRunUsesSeveralThreads();
    void aSmallRunStaysOnOneThread();
    void simultaneousRunsShareTheCores();
    void emptyInputs();
    void jsonHasEveryFigure();
};

void tst_MonteCarlo::sameSeedSameResultWhateverTheThreads()
{
    MonteCarloParams params;
    params.iterations = 5000;
    params.seed = 7;
    params.threads = 1;
    const MonteCarloResult one = runMonteCarlo(company(), January2025, params, {});
    params.threads = 3;
    const MonteCarloResult three = runMonteCarlo(company(), January2025, params, {});
    params.threads = 0;
    const MonteCarloResult automatic = runMonteCarlo(company(), January2025, params, {});
    for (const MonteCarloResult* other : {&three, &automatic}) {
        QCOMPARE(other->p5, one.p5);
        QCOMPARE(other->p50, one.p50);
        QCOMPARE(other->p95, one.p95);
        QCOMPARE(other->mean, one.mean);
        QCOMPARE(other->probabilityOfRunningOut, one.probabilityOfRunningOut);
        QCOMPARE(other->iterations, 5000);
    }
}

void tst_MonteCarlo::otherSeedOtherResult()
{
    MonteCarloParams params;
    params.iterations = 2000;
    params.seed = 1;
    const MonteCarloResult first = runMonteCarlo(company(), January2025, params, {});
    params.seed = 2;
    const MonteCarloResult second = runMonteCarlo(company(), January2025, params, {});
    QVERIFY(first.p50 != second.p50);
    // ... yet both describe the same company: the medians are close.
    QVERIFY(std::abs(first.p50 - second.p50) < 20000);
}

void tst_MonteCarlo::percentilesAreOrdered()
{
    MonteCarloParams params;
    params.iterations = 20000;
    params.revenueGrowthStdDev = 0.05;
    const MonteCarloResult result = runMonteCarlo(company(), January2025, params, {});
    QCOMPARE(result.iterations, 20000);
    QVERIFY(result.p5 < result.p50);
    QVERIFY(result.p50 < result.p95);
    QVERIFY(result.probabilityOfRunningOut > 0.0);
    QVERIFY(result.probabilityOfRunningOut < 1.0);
    // Revenue of 25 000 a month, 5 % a month of noise: the spread after two years is wide.
    QVERIFY(result.p95 - result.p5 > 100000);
}

void tst_MonteCarlo::zeroVolatilityIsTheDeterministicForecast_data()
{
    QTest::addColumn<int>("scenario");
    QTest::addColumn<int>("months");
    QTest::newRow("baseline 24") << int(Scenario::Baseline) << 24;
    QTest::newRow("optimistic 36") << int(Scenario::Optimistic) << 36;
    QTest::newRow("pessimistic 24") << int(Scenario::Pessimistic) << 24;
}

void tst_MonteCarlo::zeroVolatilityIsTheDeterministicForecast()
{
    QFETCH(int, scenario);
    QFETCH(int, months);
    MonteCarloParams params = still();
    params.iterations = 500;
    params.months = months;
    params.scenario = Scenario(scenario);
    const MonteCarloResult result = runMonteCarlo(company(), January2025, params, {});
    const ForecastResult forecast =
        computeForecast(company(), January2025, months, Scenario(scenario));

    QVERIFY(std::abs(result.p5 - forecast.endingCash()) < 1e-6);
    QVERIFY(std::abs(result.p50 - forecast.endingCash()) < 1e-6);
    QVERIFY(std::abs(result.p95 - forecast.endingCash()) < 1e-6);
    bool ranOut = false;
    for (const ForecastMonth& month : forecast.months)
        ranOut = ranOut || month.cashBalance < 0;
    QCOMPARE(result.probabilityOfRunningOut, ranOut ? 1.0 : 0.0);
}

void tst_MonteCarlo::meanInflationCompoundsOnRecurringCostsOnly()
{
    // facility 1 000 a month and equipment 500 once in January; inflation exactly 10 % a
    // month (no noise), applied from the first month:
    //   January   1 000 x 1.1  + 500 = 1 600     balance -1 600
    //   February  1 000 x 1.21       = 1 210     balance -2 810
    const QList<Entity> entities = {make(u"facility"_s, January2025, std::nullopt, 1000),
                                    make(u"equipment"_s, January2025, 500, std::nullopt)};
    MonteCarloParams params = still();
    params.iterations = 10;
    params.months = 2;
    params.expenseInflationMean = 0.10;
    const MonteCarloResult result = runMonteCarlo(entities, January2025, params, {});
    QVERIFY2(std::abs(result.p50 - -2810.0) < 1e-9, qPrintable(QString::number(result.p50)));
    QCOMPARE(result.probabilityOfRunningOut, 1.0);
}

void tst_MonteCarlo::thePastIsTheOpeningCashAndNotRandom()
{
    // From July 2025 the company's first six months are past: 600 000 - 6 x 20 000 = 480 000.
    const QDate july(2025, 7, 1);
    MonteCarloParams params = still();
    params.iterations = 50;
    params.months = 6;
    const MonteCarloResult result = runMonteCarlo(company(), july, params, {});
    const ForecastResult forecast = computeForecast(company(), july, 6, Scenario::Baseline);
    QCOMPARE(result.openingCash, 480000.0);
    QCOMPARE(forecast.openingCash, 480000.0);
    QVERIFY(std::abs(result.p50 - forecast.endingCash()) < 1e-6);
    QCOMPARE(result.toJson().value(u"opening_cash"_s).toDouble(), 480000.0);

    // With noise the months ahead spread, but every iteration starts from the same 480 000:
    // six months of at most ~20 000 of net outflow with modest noise cannot fall below 0.
    params = MonteCarloParams();
    params.iterations = 2000;
    params.months = 6;
    const MonteCarloResult noisy = runMonteCarlo(company(), july, params, {});
    QCOMPARE(noisy.openingCash, 480000.0);
    QCOMPARE(noisy.probabilityOfRunningOut, 0.0);
    QVERIFY(noisy.p5 > 300000);
}

void tst_MonteCarlo::switchedOffVariablesAreNotRandom()
{
    MonteCarloParams params;
    params.iterations = 300;
    params.revenueGrowth = false;
    params.expenseInflation = false;
    const MonteCarloResult result = runMonteCarlo(company(), January2025, params, {});
    QCOMPARE(result.p5, result.p95);
    QVERIFY(std::abs(result.p50 - 120000.0) < 1e-6);
}

void tst_MonteCarlo::progressIsReportedThroughoutAndEndsAtTheTotal()
{
    MonteCarloParams params;
    params.iterations = 100000;
    QList<int> reports;
    const MonteCarloResult result =
        runMonteCarlo(company(), January2025, params, [&reports](int done) {
            reports.append(done);
            return true;
        });
    QCOMPARE(result.iterations, 100000);
    QVERIFY2(reports.size() >= 10, qPrintable(QString::number(reports.size())));
    QVERIFY2(reports.size() <= 101, qPrintable(QString::number(reports.size())));
    QCOMPARE(reports.last(), 100000);
    QVERIFY(std::is_sorted(reports.cbegin(), reports.cend()));
    QVERIFY(reports.first() < 50000);
}

void tst_MonteCarlo::cancellationIsPrompt()
{
    // Large enough to run for many seconds if the cancel were ignored.
    MonteCarloParams params;
    params.iterations = 5'000'000;
    params.months = 120;
    QElapsedTimer sinceCancel;
    int callsAfterCancel = 0;
    const MonteCarloResult result = runMonteCarlo(company(), January2025, params, [&](int done) {
        if (sinceCancel.isValid()) {
            ++callsAfterCancel;
            return false;
        }
        if (done >= params.iterations / 50) { // 2 %
            sinceCancel.start();
            return false;
        }
        return true;
    });
    QVERIFY(sinceCancel.isValid());
    const qint64 stopMs = sinceCancel.elapsed();
    qInfo("stopped %lld ms after the cancel, %d iterations done", stopMs, result.iterations);
    QVERIFY2(stopMs < 1000, qPrintable(QString::number(stopMs)));
    QVERIFY(result.iterations < params.iterations / 2);
    QVERIFY(result.iterations >= params.iterations / 50);
    QCOMPARE(callsAfterCancel, 0);
}

void tst_MonteCarlo::hundredThousandIterationsInAFewSeconds()
{
    MonteCarloParams params;
    params.iterations = 100000;
    params.months = 24;
    QElapsedTimer timer;
    timer.start();
    const MonteCarloResult result = runMonteCarlo(company(), January2025, params, {});
    const qint64 ms = timer.elapsed();
    qInfo("100 000 iterations x 24 months: %lld ms", ms);
    QCOMPARE(result.iterations, 100000);
    // Well under a second in a release build here; the bound leaves room for sanitisers.
    QVERIFY2(ms < 10000, qPrintable(QString::number(ms)));
}

void tst_MonteCarlo::aBigRunUsesSeveralThreads()
{
    if (std::thread::hardware_concurrency() < 2)
        QSKIP("one core: nothing to run in parallel");
    MonteCarloParams params;
    params.iterations = 200000;
    params.months = 24;
    const MonteCarloResult result = runMonteCarlo(company(), January2025, params, {});
    QCOMPARE(result.iterations, 200000);
    qInfo("200 000 x 24 months: %d threads of %u cores", result.threadsUsed,
          std::thread::hardware_concurrency());
    QVERIFY2(result.threadsUsed >= 2, qPrintable(QString::number(result.threadsUsed)));
    QVERIFY(result.threadsUsed <= int(std::thread::hardware_concurrency()));
}

void tst_MonteCarlo::aSmallRunStaysOnOneThread()
{
    // 1 000 x 24 months is under a millisecond: a helper thread would not pay for itself.
    MonteCarloParams params;
    params.iterations = 1000;
    params.months = 24;
    QCOMPARE(runMonteCarlo(company(), January2025, params, {}).threadsUsed, 1);
    params.iterations = 20000;
    params.months = 1;
    QCOMPARE(runMonteCarlo(company(), January2025, params, {}).threadsUsed, 1);
}

void tst_MonteCarlo::simultaneousRunsShareTheCores()
{
    if (std::thread::hardware_concurrency() < 2)
        QSKIP("one core: nothing to share");
    // While a big run holds every core, a second one started meanwhile (here from the first
    // one's progress callback, on its calling thread) gets only its own thread.
    MonteCarloParams params;
    params.iterations = 200000;
    params.months = 24;
    std::optional<MonteCarloResult> second;
    const MonteCarloResult first = runMonteCarlo(company(), January2025, params, [&](int /*done*/) {
        if (!second)
            second = runMonteCarlo(company(), January2025, params, {});
        return true;
    });
    QVERIFY(second);
    QCOMPARE(second->iterations, 200000);
    QCOMPARE(second->threadsUsed, 1);
    QCOMPARE(first.iterations, 200000);
    // The same numbers whatever the threads.
    QCOMPARE(second->p50, first.p50);
    // The cores are free again once both are done.
    QVERIFY(runMonteCarlo(company(), January2025, params, {}).threadsUsed >= 2);
}

void tst_MonteCarlo::emptyInputs()
{
    MonteCarloParams params;
    params.iterations = 0;
    QCOMPARE(runMonteCarlo(company(), January2025, params, {}).iterations, 0);
    params.iterations = 10;
    params.months = 0;
    QCOMPARE(runMonteCarlo(company(), January2025, params, {}).iterations, 0);
    params.months = 12;
    QCOMPARE(runMonteCarlo(company(), QDate(), params, {}).iterations, 0);
    // No entities: nothing happens, nothing runs out.
    const MonteCarloResult nothing = runMonteCarlo({}, January2025, params, {});
    QCOMPARE(nothing.iterations, 10);
    QCOMPARE(nothing.p50, 0.0);
    QCOMPARE(nothing.probabilityOfRunningOut, 0.0);
}

void tst_MonteCarlo::jsonHasEveryFigure()
{
    MonteCarloParams params = still();
    params.iterations = 4;
    const QJsonObject json = runMonteCarlo(company(), January2025, params, {}).toJson();
    QCOMPARE(json.value(u"p5"_s).toDouble(), 120000.0);
    QCOMPARE(json.value(u"p50"_s).toDouble(), 120000.0);
    QCOMPARE(json.value(u"p95"_s).toDouble(), 120000.0);
    QCOMPARE(json.value(u"probability_of_running_out"_s).toDouble(), 0.0);
    QCOMPARE(json.value(u"iterations"_s).toInt(), 4);
    QCOMPARE(json.value(u"months"_s).toInt(), 24);
    QCOMPARE(json.value(u"mean"_s).toDouble(), 120000.0);
}

QTEST_GUILESS_MAIN(tst_MonteCarlo)
#include "tst_monte_carlo.moc"
