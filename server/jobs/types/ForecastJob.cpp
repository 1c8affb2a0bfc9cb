// `forecast {months, scenario}`: the month-by-month cash forecast of the entity files
// (SPEC §5.1), from the current month.

#include "../../entities/EntityLoader.h"
#include "../../finance/Forecast.h"
#include "../JobParams.h"
#include "JobTypesCommon.h"

#include <QJsonArray>

namespace switchboard {
namespace {

QJsonObject schema()
{
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("months"), JobSchema::integer(1, MaxJobMonths, 12)},
                     {QLatin1String("scenario"), JobSchema::scenario()}}}};
}

CheckedParams check(const QJsonObject& params)
{
    JobParams fields(params, {QStringLiteral("months"), QStringLiteral("scenario")});
    fields.integer(QStringLiteral("months"), 1, MaxJobMonths, 12);
    fields.choice(QStringLiteral("scenario"), scenarioNames(), QStringLiteral("baseline"));
    return fields.result();
}

JobOutcome run(JobContext& context)
{
    const int months = context.params().value(QLatin1String("months")).toInt();
    const Scenario scenario =
        *scenarioFromName(context.params().value(QLatin1String("scenario")).toString());

    context.progress(5, QStringLiteral("reading the entity files"));
    const EntitySet entities = loadEntities(context.environment().entitiesDir);
    if (context.isCancelled())
        return JobOutcome::cancel();
    context.progress(50, QStringLiteral("forecasting %1 months from %2 entities")
                             .arg(months)
                             .arg(entities.entities.size()));
    const QDate firstMonth = currentMonth();
    const ForecastResult forecast =
        computeForecast(entities.entities, firstMonth, months, scenario);
    if (context.isCancelled())
        return JobOutcome::cancel();

    QJsonObject result = forecast.toJson();
    result.insert(QLatin1String("scenario"), scenarioName(scenario));
    result.insert(QLatin1String("first_month"), firstMonth.toString(QStringLiteral("yyyy-MM")));
    result.insert(QLatin1String("entity_count"), entities.entities.size());
    // Files with errors are left out of the forecast; say so rather than hide it.
    result.insert(QLatin1String("entity_errors"), entities.errors.size());
    return JobOutcome::success(result);
}

} // namespace

SWITCHBOARD_REGISTER_JOB_TYPE(QLatin1String("forecast"),
                              QLatin1String("Month-by-month cash forecast: revenue, expenses, "
                                            "net, cash balance, burn rate, runway"),
                              JobKind::Calculation, &schema, &check, &run)

} // namespace switchboard
