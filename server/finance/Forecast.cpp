#include "finance/Forecast.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace switchboard {
namespace {

double cents(double value)
{
    return std::round(value * 100.0) / 100.0;
}

QDate monthStart(QDate date)
{
    return QDate(date.year(), date.month(), 1);
}

} // namespace

std::optional<Scenario> scenarioFromName(const QString& name)
{
    for (const Scenario scenario :
         {Scenario::Baseline, Scenario::Optimistic, Scenario::Pessimistic}) {
        if (name == scenarioName(scenario))
            return scenario;
    }
    return std::nullopt;
}

QString scenarioName(Scenario scenario)
{
    switch (scenario) {
    case Scenario::Baseline:
        return u"baseline"_s;
    case Scenario::Optimistic:
        return u"optimistic"_s;
    case Scenario::Pessimistic:
        return u"pessimistic"_s;
    }
    Q_UNREACHABLE();
    return {};
}

ScenarioMultipliers scenarioMultipliers(Scenario scenario)
{
    switch (scenario) {
    case Scenario::Baseline:
        return {1.0, 1.0};
    case Scenario::Optimistic:
        return {1.2, 0.95};
    case Scenario::Pessimistic:
        return {0.8, 1.1};
    }
    Q_UNREACHABLE();
    return {};
}

MonthlyFlows monthlyFlows(const QList<Entity>& entities, QDate firstMonth, int months)
{
    MonthlyFlows flows;
    if (months <= 0 || !firstMonth.isValid())
        return flows;
    const qsizetype count = months;
    flows.recurringRevenue.fill(0.0, count);
    flows.oneOffRevenue.fill(0.0, count);
    flows.recurringExpenses.fill(0.0, count);
    flows.oneOffExpenses.fill(0.0, count);

    const QDate first = monthStart(firstMonth);
    // Month index of a date relative to the first month (negative before it).
    const auto indexOf = [&first](QDate date) {
        return (date.year() - first.year()) * 12 + (date.month() - first.month());
    };
    for (const Entity& entity : entities) {
        QList<double>& recurring =
            entity.isRevenue() ? flows.recurringRevenue : flows.recurringExpenses;
        QList<double>& oneOff = entity.isRevenue() ? flows.oneOffRevenue : flows.oneOffExpenses;
        const double sign = entity.isRevenue() ? 1.0 : -1.0;
        const int startIndex = indexOf(entity.startDate);
        if (entity.amount && startIndex < 0)
            flows.openingCash += sign * *entity.amount;
        else if (entity.amount && startIndex < months)
            oneOff[startIndex] += *entity.amount;

        const double perMonth = entity.monthly.value_or(0.0) + entity.salary.value_or(0.0) / 12.0;
        if (perMonth == 0.0)
            continue;
        // Active from the month holding start_date through the month holding end_date.
        const int endIndex = entity.endDate ? indexOf(*entity.endDate) : months - 1;
        if (startIndex < 0) {
            const int pastMonths = std::min(endIndex, -1) - startIndex + 1;
            if (pastMonths > 0)
                flows.openingCash += sign * perMonth * pastMonths;
        }
        const int from = std::max(startIndex, 0);
        const int to = std::min(endIndex, months - 1);
        for (int month = from; month <= to; ++month)
            recurring[month] += perMonth;
    }
    return flows;
}

ForecastResult computeForecast(const QList<Entity>& entities, QDate firstMonth, int months,
                               Scenario scenario)
{
    ForecastResult result;
    if (months <= 0 || !firstMonth.isValid())
        return result;
    const MonthlyFlows flows = monthlyFlows(entities, firstMonth, months);
    const ScenarioMultipliers scale = scenarioMultipliers(scenario);
    const QDate first = monthStart(firstMonth);

    result.openingCash = flows.openingCash;
    double balance = flows.openingCash;
    double outflow = 0.0;
    result.months.reserve(months);
    for (int i = 0; i < months; ++i) {
        ForecastMonth month;
        month.month = first.addMonths(i);
        month.revenue = (flows.recurringRevenue[i] + flows.oneOffRevenue[i]) * scale.revenue;
        month.expenses = (flows.recurringExpenses[i] + flows.oneOffExpenses[i]) * scale.expenses;
        month.net = month.revenue - month.expenses;
        const double before = balance;
        balance += month.net;
        month.cashBalance = balance;
        outflow += std::max(0.0, -month.net);
        // Cash that was gone before the month (a negative opening) ran out at its start.
        if (!result.runwayMonths && balance < 0.0)
            result.runwayMonths = before <= 0.0 ? double(i) : i + before / -month.net;
        result.months.append(month);
    }
    result.burnRate = outflow / months;
    const double lastNet = result.months.last().net;
    if (!result.runwayMonths && lastNet < 0.0)
        result.runwayMonths = months + balance / -lastNet;
    return result;
}

QJsonObject ForecastResult::toJson() const
{
    QJsonArray list;
    double revenue = 0.0, expenses = 0.0;
    for (const ForecastMonth& month : months) {
        list.append(QJsonObject{{u"month"_s, month.month.toString(u"yyyy-MM"_s)},
                                {u"revenue"_s, cents(month.revenue)},
                                {u"expenses"_s, cents(month.expenses)},
                                {u"net"_s, cents(month.net)},
                                {u"cash_balance"_s, cents(month.cashBalance)}});
        revenue += month.revenue;
        expenses += month.expenses;
    }
    return {{u"months"_s, list},
            {u"opening_cash"_s, cents(openingCash)},
            {u"burn_rate"_s, cents(burnRate)},
            {u"runway_months"_s, runwayMonths ? QJsonValue(std::round(*runwayMonths * 100) / 100)
                                              : QJsonValue(QJsonValue::Null)},
            {u"ending_cash"_s, cents(endingCash())},
            {u"total_revenue"_s, cents(revenue)},
            {u"total_expenses"_s, cents(expenses)}};
}

} // namespace switchboard
