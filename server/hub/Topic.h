#pragma once

// A topic: its gap-free sequence, its bounded history (for resume) and its subscribers,
// grouped by encoder (dialect) so that an event is encoded once per dialect, never per client.

#include "Event.h"

#include <QString>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
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

    // Where a topic stands in the cluster, on a node of one (Hub's broker side).
    struct Cluster {
        enum class Stage {
            Idle,        // not watched: no subscriber or observer here
            Subscribing, // watch() sent, the broker's publications do not flow yet
            Positioning, // asking the broker where the topic stands
            Live,        // seq and history are the cluster's; publications are delivered
            Unreachable, // its store is out of reach: publishing goes on here alone
        };
        Stage stage = Stage::Idle;
        QString epoch;
        int observers = 0;
        // Events were numbered here while the store was out of reach: the subscribers get
        // `resync` when it is back.
        bool diverged = false;
        // The next position is asked for subscribers that have seen the topic already (after
        // the store was out of reach, or a gap), not for a topic watched anew.
        bool resuming = false;
        // Publications that came while positioning, by seq.
        std::map<quint64, QByteArray> pending;
        // The first seq this node published while the topic was not Live (0: none). The
        // broker's publications flow only once watch() took effect, which may be after this
        // node's own publications that followed a subscribe (a room's room_state after a
        // join); those are delivered, not only kept in the history.
        quint64 ownSince = 0;
        QString ownEpoch;
        // Called once the topic is Live (or its store out of reach).
        std::vector<std::function<void()>> waiters;
    };

    const QString& name() const { return m_name; }
    quint64 lastSeq() const { return m_lastSeq; }
    quint64 nextSeq() { return ++m_lastSeq; }
    // A node of a cluster takes the seq the broker gives.
    void setLastSeq(quint64 seq) { m_lastSeq = seq; }
    void clearHistory() { m_history.clear(); }
    Cluster& cluster() { return m_cluster; }
    const Cluster& cluster() const { return m_cluster; }

    void appendHistory(EventPtr event, int limit, std::chrono::milliseconds maxAge, qint64 nowMs);
    // The events after `since`, oldest first. When history no longer holds all of them
    // `complete` is false (a client must resync) and what it holds is given; so it is when
    // `since` is ahead of the topic (the reader saw another numbering).
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
    Cluster m_cluster;
    quint64 m_deliveries = 0;
    qint64 m_lastEventMs = 0;
};

} // namespace switchboard
