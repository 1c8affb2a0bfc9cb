#include "AlertEvaluator.h"

#include <QSet>

namespace switchboard {

namespace {

bool sameRule(const AlertRule& a, const AlertRule& b)
{
    return a.metric == b.metric && a.op == b.op && a.threshold == b.threshold &&
           a.forSeconds == b.forSeconds && a.severity == b.severity;
}

} // namespace

QList<AlertEvaluator::Transition> AlertEvaluator::evaluate(const QList<AlertRule>& rules,
                                                           const ValueOf& valueOf, qint64 nowMs)
{
    QList<Transition> transitions;
    QSet<QString> present;
    for (const AlertRule& rule : rules) {
        present.insert(rule.id);
        auto it = m_states.find(rule.id);
        if (it != m_states.end() && !sameRule(it->rule, rule)) {
            if (it->firing)
                transitions.append(
                    {Transition::Kind::Resolved, it->rule, it->lastValue, it->holdingSince});
            m_states.erase(it);
            it = m_states.end();
        }
        if (it == m_states.end())
            it = m_states.insert(rule.id, State{rule, -1, false, 0});
        it->rule = rule; // the webhook or summary may have changed
        const std::optional<double> value = valueOf(rule.metric);
        if (!value)
            continue;
        it->lastValue = *value;
        if (rule.holds(*value)) {
            if (it->holdingSince < 0)
                it->holdingSince = nowMs;
            if (!it->firing && nowMs - it->holdingSince >= qint64(rule.forSeconds) * 1000) {
                it->firing = true;
                transitions.append({Transition::Kind::Fired, rule, *value, it->holdingSince});
            }
        } else {
            if (it->firing)
                transitions.append({Transition::Kind::Resolved, rule, *value, it->holdingSince});
            it->firing = false;
            it->holdingSince = -1;
        }
    }
    for (auto it = m_states.begin(); it != m_states.end();) {
        if (present.contains(it.key())) {
            ++it;
            continue;
        }
        if (it->firing)
            transitions.append(
                {Transition::Kind::Resolved, it->rule, it->lastValue, it->holdingSince});
        it = m_states.erase(it);
    }
    return transitions;
}

} // namespace switchboard
