#include "AlertCenter.h"

#include "../hub/Hub.h"
#include "../series/SeriesStore.h"
#include "../sources/SystemAlert.h"
#include "../wire/Json.h"

#include <QDateTime>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace switchboard {

namespace {

Q_LOGGING_CATEGORY(lcAlerts, "switchboard.alerts", QtInfoMsg)

QString formatValue(double value)
{
    return QString::number(value, 'g', 10);
}

} // namespace

AlertCenter::AlertCenter(Hub& hub, const SeriesStore& series, Database& database,
                         WebhookSender::Options webhooks, QObject* parent)
    : QObject(parent)
    , m_hub(hub)
    , m_series(series)
    , m_store(database)
    , m_webhooks(webhooks)
{}

std::optional<QString> AlertCenter::start()
{
    auto loaded = m_store.load();
    if (auto* error = std::get_if<QString>(&loaded))
        return *error;
    const AlertStore::Loaded& stored = std::get<AlertStore::Loaded>(loaded);
    QJsonArray rules;
    for (const QJsonObject& rule : stored.rules)
        rules.append(rule);
    // Rules that no longer validate (a series renamed since) are skipped, not fatal.
    for (const QJsonValue& value : std::as_const(rules)) {
        auto rule = AlertRule::fromJson(value, m_series.names(), u"stored rule"_s);
        if (auto* checked = std::get_if<AlertRule>(&rule))
            m_rules.append(*checked);
        else
            qCWarning(lcAlerts, "%s", qUtf8Printable(std::get<Error>(rule).message));
    }
    // Alerts that were firing when the hub stopped are over: whether they hold now is for
    // the rules to find out again.
    const QString now = Json::isoNow();
    for (QJsonObject alert : stored.alerts.mid(0, keptInMemory)) {
        if (alert.value(u"state"_s).toString() == QLatin1String("firing")) {
            alert.insert(u"state"_s, u"resolved"_s);
            alert.insert(u"resolved_at"_s, now);
            alert.insert(u"resolution"_s, u"the hub restarted"_s);
            m_store.saveAlert(alert);
        }
        m_alerts.append(alert);
    }
    return std::nullopt;
}

void AlertCenter::evaluate(qint64 nowMs)
{
    const auto valueOf = [this, nowMs](const QString& metric) {
        return m_series.latest(metric, nowMs - freshForMs);
    };
    for (const AlertEvaluator::Transition& transition :
         m_evaluator.evaluate(m_rules, valueOf, nowMs)) {
        if (transition.kind == AlertEvaluator::Transition::Kind::Fired)
            fire(transition, nowMs);
        else
            resolve(transition, nowMs);
    }
}

void AlertCenter::fire(const AlertEvaluator::Transition& transition, qint64 nowMs)
{
    const AlertRule& rule = transition.rule;
    const QString message = (rule.summary.isEmpty() ? rule.id : rule.summary) + u": "_s +
                            rule.describe() + u" (now %1)"_s.arg(formatValue(transition.value));
    QJsonObject alert = rule.toJson();
    alert.remove(u"id"_s);
    alert.remove(u"webhook"_s);
    alert.insert(u"id"_s, u"alert-%1-%2"_s.arg(QString::number(nowMs, 36)).arg(++m_nextId));
    alert.insert(u"rule_id"_s, rule.id);
    alert.insert(u"message"_s, message);
    alert.insert(u"state"_s, u"firing"_s);
    alert.insert(u"value"_s, transition.value);
    alert.insert(u"started_at"_s, Json::isoTimestamp(transition.sinceMs));
    alert.insert(u"started_ms"_s, double(transition.sinceMs));
    alert.insert(u"fired_at"_s, Json::isoTimestamp(nowMs));
    alert.insert(u"acknowledged"_s, false);
    keep(alert);

    if (rule.severity == QLatin1String("info"))
        qCInfo(lcAlerts, "alert %s firing: %s", qUtf8Printable(rule.id), qUtf8Printable(message));
    else
        qCWarning(lcAlerts, "alert %s firing (%s): %s", qUtf8Printable(rule.id),
                  qUtf8Printable(rule.severity), qUtf8Printable(message));
    publishSystemAlert(m_hub, QJsonObject{{u"alert_type"_s, u"rule"_s},
                                          {u"alert_id"_s, alert.value(u"id"_s)},
                                          {u"rule_id"_s, rule.id},
                                          {u"severity"_s, rule.severity},
                                          {u"message"_s, message},
                                          {u"metric"_s, rule.metric},
                                          {u"op"_s, rule.op},
                                          {u"threshold"_s, rule.threshold},
                                          {u"for_seconds"_s, rule.forSeconds},
                                          {u"value"_s, transition.value},
                                          {u"timestamp"_s, Json::isoTimestamp(nowMs)}});
    notify(rule, alert, u"firing"_s);
}

void AlertCenter::resolve(const AlertEvaluator::Transition& transition, qint64 nowMs)
{
    const AlertRule& rule = transition.rule;
    for (QJsonObject& alert : m_alerts) {
        if (alert.value(u"rule_id"_s).toString() != rule.id ||
            alert.value(u"state"_s).toString() != QLatin1String("firing"))
            continue;
        alert.insert(u"state"_s, u"resolved"_s);
        alert.insert(u"resolved_at"_s, Json::isoTimestamp(nowMs));
        alert.insert(u"resolved_value"_s, transition.value);
        m_store.saveAlert(alert);
        qCInfo(lcAlerts, "alert %s resolved: %s is %s", qUtf8Printable(rule.id),
               qUtf8Printable(rule.metric), qUtf8Printable(formatValue(transition.value)));
        m_hub.publish(u"alerts"_s, u"alert_resolved"_s, alert);
        notify(rule, alert, u"resolved"_s);
        bump();
        return;
    }
}

void AlertCenter::keep(const QJsonObject& alert)
{
    m_alerts.prepend(alert);
    // The oldest resolved ones go first; firing alerts (at most one per rule) stay.
    for (qsizetype i = m_alerts.size() - 1; m_alerts.size() > keptInMemory && i >= 0; --i) {
        if (m_alerts[i].value(u"state"_s).toString() != QLatin1String("firing"))
            m_alerts.removeAt(i);
    }
    m_store.saveAlert(alert);
    bump();
}

void AlertCenter::notify(const AlertRule& rule, const QJsonObject& alert, const QString& status)
{
    if (rule.webhook.isEmpty())
        return;
    m_webhooks.post(
        QUrl(rule.webhook),
        QJsonObject{{u"status"_s, status}, {u"alert"_s, alert}, {u"source"_s, u"switchboard"_s}});
}

void AlertCenter::bump()
{
    ++m_version;
    emit changed();
}

QJsonArray AlertCenter::rulesJson() const
{
    QJsonArray rules;
    for (const AlertRule& rule : m_rules) {
        QJsonObject json = rule.toJson();
        json.insert(u"firing"_s, m_evaluator.isFiring(rule.id));
        rules.append(json);
    }
    return rules;
}

std::optional<Error> AlertCenter::setRules(const QJsonValue& body, const QString& by)
{
    auto parsed = AlertRule::listFromJson(body, m_series.names());
    if (auto* error = std::get_if<Error>(&parsed))
        return *error;
    QList<AlertRule> rules = std::get<QList<AlertRule>>(std::move(parsed));
    QList<QJsonObject> stored;
    for (const AlertRule& rule : rules)
        stored.append(rule.toJson());
    if (!m_store.saveRules(stored).get())
        return Error{ErrorCode::InternalError, u"the rules could not be stored; see the hub log"_s};
    m_rules = std::move(rules);
    QStringList ids;
    for (const AlertRule& rule : std::as_const(m_rules))
        ids.append(rule.id);
    qCInfo(lcAlerts, "alert rules changed by %s: %lld rule(s)%s%s",
           qUtf8Printable(by.isEmpty() ? u"an anonymous caller"_s : by), qlonglong(m_rules.size()),
           ids.isEmpty() ? "" : ": ", qUtf8Printable(ids.join(u", "_s)));
    bump();
    return std::nullopt;
}

QJsonObject AlertCenter::alertsJson() const
{
    QJsonArray firing;
    QJsonArray recent;
    for (const QJsonObject& alert : m_alerts) {
        if (alert.value(u"state"_s).toString() == QLatin1String("firing"))
            firing.append(alert);
        recent.append(alert);
    }
    return {{u"firing"_s, firing}, {u"recent"_s, recent}};
}

int AlertCenter::firingCount() const
{
    int count = 0;
    for (const QJsonObject& alert : m_alerts)
        count += alert.value(u"state"_s).toString() == QLatin1String("firing") ? 1 : 0;
    return count;
}

std::variant<QJsonObject, Error> AlertCenter::acknowledge(const QString& alertId, const QString& by)
{
    for (QJsonObject& alert : m_alerts) {
        if (alert.value(u"id"_s).toString() != alertId)
            continue;
        if (!alert.value(u"acknowledged"_s).toBool()) {
            alert.insert(u"acknowledged"_s, true);
            alert.insert(u"acknowledged_by"_s, by.isEmpty() ? u"anonymous"_s : by);
            alert.insert(u"acknowledged_at"_s, Json::isoNow());
            m_store.saveAlert(alert);
            qCInfo(lcAlerts, "alert %s acknowledged by %s",
                   qUtf8Printable(alert.value(u"rule_id"_s).toString()),
                   qUtf8Printable(alert.value(u"acknowledged_by"_s).toString()));
            m_hub.publish(u"alerts"_s, u"alert_acknowledged"_s, alert);
            bump();
        }
        return alert;
    }
    return Error{ErrorCode::NotFound, u"no alert \"%1\""_s.arg(alertId.left(100))};
}

} // namespace switchboard
