#include "JobParams.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace switchboard {

namespace {

QString quotedList(const QStringList& values)
{
    QStringList quoted;
    for (const QString& value : values)
        quoted.append(u'"' + value + u'"');
    return quoted.join(QLatin1String(", "));
}

} // namespace

JobParams::JobParams(const QJsonObject& params, const QStringList& known)
    : m_params(params)
{
    for (auto it = params.begin(); it != params.end(); ++it) {
        if (!known.contains(it.key())) {
            fail(known.isEmpty()
                     ? QStringLiteral("\"%1\" is not a parameter of this job (it takes none)")
                           .arg(it.key().left(100))
                     : QStringLiteral("\"%1\" is not a parameter of this job (it takes %2)")
                           .arg(it.key().left(100), known.join(QLatin1String(", "))));
            return;
        }
    }
}

void JobParams::fail(const QString& problem)
{
    if (m_error.isEmpty())
        m_error = problem;
}

std::optional<qint64> JobParams::optionalInteger(const QString& name, qint64 min, qint64 max)
{
    const QJsonValue value = m_params.value(name);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    const double number = value.toDouble();
    if (!value.isDouble() || std::floor(number) != number || number < double(min) ||
        number > double(max)) {
        fail(QStringLiteral("%1 must be a whole number from %2 to %3").arg(name).arg(min).arg(max));
        return std::nullopt;
    }
    m_checked.insert(name, number);
    return qint64(number);
}

int JobParams::integer(const QString& name, qint64 min, qint64 max, std::optional<qint64> fallback)
{
    Q_ASSERT(max <= std::numeric_limits<int>::max());
    if (const std::optional<qint64> value = optionalInteger(name, min, max))
        return int(*value);
    if (m_params.value(name).isUndefined() || m_params.value(name).isNull()) {
        if (!fallback) {
            fail(QStringLiteral("%1 is required (a whole number from %2 to %3)")
                     .arg(name)
                     .arg(min)
                     .arg(max));
            return 0;
        }
        m_checked.insert(name, double(*fallback));
        return int(*fallback);
    }
    return 0; // optionalInteger() recorded the problem
}

QString JobParams::choice(const QString& name, const QStringList& allowed,
                          std::optional<QString> fallback)
{
    const QJsonValue value = m_params.value(name);
    if (value.isUndefined() || value.isNull()) {
        if (!fallback) {
            fail(QStringLiteral("%1 is required (one of %2)").arg(name, quotedList(allowed)));
            return {};
        }
        m_checked.insert(name, *fallback);
        return *fallback;
    }
    if (!value.isString() || !allowed.contains(value.toString())) {
        fail(QStringLiteral("%1 must be one of %2").arg(name, quotedList(allowed)));
        return {};
    }
    m_checked.insert(name, value.toString());
    return value.toString();
}

QStringList JobParams::subset(const QString& name, const QStringList& allowed,
                              const QStringList& fallback)
{
    const QJsonValue value = m_params.value(name);
    if (value.isUndefined() || value.isNull()) {
        m_checked.insert(name, QJsonArray::fromStringList(fallback));
        return fallback;
    }
    const QString problem = QStringLiteral("%1 must be an array of distinct values out of %2")
                                .arg(name, quotedList(allowed));
    if (!value.isArray()) {
        fail(problem);
        return {};
    }
    QStringList chosen;
    const QJsonArray array = value.toArray();
    for (const QJsonValue& item : array) {
        if (!item.isString() || !allowed.contains(item.toString()) ||
            chosen.contains(item.toString())) {
            fail(problem);
            return {};
        }
        chosen.append(item.toString());
    }
    m_checked.insert(name, QJsonArray::fromStringList(chosen));
    return chosen;
}

} // namespace switchboard
