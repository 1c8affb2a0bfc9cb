#include "Fields.h"

namespace switchboard {

Fields::Fields(const QJsonObject& object, QString prefix)
    : m_object(object)
    , m_prefix(std::move(prefix))
{}

QString Fields::path(const QString& name) const
{
    return m_prefix.isEmpty() ? name : m_prefix + u'.' + name;
}

void Fields::fail(const QString& name, const QString& problem)
{
    if (!m_error)
        m_error = Error{ErrorCode::InvalidMessage, path(name) + u' ' + problem};
}

QString Fields::requiredString(const QString& name, int maxLength)
{
    const QJsonValue value = m_object.value(name);
    if (value.isUndefined()) {
        fail(name, QStringLiteral("is required"));
        return {};
    }
    if (!value.isString()) {
        fail(name, QStringLiteral("must be a non-empty string"));
        return {};
    }
    return checkedString(name, value.toString(), maxLength);
}

QString Fields::checkedString(const QString& name, const QString& value, int maxLength)
{
    if (value.isEmpty()) {
        fail(name, QStringLiteral("must be a non-empty string"));
        return {};
    }
    if (value.size() > maxLength) {
        fail(name, QStringLiteral("must be at most %1 characters").arg(maxLength));
        return {};
    }
    return value;
}

QString Fields::optionalString(const QString& name, const QString& fallback, int maxLength)
{
    if (!m_object.contains(name))
        return fallback;
    return requiredString(name, maxLength);
}

QStringList Fields::requiredStringList(const QString& name, int maxItems, int maxLength)
{
    const QJsonValue value = m_object.value(name);
    if (!value.isArray()) {
        fail(name, value.isUndefined() ? QStringLiteral("is required")
                                       : QStringLiteral("must be an array of strings"));
        return {};
    }
    const QJsonArray array = value.toArray();
    if (array.isEmpty() || array.size() > maxItems) {
        fail(name, QStringLiteral("must hold 1 to %1 strings").arg(maxItems));
        return {};
    }
    QStringList result;
    result.reserve(array.size());
    for (const QJsonValue& item : array) {
        if (!item.isString() || item.toString().isEmpty() || item.toString().size() > maxLength) {
            fail(name, QStringLiteral("must hold non-empty strings of at most %1 characters")
                           .arg(maxLength));
            return {};
        }
        result.append(item.toString());
    }
    return result;
}

QJsonObject Fields::optionalObject(const QString& name)
{
    const QJsonValue value = m_object.value(name);
    if (value.isUndefined() || value.isNull())
        return {};
    if (!value.isObject()) {
        fail(name, QStringLiteral("must be an object"));
        return {};
    }
    return value.toObject();
}

QJsonObject Fields::requiredObject(const QString& name)
{
    const QJsonValue value = m_object.value(name);
    if (!value.isObject()) {
        fail(name, value.isUndefined() ? QStringLiteral("is required")
                                       : QStringLiteral("must be an object"));
        return {};
    }
    return value.toObject();
}

std::optional<double> Fields::optionalNumber(const QString& name, double min, double max)
{
    const QJsonValue value = m_object.value(name);
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isDouble() || value.toDouble() < min || value.toDouble() > max) {
        fail(name, QStringLiteral("must be a number from %1 to %2").arg(min).arg(max));
        return std::nullopt;
    }
    return value.toDouble();
}

} // namespace switchboard
