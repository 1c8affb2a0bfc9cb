#include "JobTypesCommon.h"

#include <QDateTime>
#include <QJsonArray>

namespace switchboard {

QStringList scenarioNames()
{
    return {scenarioName(Scenario::Baseline), scenarioName(Scenario::Optimistic),
            scenarioName(Scenario::Pessimistic)};
}

QDate currentMonth()
{
    const QDate today = QDateTime::currentDateTimeUtc().date();
    return QDate(today.year(), today.month(), 1);
}

namespace JobSchema {

QJsonObject integer(qint64 min, qint64 max, qint64 fallback)
{
    return QJsonObject{{QLatin1String("type"), QLatin1String("integer")},
                       {QLatin1String("minimum"), double(min)},
                       {QLatin1String("maximum"), double(max)},
                       {QLatin1String("default"), double(fallback)}};
}

QJsonObject choice(const QStringList& values, const QString& fallback)
{
    return QJsonObject{{QLatin1String("type"), QLatin1String("string")},
                       {QLatin1String("enum"), QJsonArray::fromStringList(values)},
                       {QLatin1String("default"), fallback}};
}

QJsonObject scenario()
{
    return choice(scenarioNames(), scenarioName(Scenario::Baseline));
}

} // namespace JobSchema

} // namespace switchboard
