// The cash forecast of SPEC §5.1, checked against small entity sets computed by hand (each
// test shows its computation). The model is documented in finance/Forecast.h.

#include "finance/Forecast.h"

#include <QJsonArray>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace switchboard;

namespace {

Entity entity(const QString& type, QDate start, std::optional<QDate> end = std::nullopt)
{
    Entity e;
    e.id = type;
    e.type = type;
    e.name = type;
    e.startDate = start;
    e.endDate = end;
    return e;
}

Entity oneOff(const QString& type, QDate start, double amount)
{
    Entity e = entity(type, start);
    e.amount = amount;
    return e;
}

Entity recurring(const QString& type, QDate start, std::optional<QDate> end, double monthly)
{
    Entity e = entity(type, start, end);
    e.monthly = monthly;
    return e;
}

Entity employee(QDate start, std::optional<QDate> end, double salary)
{
    Entity e = entity(u"employee"_s, start, end);
    e.salary = salary;
    return e;
}

// Compares money to the cent.
bool near(double actual, double expected)
{
    return std::abs(actual - expected) < 0.005;
}

#define COMPARE_MONEY(actual, expected)                                                            \
    QVERIFY2(near(double(actual), double(expected)),                                               \
             qPrintable(u"%1 is %2, expected %3"_s.arg(QStringLiteral(#actual))                    \
                            .arg(double(actual), 0, 'f', 4)                                        \
                            .arg(double(expected), 0, 'f', 4)))

// Six months from January 2025 of:
//   grant      60 000 once, 2025-02-15                 -> February
//   service     5 000 a month, 2025-01-01..2025-04-30  -> January to April
//   employee  120 000 a year from 2025-03-01           -> 10 000 a month from March
//   software    1 000 a month from 2024-06-01          -> every month
//   equipment   3 000 once, 2025-01-10                 -> January
//   sale        7 000 once, 2024-12-01                 -> before the forecast
// Opening cash: the sale (+7 000) and the software's seven months of 2024 (-7 000): 0.
QList<Entity> sixMonthSet()
{
    return {oneOff(u"grant"_s, QDate(2025, 2, 15), 60000),
            recurring(u"service"_s, QDate(2025, 1, 1), QDate(2025, 4, 30), 5000),
            employee(QDate(2025, 3, 1), std::nullopt, 120000),
            recurring(u"software"_s, QDate(2024, 6, 1), std::nullopt, 1000),
            oneOff(u"equipment"_s, QDate(2025, 1, 10), 3000),
            oneOff(u"sale"_s, QDate(2024, 12, 1), 7000)};
}

} // namespace

class tst_Forecast : public QObject {
    Q_OBJECT

private slots:
    void baselineMonthByMonth();
    void optimisticAndPessimisticScaleRevenueAndExpenses();
    void runwayWhenCashRunsOutInsideTheForecast();
    void runwayIsEmptyWhenNeverRunningOut();
    void activeMonthsIncludeStartAndEndMonths();
    void flowsBeforeTheForecastMakeTheOpeningCash();
    void aForecastAMonthLaterContinuesTheEarlierOne();
    void cashGoneBeforeTheForecastMeansNoRunway();
    void firstMonthMayBeAnyDay();
    void emptyInputs();
    void scenarioNames();
    void jsonHasEveryFigure();
};

void tst_Forecast::baselineMonthByMonth()
{
    // month  revenue           expenses               net      balance
    // Jan    5 000             1 000 + 3 000 = 4 000   1 000    1 000
    // Feb    5 000 + 60 000    1 000                  64 000   65 000
    // Mar    5 000             1 000 + 10 000 = 11 000 -6 000   59 000
    // Apr    5 000             11 000                 -6 000   53 000
    // May    0                 11 000                -11 000   42 000
    // Jun    0                 11 000                -11 000   31 000
    // burn   (0 + 0 + 6 000 + 6 000 + 11 000 + 11 000) / 6 = 34 000 / 6 = 5 666.67
    // runway never below zero in six months; June burns 11 000, so 6 + 31 000 / 11 000
    //        = 8.818181...
    const ForecastResult result =
        computeForecast(sixMonthSet(), QDate(2025, 1, 1), 6, Scenario::Baseline);
    QCOMPARE(result.months.size(), 6);
    const double revenue[] = {5000, 65000, 5000, 5000, 0, 0};
    const double expenses[] = {4000, 1000, 11000, 11000, 11000, 11000};
    const double net[] = {1000, 64000, -6000, -6000, -11000, -11000};
    const double balance[] = {1000, 65000, 59000, 53000, 42000, 31000};
    for (int i = 0; i < 6; ++i) {
        const ForecastMonth& month = result.months[i];
        QCOMPARE(month.month, QDate(2025, 1 + i, 1));
        COMPARE_MONEY(month.revenue, revenue[i]);
        COMPARE_MONEY(month.expenses, expenses[i]);
        COMPARE_MONEY(month.net, net[i]);
        COMPARE_MONEY(month.cashBalance, balance[i]);
    }
    COMPARE_MONEY(result.burnRate, 34000.0 / 6);
    QVERIFY(result.runwayMonths);
    QVERIFY(std::abs(*result.runwayMonths - (6 + 31000.0 / 11000)) < 1e-9);
    COMPARE_MONEY(result.endingCash(), 31000);
    COMPARE_MONEY(result.openingCash, 0);
}

void tst_Forecast::optimisticAndPessimisticScaleRevenueAndExpenses()
{
    // Optimistic: revenue x1.2, expenses x0.95.
    // month  revenue   expenses   net       balance
    // Jan     6 000     3 800      2 200     2 200
    // Feb    78 000       950     77 050    79 250
    // Mar     6 000    10 450     -4 450    74 800
    // Apr     6 000    10 450     -4 450    70 350
    // May         0    10 450    -10 450    59 900
    // Jun         0    10 450    -10 450    49 450
    // burn   (4 450 * 2 + 10 450 * 2) / 6 = 29 800 / 6 = 4 966.67
    // runway 6 + 49 450 / 10 450 = 10.732057...
    const ForecastResult optimistic =
        computeForecast(sixMonthSet(), QDate(2025, 1, 1), 6, Scenario::Optimistic);
    const double optimisticBalance[] = {2200, 79250, 74800, 70350, 59900, 49450};
    for (int i = 0; i < 6; ++i)
        COMPARE_MONEY(optimistic.months[i].cashBalance, optimisticBalance[i]);
    COMPARE_MONEY(optimistic.months[1].revenue, 78000);
    COMPARE_MONEY(optimistic.months[2].expenses, 10450);
    COMPARE_MONEY(optimistic.burnRate, 29800.0 / 6);
    QVERIFY(std::abs(*optimistic.runwayMonths - (6 + 49450.0 / 10450)) < 1e-9);

    // Pessimistic: revenue x0.8, expenses x1.1.
    // month  revenue   expenses   net       balance
    // Jan     4 000     4 400       -400      -400   <- below zero in month 0
    // Feb    52 000     1 100     50 900    50 500
    // Mar     4 000    12 100     -8 100    42 400
    // Apr     4 000    12 100     -8 100    34 300
    // May         0    12 100    -12 100    22 200
    // Jun         0    12 100    -12 100    10 100
    // burn   (400 + 8 100 * 2 + 12 100 * 2) / 6 = 40 800 / 6 = 6 800
    // runway the balance first goes below zero in January, from 0: 0 + 0 / 400 = 0
    const ForecastResult pessimistic =
        computeForecast(sixMonthSet(), QDate(2025, 1, 1), 6, Scenario::Pessimistic);
    const double pessimisticBalance[] = {-400, 50500, 42400, 34300, 22200, 10100};
    for (int i = 0; i < 6; ++i)
        COMPARE_MONEY(pessimistic.months[i].cashBalance, pessimisticBalance[i]);
    COMPARE_MONEY(pessimistic.burnRate, 6800);
    QCOMPARE(pessimistic.runwayMonths, std::optional<double>(0.0));
}

void tst_Forecast::runwayWhenCashRunsOutInsideTheForecast()
{
    // investment 100 000 once in January 2025; facility 30 000 a month from January.
    // month  net        balance
    // Jan     70 000     70 000
    // Feb    -30 000     40 000
    // Mar    -30 000     10 000
    // Apr    -30 000    -20 000  <- below zero in month 3 (0-based), from 10 000
    // May    -30 000    -50 000
    // runway 3 + 10 000 / 30 000 = 3.333...
    // burn   (0 + 30 000 * 4) / 5 = 24 000
    const QList<Entity> entities = {
        oneOff(u"investment"_s, QDate(2025, 1, 1), 100000),
        recurring(u"facility"_s, QDate(2025, 1, 1), std::nullopt, 30000)};
    const ForecastResult result =
        computeForecast(entities, QDate(2025, 1, 1), 5, Scenario::Baseline);
    QVERIFY(result.runwayMonths);
    QVERIFY(std::abs(*result.runwayMonths - (3 + 10000.0 / 30000)) < 1e-9);
    COMPARE_MONEY(result.burnRate, 24000);
    COMPARE_MONEY(result.months[3].cashBalance, -20000);
    COMPARE_MONEY(result.endingCash(), -50000);
}

void tst_Forecast::runwayIsEmptyWhenNeverRunningOut()
{
    // service 10 000 a month from January; software 4 000 a month, January to March.
    // Every month nets +6 000 or +10 000: never below zero, the last month is no outflow.
    // burn 0; runway empty.
    const QList<Entity> entities = {
        recurring(u"service"_s, QDate(2025, 1, 1), std::nullopt, 10000),
        recurring(u"software"_s, QDate(2025, 1, 1), QDate(2025, 3, 31), 4000)};
    const ForecastResult result =
        computeForecast(entities, QDate(2025, 1, 1), 12, Scenario::Baseline);
    QVERIFY(!result.runwayMonths);
    COMPARE_MONEY(result.burnRate, 0);
    COMPARE_MONEY(result.endingCash(), 3 * 6000 + 9 * 10000);

    // Burning in some months but breaking even in the last: still no runway.
    // grant 50 000 in January, employee 60 000 a year (5 000 a month) January to June.
    const QList<Entity> temporaryBurn = {oneOff(u"grant"_s, QDate(2025, 1, 1), 50000),
                                         employee(QDate(2025, 1, 1), QDate(2025, 6, 30), 60000)};
    const ForecastResult second =
        computeForecast(temporaryBurn, QDate(2025, 1, 1), 12, Scenario::Baseline);
    QVERIFY(!second.runwayMonths);
    // burn (0 + 5 000 * 5 + 0 * 6) / 12 = 25 000 / 12
    COMPARE_MONEY(second.burnRate, 25000.0 / 12);
    COMPARE_MONEY(second.endingCash(), 20000);
}

void tst_Forecast::activeMonthsIncludeStartAndEndMonths()
{
    // software 100 a month, 2025-01-31 .. 2025-03-01: January, February and March count.
    const QList<Entity> entities = {
        recurring(u"software"_s, QDate(2025, 1, 31), QDate(2025, 3, 1), 100)};
    const ForecastResult result =
        computeForecast(entities, QDate(2025, 1, 1), 4, Scenario::Baseline);
    COMPARE_MONEY(result.months[0].expenses, 100);
    COMPARE_MONEY(result.months[1].expenses, 100);
    COMPARE_MONEY(result.months[2].expenses, 100);
    COMPARE_MONEY(result.months[3].expenses, 0);

    // One-off amounts in the month of their start date, even with an end date; an amount
    // after the forecast is not counted.
    Entity both = recurring(u"facility"_s, QDate(2025, 2, 10), QDate(2025, 2, 20), 1000);
    both.amount = 500;
    const ForecastResult second =
        computeForecast({both, oneOff(u"equipment"_s, QDate(2026, 1, 1), 7)}, QDate(2025, 1, 1), 3,
                        Scenario::Baseline);
    COMPARE_MONEY(second.months[0].expenses, 0);
    COMPARE_MONEY(second.months[1].expenses, 1500);
    COMPARE_MONEY(second.months[2].expenses, 0);
}

void tst_Forecast::flowsBeforeTheForecastMakeTheOpeningCash()
{
    // From April 2025, three months, of:
    //   investment 100 000 once, 2025-01-15          -> before: +100 000
    //   employee    60 000 a year from 2025-02-01    -> February, March before: -10 000;
    //                                                   5 000 a month after
    //   facility     2 000 a month 2024-11-01..2025-01-31 -> three months before: -6 000
    //   equipment    4 000 once, 2025-03-31          -> before: -4 000
    //   service      1 000 a month from 2025-04-01   -> not before; 1 000 a month after
    // opening 100 000 - 10 000 - 6 000 - 4 000 = 80 000, untouched by the scenario
    // month  net      balance
    // Apr    -4 000   76 000
    // May    -4 000   72 000
    // Jun    -4 000   68 000
    const QList<Entity> entities = {
        oneOff(u"investment"_s, QDate(2025, 1, 15), 100000),
        employee(QDate(2025, 2, 1), std::nullopt, 60000),
        recurring(u"facility"_s, QDate(2024, 11, 1), QDate(2025, 1, 31), 2000),
        oneOff(u"equipment"_s, QDate(2025, 3, 31), 4000),
        recurring(u"service"_s, QDate(2025, 4, 1), std::nullopt, 1000)};
    const ForecastResult result =
        computeForecast(entities, QDate(2025, 4, 1), 3, Scenario::Baseline);
    COMPARE_MONEY(result.openingCash, 80000);
    COMPARE_MONEY(result.months[0].cashBalance, 76000);
    COMPARE_MONEY(result.endingCash(), 68000);
    COMPARE_MONEY(result.months[0].expenses, 5000); // the past is not counted again
    QVERIFY(result.runwayMonths);
    QVERIFY(std::abs(*result.runwayMonths - (3 + 68000.0 / 4000)) < 1e-9);
    QCOMPARE(result.toJson().value(u"opening_cash"_s).toDouble(), 80000.0);

    // The scenario is about the future: the opening is the same, the months are scaled.
    const ForecastResult pessimistic =
        computeForecast(entities, QDate(2025, 4, 1), 3, Scenario::Pessimistic);
    COMPARE_MONEY(pessimistic.openingCash, 80000);
    COMPARE_MONEY(pessimistic.months[0].cashBalance, 80000 + 1000 * 0.8 - 5000 * 1.1);
}

void tst_Forecast::aForecastAMonthLaterContinuesTheEarlierOne()
{
    // The entity files are one timeline: a forecast from February is the January forecast
    // without its first month, whatever the flows.
    const ForecastResult january =
        computeForecast(sixMonthSet(), QDate(2025, 1, 1), 6, Scenario::Baseline);
    const ForecastResult february =
        computeForecast(sixMonthSet(), QDate(2025, 2, 1), 5, Scenario::Baseline);
    COMPARE_MONEY(february.openingCash, january.months[0].cashBalance);
    for (int i = 0; i < 5; ++i)
        COMPARE_MONEY(february.months[i].cashBalance, january.months[i + 1].cashBalance);
    QVERIFY(std::abs(*february.runwayMonths + 1 - *january.runwayMonths) < 1e-9);
    // A year on, the months in between are past too.
    const ForecastResult later =
        computeForecast(sixMonthSet(), QDate(2026, 1, 1), 1, Scenario::Baseline);
    // 31 000 after June 2025, then July to December at 11 000 a month.
    COMPARE_MONEY(later.openingCash, 31000 - 6 * 11000);
}

void tst_Forecast::cashGoneBeforeTheForecastMeansNoRunway()
{
    // facility 1 000 a month since 2024-10: 3 000 spent before January 2025, nothing came in.
    // A service of 1 000 a month from January breaks even: the balance stays at -3 000, the
    // cash ran out before the forecast began, so the runway is 0 (not a division by zero).
    const QList<Entity> entities = {
        recurring(u"facility"_s, QDate(2024, 10, 1), std::nullopt, 1000),
        recurring(u"service"_s, QDate(2025, 1, 1), std::nullopt, 1000)};
    const ForecastResult result =
        computeForecast(entities, QDate(2025, 1, 1), 3, Scenario::Baseline);
    COMPARE_MONEY(result.openingCash, -3000);
    COMPARE_MONEY(result.endingCash(), -3000);
    QCOMPARE(result.runwayMonths, std::optional<double>(0.0));
}

void tst_Forecast::firstMonthMayBeAnyDay()
{
    // A forecast from 2025-03-17 covers March, April... whole months.
    const QList<Entity> entities = {oneOff(u"sale"_s, QDate(2025, 3, 2), 800)};
    const ForecastResult result =
        computeForecast(entities, QDate(2025, 3, 17), 2, Scenario::Baseline);
    QCOMPARE(result.months[0].month, QDate(2025, 3, 1));
    QCOMPARE(result.months[1].month, QDate(2025, 4, 1));
    COMPARE_MONEY(result.months[0].revenue, 800);

    // Across a year end: December then January.
    const ForecastResult yearEnd =
        computeForecast({recurring(u"service"_s, QDate(2026, 1, 1), std::nullopt, 10)},
                        QDate(2025, 12, 5), 2, Scenario::Baseline);
    QCOMPARE(yearEnd.months[1].month, QDate(2026, 1, 1));
    COMPARE_MONEY(yearEnd.months[0].revenue, 0);
    COMPARE_MONEY(yearEnd.months[1].revenue, 10);
}

void tst_Forecast::emptyInputs()
{
    const ForecastResult none = computeForecast({}, QDate(2025, 1, 1), 3, Scenario::Baseline);
    QCOMPARE(none.months.size(), 3);
    QVERIFY(!none.runwayMonths);
    COMPARE_MONEY(none.burnRate, 0);

    QVERIFY(
        computeForecast(sixMonthSet(), QDate(2025, 1, 1), 0, Scenario::Baseline).months.isEmpty());
    QVERIFY(computeForecast(sixMonthSet(), QDate(), 12, Scenario::Baseline).months.isEmpty());
}

void tst_Forecast::scenarioNames()
{
    for (const Scenario scenario :
         {Scenario::Baseline, Scenario::Optimistic, Scenario::Pessimistic})
        QCOMPARE(scenarioFromName(scenarioName(scenario)), std::optional<Scenario>(scenario));
    QCOMPARE(scenarioName(Scenario::Optimistic), u"optimistic"_s);
    QVERIFY(!scenarioFromName(u"rosy"_s));
    QVERIFY(!scenarioFromName(u"Baseline"_s));
}

void tst_Forecast::jsonHasEveryFigure()
{
    const ForecastResult result =
        computeForecast(sixMonthSet(), QDate(2025, 1, 1), 6, Scenario::Baseline);
    const QJsonObject json = result.toJson();
    const QJsonArray months = json.value(u"months"_s).toArray();
    QCOMPARE(months.size(), 6);
    const QJsonObject march = months[2].toObject();
    QCOMPARE(march.value(u"month"_s).toString(), u"2025-03"_s);
    QCOMPARE(march.value(u"revenue"_s).toDouble(), 5000.0);
    QCOMPARE(march.value(u"expenses"_s).toDouble(), 11000.0);
    QCOMPARE(march.value(u"net"_s).toDouble(), -6000.0);
    QCOMPARE(march.value(u"cash_balance"_s).toDouble(), 59000.0);
    QCOMPARE(json.value(u"burn_rate"_s).toDouble(), 5666.67);
    QCOMPARE(json.value(u"runway_months"_s).toDouble(), 8.82);
    QCOMPARE(json.value(u"ending_cash"_s).toDouble(), 31000.0);
    QCOMPARE(json.value(u"opening_cash"_s).toDouble(), 0.0);
    QCOMPARE(json.value(u"total_revenue"_s).toDouble(), 80000.0);
    QCOMPARE(json.value(u"total_expenses"_s).toDouble(), 49000.0);

    const QJsonObject never =
        computeForecast({}, QDate(2025, 1, 1), 1, Scenario::Baseline).toJson();
    QVERIFY(never.value(u"runway_months"_s).isNull());
}

QTEST_GUILESS_MAIN(tst_Forecast)
#include "tst_forecast.moc"
