#include "Topic.h"

#include "Subscriber.h"

#include <algorithm>

namespace switchboard {

Topic::Topic(QString name)
    : m_name(std::move(name))
{}

void Topic::appendHistory(EventPtr event, int limit, std::chrono::milliseconds maxAge, qint64 nowMs)
{
    m_lastEventMs = nowMs;
    m_history.push_back(std::move(event));
    while (!m_history.empty() && (int(m_history.size()) > limit ||
                                  m_history.front()->timestampMs < nowMs - maxAge.count())) {
        m_history.pop_front();
    }
}

std::vector<EventPtr> Topic::eventsAfter(quint64 since, bool* complete) const
{
    // A reader that saw more than the topic ever numbered saw another numbering (the hub
    // restarted, or Redis lost the topic and it started a new epoch): it missed an unknown part
    // of this one, so it is told to start afresh rather than left with a silent gap.
    *complete = since <= m_lastSeq;
    if (since >= m_lastSeq)
        return {};
    // History is contiguous in seq: the oldest kept event must be at most since + 1. When it is
    // not, what it still holds (all of it after `since`) is given, for readers that take the
    // newest events over none.
    if (m_history.empty() || m_history.front()->seq > since + 1) {
        *complete = false;
        return {m_history.begin(), m_history.end()};
    }
    const auto first = m_history.begin() + qsizetype(since + 1 - m_history.front()->seq);
    return {first, m_history.end()};
}

std::vector<EventPtr> Topic::recentEvents(int count) const
{
    const qsizetype kept = qsizetype(m_history.size());
    const qsizetype take = std::clamp<qsizetype>(count, 0, kept);
    return {m_history.end() - take, m_history.end()};
}

void Topic::addSubscriber(Subscriber* subscriber)
{
    const EventEncoder* encoder = &subscriber->encoder();
    auto group = std::find_if(m_groups.begin(), m_groups.end(),
                              [encoder](const EncoderGroup& g) { return g.encoder == encoder; });
    if (group == m_groups.end())
        group = m_groups.insert(m_groups.end(), EncoderGroup{encoder, {}});
    group->subscribers.push_back(subscriber);
    ++m_subscriberCount;
}

bool Topic::removeSubscriber(Subscriber* subscriber)
{
    const EventEncoder* encoder = &subscriber->encoder();
    auto group = std::find_if(m_groups.begin(), m_groups.end(),
                              [encoder](const EncoderGroup& g) { return g.encoder == encoder; });
    if (group == m_groups.end())
        return false;
    auto& subscribers = group->subscribers;
    auto it = std::find(subscribers.begin(), subscribers.end(), subscriber);
    if (it == subscribers.end())
        return false;
    // Delivery order between subscribers carries no meaning, so swap-remove.
    *it = subscribers.back();
    subscribers.pop_back();
    if (subscribers.empty())
        m_groups.erase(group);
    --m_subscriberCount;
    return true;
}

} // namespace switchboard
