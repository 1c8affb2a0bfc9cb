#pragma once

// The hub's alert rules at work (SPEC §13), on the hub thread: after every sample of the
// series (once a second) the rules are evaluated; an alert that fires goes out as a
// `system_alert` on `status` and `alerts` (the shapes of documents 000 and 002, so the console's
// tray and every dashboard see it), to the rule's webhook, and to the hub's log; it is kept,
// with its resolution and acknowledgement, in memory (the newest 200) and in SQLite (500).
//
// Alerts as JSON: {id, rule_id, metric, op, threshold, for_seconds, severity, summary?,
// message, state: firing|resolved, value, started_at, fired_at, resolved_at?, acknowledged,
// acknowledged_by?, acknowledged_at?}.

#include "AlertEvaluator.h"
#include "AlertRule.h"
#include "AlertStore.h"
#include "WebhookSender.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>

#include <optional>
#include <variant>

namespace switchboard {

class Database;
class Hub;
class SeriesStore;

class AlertCenter : public QObject {
    Q_OBJECT

public:
    static constexpr int keptInMemory = 200;
    // A series' value counts for a rule while it is at most this old: the system series are
    // read every 10 s when nobody watches them.
    static constexpr qint64 freshForMs = 15000;

    AlertCenter(Hub& hub, const SeriesStore& series, Database& database,
                WebhookSender::Options webhooks = {}, QObject* parent = nullptr);

    // Loads the rules and the alert history (blocks; before serving).
    std::optional<QString> start();

    void evaluate(qint64 nowMs);

    QJsonArray rulesJson() const;
    // Validates the whole set (INVALID_MESSAGE naming the field) and replaces the rules once
    // they are committed. `by` is who changed them, for the log.
    std::optional<Error> setRules(const QJsonValue& body, const QString& by);
    // {"firing": [...], "recent": [...]} newest first.
    QJsonObject alertsJson() const;
    std::variant<QJsonObject, Error> acknowledge(const QString& alertId, const QString& by);

    const QList<AlertRule>& rules() const { return m_rules; }
    int firingCount() const;
    // Bumped on every change of the rules or the alerts (the console's snapshots carry it).
    quint64 version() const { return m_version; }
    WebhookSender& webhooks() { return m_webhooks; }

signals:
    void changed();

private:
    void fire(const AlertEvaluator::Transition& transition, qint64 nowMs);
    void resolve(const AlertEvaluator::Transition& transition, qint64 nowMs);
    void keep(const QJsonObject& alert);
    void notify(const AlertRule& rule, const QJsonObject& alert, const QString& status);
    void bump();

    Hub& m_hub;
    const SeriesStore& m_series;
    AlertStore m_store;
    WebhookSender m_webhooks;
    AlertEvaluator m_evaluator;
    QList<AlertRule> m_rules;
    QList<QJsonObject> m_alerts; // newest first
    quint64 m_version = 1;
    quint64 m_nextId = 0;
};

} // namespace switchboard
