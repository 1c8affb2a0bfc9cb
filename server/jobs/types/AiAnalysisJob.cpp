// `ai_analysis {values, request_id?, sheet_id?, table_range?, query?}`: the built-in analyser
// behind 004's ai_request (SPEC §5.1): count, sum, mean, min, max and the least-squares
// linear trend of the values, with a one-line summary for people.

#include "../JobType.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace switchboard {
namespace {

constexpr int maxValues = 100'000;
const QStringList textFields{QStringLiteral("request_id"), QStringLiteral("sheet_id"),
                             QStringLiteral("table_range"), QStringLiteral("query")};

QJsonObject schema()
{
    const QJsonObject text{{QLatin1String("type"), QLatin1String("string")}};
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("values")}},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("values"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("array")},
                                  {QLatin1String("maxItems"), maxValues},
                                  {QLatin1String("items"),
                                   QJsonObject{{QLatin1String("type"), QLatin1String("number")}}}}},
                     {QLatin1String("request_id"), text},
                     {QLatin1String("sheet_id"), text},
                     {QLatin1String("table_range"), text},
                     {QLatin1String("query"), text}}}};
}

CheckedParams check(const QJsonObject& params)
{
    for (auto it = params.begin(); it != params.end(); ++it) {
        if (it.key() != QLatin1String("values") && !textFields.contains(it.key()))
            return {{}, QStringLiteral("%1 is not a parameter of ai_analysis").arg(it.key())};
        if (it.key() != QLatin1String("values") &&
            (!it->isString() || it->toString().size() > 4000))
            return {{},
                    QStringLiteral("%1 must be a string of at most 4000 characters").arg(it.key())};
    }
    const QJsonValue values = params.value(QLatin1String("values"));
    if (!values.isArray())
        return {{}, QStringLiteral("values must be an array of numbers")};
    const QJsonArray array = values.toArray();
    if (array.size() > maxValues)
        return {{}, QStringLiteral("values must hold at most %1 numbers").arg(maxValues)};
    for (const QJsonValue& value : array) {
        if (!value.isDouble() || !std::isfinite(value.toDouble()))
            return {{}, QStringLiteral("values must be an array of numbers")};
    }
    return {params, {}};
}

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

JobOutcome run(JobContext& context)
{
    const QJsonArray values = context.params().value(QLatin1String("values")).toArray();
    const qsizetype count = values.size();
    constexpr int steps = 3;

    context.progress(100.0 / steps * 0, QStringLiteral("Processing step 1/%1: totals").arg(steps));
    double sum = 0;
    double minimum = std::numeric_limits<double>::infinity();
    double maximum = -minimum;
    for (qsizetype i = 0; i < count; ++i) {
        const double v = values[i].toDouble();
        sum += v;
        minimum = std::min(minimum, v);
        maximum = std::max(maximum, v);
        if ((i & 0xffff) == 0 && context.isCancelled())
            return JobOutcome::cancel();
    }
    const double mean = count > 0 ? sum / double(count) : 0.0;

    context.progress(100.0 / steps * 1, QStringLiteral("Processing step 2/%1: trend").arg(steps));
    // Least squares over (index, value): slope per step along the range, row by row.
    double sxx = 0;
    double sxy = 0;
    const double meanX = count > 0 ? double(count - 1) / 2.0 : 0.0;
    for (qsizetype i = 0; i < count; ++i) {
        const double dx = double(i) - meanX;
        sxx += dx * dx;
        sxy += dx * (values[i].toDouble() - mean);
        if ((i & 0xffff) == 0 && context.isCancelled())
            return JobOutcome::cancel();
    }
    const double slope = sxx > 0 ? sxy / sxx : 0.0;
    const double intercept = mean - slope * meanX;
    // A trend is "flat" when it moves the values by less than 1% of their spread over the range.
    const double spread = count > 0 ? maximum - minimum : 0.0;
    const double change = slope * double(std::max<qsizetype>(count - 1, 0));
    const QString direction = count < 2 || std::abs(change) <= 0.01 * spread
                                  ? QStringLiteral("flat")
                              : slope > 0 ? QStringLiteral("rising")
                                          : QStringLiteral("falling");

    context.progress(100.0 / steps * 2, QStringLiteral("Processing step 3/%1: summary").arg(steps));
    QJsonObject result{
        {QLatin1String("count"), double(count)},
        {QLatin1String("sum"), sum},
        {QLatin1String("mean"), mean},
        {QLatin1String("trend"), QJsonObject{{QLatin1String("slope"), slope},
                                             {QLatin1String("intercept"), intercept},
                                             {QLatin1String("direction"), direction}}}};
    result.insert(QLatin1String("min"), count > 0 ? QJsonValue(minimum) : QJsonValue());
    result.insert(QLatin1String("max"), count > 0 ? QJsonValue(maximum) : QJsonValue());
    for (const QString& field : textFields) {
        if (context.params().contains(field))
            result.insert(field, context.params().value(field));
    }
    result.insert(QLatin1String("summary"),
                  count == 0
                      ? QStringLiteral("Analysis complete: no numbers in the range")
                      : QStringLiteral("Analysis complete: %1 values, sum %2, mean %3, min %4, max "
                                       "%5; trend %6 (%7 per cell)")
                            .arg(count)
                            .arg(number(sum), number(mean), number(minimum), number(maximum),
                                 direction, number(slope)));
    return JobOutcome::success(result);
}

} // namespace

SWITCHBOARD_REGISTER_JOB_TYPE(QLatin1String("ai_analysis"),
                              QLatin1String("Analyse numbers (a sheet range for 004's ai_request): "
                                            "count, sum, mean, min, max, linear trend"),
                              JobKind::Task, &schema, &check, &run)

} // namespace switchboard
