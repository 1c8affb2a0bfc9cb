#pragma once

// Pieces the built-in job types share: limits, the scenario names, the first month of a
// forecast, and JSON Schema fragments for their params.

#include "../../finance/Forecast.h"

#include <QDate>
#include <QJsonObject>
#include <QStringList>

namespace switchboard {

// Ten years of months: the job API's bound for forecasts and simulations.
inline constexpr int MaxJobMonths = 120;
inline constexpr int MaxJobIterations = 1'000'000;
// Seeds travel as JSON numbers, exact up to 2^53.
inline constexpr qint64 MaxJobSeed = (qint64(1) << 53) - 1;

QStringList scenarioNames();
// The first day of the current month (UTC): where forecasts start.
QDate currentMonth();

namespace JobSchema {
QJsonObject integer(qint64 min, qint64 max, qint64 fallback);
QJsonObject scenario();
QJsonObject choice(const QStringList& values, const QString& fallback);
} // namespace JobSchema

} // namespace switchboard
