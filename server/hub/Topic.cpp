#include "Topic.h"

#include <algorithm>

namespace switchboard {

Topic::Topic(QString name)
    : m_name(std::move(name))
{}

void Topic::appendHistory(EventPtr event, int limit, std::chrono::milliseconds maxAge, qint64 nowMs)
{
    m_history.push_back(std::move(event));
    while (!m_history.empty() && (int(m_history.size()) > limit ||
                                  m_history.front()->timestampMs < nowMs - maxAge.count())) {
        m_history.pop_front();
    }
}

std::vector<EventPtr> Topic::eventsAfter(quint64 since, bool* complete) const
{
    *complete = true;
    if (since >= m_lastSeq)
        return {};
    // History is contiguous in seq: the oldest kept event must be at most since + 1.
    if (m_history.empty() || m_history.front()->seq > since + 1) {
        *complete = false;
        return {};
    }
    const auto first = m_history.begin() + qsizetype(since + 1 - m_history.front()->seq);
    return {first, m_history.end()};
}

bool Topic::addSubscriber(Session* session, const Dialect* dialect)
{
    auto group = std::find_if(m_groups.begin(), m_groups.end(),
                              [dialect](const DialectGroup& g) { return g.dialect == dialect; });
    if (group == m_groups.end())
        group = m_groups.insert(m_groups.end(), DialectGroup{dialect, {}});
    if (std::find(group->sessions.begin(), group->sessions.end(), session) != group->sessions.end())
        return false;
    group->sessions.push_back(session);
    ++m_subscriberCount;
    return true;
}

bool Topic::removeSubscriber(Session* session, const Dialect* dialect)
{
    auto group = std::find_if(m_groups.begin(), m_groups.end(),
                              [dialect](const DialectGroup& g) { return g.dialect == dialect; });
    if (group == m_groups.end())
        return false;
    auto& sessions = group->sessions;
    auto it = std::find(sessions.begin(), sessions.end(), session);
    if (it == sessions.end())
        return false;
    // Delivery order between sessions carries no meaning, so swap-remove.
    *it = sessions.back();
    sessions.pop_back();
    if (sessions.empty())
        m_groups.erase(group);
    --m_subscriberCount;
    return true;
}

} // namespace switchboard
