#pragma once

// Decides when alert rules fire and resolve, from the newest value of each series at each
// evaluation (once a second). Pure: no clock, no hub, so every edge is tested with a made-up
// clock. A rule fires once its comparison has held for for_seconds, and resolves on the
// first evaluation where it no longer holds; a series with no fresh value changes nothing.
// A rule that is changed or removed while firing resolves.

#include "AlertRule.h"

#include <QHash>
#include <QList>

#include <functional>
#include <optional>

namespace switchboard {

class AlertEvaluator {
public:
    struct Transition {
        enum class Kind { Fired, Resolved };
        Kind kind = Kind::Fired;
        AlertRule rule;
        double value = 0;   // what the series read (the last value seen, when resolving)
        qint64 sinceMs = 0; // when the comparison started to hold
    };
    using ValueOf = std::function<std::optional<double>(const QString& metric)>;

    QList<Transition> evaluate(const QList<AlertRule>& rules, const ValueOf& valueOf, qint64 nowMs);
    bool isFiring(const QString& ruleId) const { return m_states.value(ruleId).firing; }

private:
    struct State {
        AlertRule rule;
        qint64 holdingSince = -1;
        bool firing = false;
        double lastValue = 0;
    };
    QHash<QString, State> m_states;
};

} // namespace switchboard
