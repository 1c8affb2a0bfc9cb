#pragma once

// A topic: its gap-free sequence, its bounded history (for resume) and its subscribers,
// grouped by encoder (dialect) so that an event is encoded once per dialect, never per client.

#include "Event.h"

#include <QString>

#include <chrono>
#include <deque>
#include <vector>

namespace switchboard {

class EventEncoder;
class Subscriber;

class Topic {
public:
    struct EncoderGroup {
        const EventEncoder* encoder = nullptr;
        std::vector<Subscriber*> subscribers;
    };

    explicit Topic(QString name);

    const QString& name() const { return m_name; }
    quint64 lastSeq() const { return m_lastSeq; }
    quint64 nextSeq() { return ++m_lastSeq; }

    void appendHistory(EventPtr event, int limit, std::chrono::milliseconds maxAge, qint64 nowMs);
    // The events after `since`, oldest first, or nothing when history no longer holds
    // all of them (`complete` is then false and the client must resync).
    std::vector<EventPtr> eventsAfter(quint64 since, bool* complete) const;

    // The Hub adds a subscriber only when it is not subscribed yet (Subscriber::topics()
    // says so without a search through thousands); remove returns false when it was not.
    void addSubscriber(Subscriber* subscriber);
    bool removeSubscriber(Subscriber* subscriber);
    const std::vector<EncoderGroup>& groups() const { return m_groups; }
    int subscriberCount() const { return m_subscriberCount; }

    // For the operators' Topics view: frames handed to subscribers so far (a plain add per
    // publish), when the last event was published, and what the history holds.
    void countDeliveries(int delivered) { m_deliveries += quint64(delivered); }
    quint64 deliveries() const { return m_deliveries; }
    qint64 lastEventMs() const { return m_lastEventMs; }
    int historySize() const { return int(m_history.size()); }
    qint64 oldestHistoryMs() const
    {
        return m_history.empty() ? 0 : m_history.front()->timestampMs;
    }
    // The newest `count` events of the history, oldest first.
    std::vector<EventPtr> recentEvents(int count) const;

private:
    QString m_name;
    quint64 m_lastSeq = 0;
    std::deque<EventPtr> m_history;
    std::vector<EncoderGroup> m_groups;
    int m_subscriberCount = 0;
    quint64 m_deliveries = 0;
    qint64 m_lastEventMs = 0;
};

} // namespace switchboard
