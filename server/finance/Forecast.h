#pragma once

// The month-by-month cash forecast of SPEC §5.1, computed from entities. Pure functions
// over values: callable from any thread.
//
// The model, month by month from `firstMonth` (its first day) for `months` months:
//  - an entity is active in a month when start_date <= the month's last day and, if it has
//    one, end_date >= the month's first day (whole months: no proration);
//  - `amount` counts once, in the month that holds start_date;
//  - `monthly` counts in every active month, `salary` / 12 in every active month;
//  - revenue types add to revenue, expense types to expenses, each scaled by the scenario:
//    baseline x1/x1, optimistic revenue x1.2 expenses x0.95, pessimistic revenue x0.8
//    expenses x1.1;
//  - net = revenue - expenses; the cash balance starts at the opening cash and accumulates
//    the nets.
// Opening cash: what every flow dated before `firstMonth` adds up to (one-off amounts and the
// recurring flows of the months already past, unscaled: the scenario is about the future).
// The entity files are one timeline, so a forecast run a month later continues the earlier
// one: its opening cash is the earlier forecast's balance after its first month.
// Burn rate: the average monthly net outflow, sum over months of max(0, expenses - revenue)
// divided by the number of months (a month with net inflow adds 0, so a funding round does
// not hide the burn of the other months).
// Runway, in (fractional) months from the start of `firstMonth`:
//  - when the balance goes below zero in month k (0-based) having been B before it (B: the
//    opening cash before the first month; a negative B counts as 0), runway =
//    k + B / (expenses_k - revenue_k): the point in
//    month k at which the cash ran out, spending evenly through the month;
//  - else, if the last month's net is an outflow, the balance lasts beyond the forecast at
//    that (the current) burn: runway = months + final balance / last month's outflow;
//  - else (the last month breaks even or better) runway is empty: cash never runs out.

#include "entities/Entity.h"

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace switchboard {

enum class Scenario { Baseline, Optimistic, Pessimistic };

// "baseline", "optimistic", "pessimistic" (the names the job API takes).
std::optional<Scenario> scenarioFromName(const QString& name);
QString scenarioName(Scenario scenario);

struct ScenarioMultipliers {
    double revenue = 1.0;
    double expenses = 1.0;
};
ScenarioMultipliers scenarioMultipliers(Scenario scenario);

// A forecast longer than this is refused by callers (50 years of months).
inline constexpr int MaxForecastMonths = 600;

struct ForecastMonth {
    QDate month; // the first day of the month
    double revenue = 0, expenses = 0, net = 0, cashBalance = 0;
};

struct ForecastResult {
    QList<ForecastMonth> months;
    double openingCash = 0; // the balance before the first month
    double burnRate = 0;
    std::optional<double> runwayMonths;

    double endingCash() const { return months.isEmpty() ? openingCash : months.last().cashBalance; }
    // {months: [{month: "2025-01", revenue, expenses, net, cash_balance}], opening_cash,
    //  burn_rate, runway_months (null: never runs out), ending_cash, total_revenue,
    //  total_expenses};
    // money rounded to cents, runway to 0.01 month.
    QJsonObject toJson() const;
};

// `firstMonth` may be any day of the month; months <= 0 or an invalid date give an empty
// result (no months, burn 0, no runway).
ForecastResult computeForecast(const QList<Entity>& entities, QDate firstMonth, int months,
                               Scenario scenario);

// The cash flows of each month before scenario scaling, split into recurring (monthly,
// salary) and one-off (amount) parts, and the opening cash (the net of every flow before the
// first month); the forecast and the Monte Carlo simulation share it.
struct MonthlyFlows {
    QList<double> recurringRevenue, oneOffRevenue, recurringExpenses, oneOffExpenses;
    double openingCash = 0;
};
MonthlyFlows monthlyFlows(const QList<Entity>& entities, QDate firstMonth, int months);

} // namespace switchboard
