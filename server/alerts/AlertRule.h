#pragma once

// One alert rule (SPEC §13): when series `metric` compares with `threshold` by `op` for at
// least `for_seconds`, an alert of `severity` fires; it resolves when the comparison stops
// holding. As JSON: {id, metric, op, threshold, for_seconds, severity, webhook?, summary?}.

#include "../wire/Codes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <variant>

namespace switchboard {

struct AlertRule {
    QString id;
    QString metric;
    QString op; // ">", ">=", "<", "<=", "==", "!="
    double threshold = 0;
    int forSeconds = 0;
    QString severity; // "info", "warning", "critical"
    QString webhook;  // http(s) URL, or empty
    QString summary;  // what the operator wrote, or empty

    bool holds(double value) const;
    QString describe() const; // "cpu > 90 for 60 s"
    QJsonObject toJson() const;

    static constexpr int maxRules = 100;
    static constexpr int maxForSeconds = 86400;
    static const QStringList ops;
    static const QStringList severities;

    // A rule from its JSON, checked field by field; `metrics` are the series it may watch.
    // The error names the field ("[2].op: ...") as INVALID_MESSAGE.
    static std::variant<AlertRule, Error>
    fromJson(const QJsonValue& value, const QStringList& metrics, const QString& where);
    // A whole rule set (ids unique, at most maxRules): all of it or none.
    static std::variant<QList<AlertRule>, Error> listFromJson(const QJsonValue& value,
                                                              const QStringList& metrics);
};

} // namespace switchboard
