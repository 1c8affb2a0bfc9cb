// `monte_carlo {iterations, months, variables, seed?, scenario?}`: the forecast rerun with
// random monthly revenue growth and expense inflation (SPEC §5.1). Seeded and reproducible:
// without a seed the job picks one and keeps it in its params, so any run can be repeated.

#include "../../entities/EntityLoader.h"
#include "../../finance/MonteCarlo.h"
#include "../JobParams.h"
#include "JobTypesCommon.h"

#include <QJsonArray>
#include <QRandomGenerator>

namespace switchboard {
namespace {

const QString revenueGrowth = QStringLiteral("revenue_growth");
const QString expenseInflation = QStringLiteral("expense_inflation");

QJsonObject schema()
{
    QJsonObject variables{
        {QLatin1String("type"), QLatin1String("array")},
        {QLatin1String("uniqueItems"), true},
        {QLatin1String("items"),
         QJsonObject{{QLatin1String("type"), QLatin1String("string")},
                     {QLatin1String("enum"), QJsonArray{revenueGrowth, expenseInflation}}}},
        {QLatin1String("default"), QJsonArray{revenueGrowth, expenseInflation}}};
    QJsonObject seed{{QLatin1String("type"), QLatin1String("integer")},
                     {QLatin1String("minimum"), 0},
                     {QLatin1String("maximum"), double(MaxJobSeed)},
                     {QLatin1String("description"), QLatin1String("default: chosen at random "
                                                                  "and kept in the job's params")}};
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("iterations"), JobSchema::integer(1, MaxJobIterations, 1000)},
                     {QLatin1String("months"), JobSchema::integer(1, MaxJobMonths, 12)},
                     {QLatin1String("variables"), variables},
                     {QLatin1String("seed"), seed},
                     {QLatin1String("scenario"), JobSchema::scenario()}}}};
}

CheckedParams check(const QJsonObject& params)
{
    JobParams fields(params, {QStringLiteral("iterations"), QStringLiteral("months"),
                              QStringLiteral("variables"), QStringLiteral("seed"),
                              QStringLiteral("scenario")});
    fields.integer(QStringLiteral("iterations"), 1, MaxJobIterations, 1000);
    fields.integer(QStringLiteral("months"), 1, MaxJobMonths, 12);
    fields.subset(QStringLiteral("variables"), {revenueGrowth, expenseInflation},
                  {revenueGrowth, expenseInflation});
    fields.choice(QStringLiteral("scenario"), scenarioNames(), QStringLiteral("baseline"));
    const QJsonValue seed = params.value(QLatin1String("seed"));
    if (seed.isUndefined() || seed.isNull())
        fields.set(QStringLiteral("seed"),
                   double(QRandomGenerator::system()->generate64() & quint64(MaxJobSeed)));
    else
        fields.optionalInteger(QStringLiteral("seed"), 0, MaxJobSeed);
    return fields.result();
}

JobOutcome run(JobContext& context)
{
    const QJsonObject& params = context.params();
    MonteCarloParams simulation;
    simulation.iterations = params.value(QLatin1String("iterations")).toInt();
    simulation.months = params.value(QLatin1String("months")).toInt();
    simulation.seed = quint64(params.value(QLatin1String("seed")).toDouble());
    const QJsonArray variables = params.value(QLatin1String("variables")).toArray();
    simulation.revenueGrowth = variables.contains(revenueGrowth);
    simulation.expenseInflation = variables.contains(expenseInflation);
    simulation.scenario = *scenarioFromName(params.value(QLatin1String("scenario")).toString());

    context.progress(1, QStringLiteral("reading the entity files"));
    const EntitySet entities = loadEntities(context.environment().entitiesDir);
    if (context.isCancelled())
        return JobOutcome::cancel();

    const int total = simulation.iterations;
    const MonteCarloResult result =
        runMonteCarlo(entities.entities, currentMonth(), simulation, [&context, total](int done) {
            context.progress(2.0 + 98.0 * done / total,
                             QStringLiteral("%1 of %2 iterations").arg(done).arg(total));
            return !context.isCancelled();
        });
    if (context.isCancelled() || result.iterations < total)
        return JobOutcome::cancel();

    QJsonObject json = result.toJson();
    json.insert(QLatin1String("seed"), double(simulation.seed));
    json.insert(QLatin1String("variables"), variables);
    json.insert(QLatin1String("scenario"), scenarioName(simulation.scenario));
    json.insert(QLatin1String("entity_count"), entities.entities.size());
    json.insert(QLatin1String("entity_errors"), entities.errors.size());
    return JobOutcome::success(json);
}

} // namespace

SWITCHBOARD_REGISTER_JOB_TYPE(QLatin1String("monte_carlo"),
                              QLatin1String("Monte Carlo cash simulation: p5/p50/p95 ending "
                                            "cash and the probability of running out"),
                              JobKind::Calculation, &schema, &check, &run)

} // namespace switchboard
