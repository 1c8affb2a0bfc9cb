#include "AlertRule.h"

#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <cmath>

using namespace Qt::StringLiterals;

namespace switchboard {

const QStringList AlertRule::ops{u">"_s, u">="_s, u"<"_s, u"<="_s, u"=="_s, u"!="_s};
const QStringList AlertRule::severities{u"info"_s, u"warning"_s, u"critical"_s};

bool AlertRule::holds(double value) const
{
    if (op == QLatin1String(">"))
        return value > threshold;
    if (op == QLatin1String(">="))
        return value >= threshold;
    if (op == QLatin1String("<"))
        return value < threshold;
    if (op == QLatin1String("<="))
        return value <= threshold;
    if (op == QLatin1String("=="))
        return value == threshold;
    return value != threshold;
}

QString AlertRule::describe() const
{
    QString text = u"%1 %2 %3"_s.arg(metric, op, QString::number(threshold, 'g', 12));
    if (forSeconds > 0)
        text += u" for %1 s"_s.arg(forSeconds);
    return text;
}

QJsonObject AlertRule::toJson() const
{
    QJsonObject rule{{u"id"_s, id},
                     {u"metric"_s, metric},
                     {u"op"_s, op},
                     {u"threshold"_s, threshold},
                     {u"for_seconds"_s, forSeconds},
                     {u"severity"_s, severity}};
    if (!webhook.isEmpty())
        rule.insert(u"webhook"_s, webhook);
    if (!summary.isEmpty())
        rule.insert(u"summary"_s, summary);
    return rule;
}

std::variant<AlertRule, Error> AlertRule::fromJson(const QJsonValue& value,
                                                   const QStringList& metrics, const QString& where)
{
    const auto fail = [&where](const QString& field, const QString& problem) {
        return Error{ErrorCode::InvalidMessage,
                     (where.isEmpty() ? field : where + u'.' + field) + u": "_s + problem};
    };
    if (!value.isObject())
        return Error{ErrorCode::InvalidMessage,
                     (where.isEmpty() ? u"rule"_s : where) + u": must be an object"_s};
    const QJsonObject object = value.toObject();
    static const QSet<QString> known{u"id"_s,          u"metric"_s,   u"op"_s,      u"threshold"_s,
                                     u"for_seconds"_s, u"severity"_s, u"webhook"_s, u"summary"_s};
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(it.key().left(64), u"is not a field of a rule"_s);
    }
    AlertRule rule;
    static const QRegularExpression idPattern(u"^[A-Za-z0-9_.-]{1,64}$"_s);
    rule.id = object.value(u"id"_s).toString();
    if (!object.value(u"id"_s).isString() || !idPattern.match(rule.id).hasMatch())
        return fail(u"id"_s, u"1 to 64 letters, digits, '_', '.' or '-'"_s);
    rule.metric = object.value(u"metric"_s).toString();
    if (!metrics.contains(rule.metric))
        return fail(u"metric"_s, u"\"%1\" is not a series (known: %2)"_s.arg(
                                     rule.metric.left(64), metrics.join(u", "_s)));
    rule.op = object.value(u"op"_s).toString();
    if (!ops.contains(rule.op))
        return fail(u"op"_s, u"must be one of %1"_s.arg(ops.join(u' ')));
    const QJsonValue threshold = object.value(u"threshold"_s);
    if (!threshold.isDouble() || !std::isfinite(threshold.toDouble()))
        return fail(u"threshold"_s, u"must be a number"_s);
    rule.threshold = threshold.toDouble();
    const QJsonValue forSeconds = object.value(u"for_seconds"_s);
    if (!forSeconds.isUndefined()) {
        const double seconds = forSeconds.toDouble(-1);
        if (!forSeconds.isDouble() || seconds < 0 || seconds > maxForSeconds ||
            seconds != std::floor(seconds))
            return fail(u"for_seconds"_s,
                        u"must be a whole number from 0 to %1"_s.arg(maxForSeconds));
        rule.forSeconds = int(seconds);
    }
    rule.severity = object.value(u"severity"_s).toString(u"warning"_s);
    if (!severities.contains(rule.severity))
        return fail(u"severity"_s, u"must be one of %1"_s.arg(severities.join(u", "_s)));
    if (object.contains(u"webhook"_s) && !object.value(u"webhook"_s).isNull()) {
        rule.webhook = object.value(u"webhook"_s).toString();
        const QUrl url(rule.webhook, QUrl::StrictMode);
        const bool http =
            url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https");
        if (!object.value(u"webhook"_s).isString() || rule.webhook.size() > 2048 ||
            !url.isValid() || !http || url.host().isEmpty())
            return fail(u"webhook"_s, u"must be an http:// or https:// URL"_s);
    }
    rule.summary = object.value(u"summary"_s).toString();
    if (rule.summary.size() > 200)
        return fail(u"summary"_s, u"at most 200 characters"_s);
    return rule;
}

std::variant<QList<AlertRule>, Error> AlertRule::listFromJson(const QJsonValue& value,
                                                              const QStringList& metrics)
{
    const QJsonValue list = value.isObject() ? value.toObject().value(u"rules"_s) : value;
    if (!list.isArray())
        return Error{ErrorCode::InvalidMessage,
                     u"rules: must be an array of rules (or {\"rules\": [...]})"_s};
    const QJsonArray array = list.toArray();
    if (array.size() > maxRules)
        return Error{ErrorCode::InvalidMessage, u"rules: at most %1 rules"_s.arg(maxRules)};
    QList<AlertRule> rules;
    QSet<QString> ids;
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto rule = fromJson(array[i], metrics, u"rules[%1]"_s.arg(i));
        if (auto* error = std::get_if<Error>(&rule))
            return *error;
        AlertRule& checked = std::get<AlertRule>(rule);
        if (ids.contains(checked.id))
            return Error{ErrorCode::InvalidMessage,
                         u"rules[%1].id: \"%2\" is used twice"_s.arg(i).arg(checked.id)};
        ids.insert(checked.id);
        rules.append(std::move(checked));
    }
    return rules;
}

} // namespace switchboard
