#pragma once

// The hub: topics, sequence numbers, history and fan-out to subscribers. Lives in the hub
// thread; every producer (REST, WebSocket publish, jobs, sources) ends in publish(). It knows
// subscribers (Subscriber), never sockets: the transport drains what it queues for them.
//
// Alone, the hub numbers its topics and keeps their history itself. One node of several, it
// publishes through a Broker, which numbers every topic's publications for the whole cluster
// and sends them back to every node that watches the topic, this one included: a topic is
// watched while it has subscribers here (or an observer, watch()), and its subscribers get
// what the broker sends, in its order, once. Before a watched topic's publications flow, the
// hub asks the broker where the topic stands and fills its history from the broker's; after
// its store was out of reach it asks again and delivers what was missed, or sends `resync`
// when the history cannot tell (a new epoch, or events older than the history holds). While
// the store is out of reach, publishing goes on for this node's subscribers with this node's
// own numbers, and those subscribers get `resync` when the store is back.

#include "Broker.h"
#include "Event.h"
#include "Topic.h"

#include <QHash>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>

namespace switchboard {

class HubMetrics;
class Subscriber;
class WriteQueue;

class Hub final : private BrokerListener {
public:
    struct Limits {
        int historyLimit = 1000;
        std::chrono::milliseconds historyMaxAge{300'000};
    };
    struct PublishResult {
        quint64 seq = 0;
        int delivered = 0;
    };
    struct Replay {
        bool complete = true; // false: history lost some of the events, resync
        std::vector<EventPtr> events;
    };

    // `broker`: null for a hub on its own; else it must outlive the hub.
    Hub(Limits limits, HubMetrics& metrics, WriteQueue& writeQueue, Broker* broker = nullptr);
    ~Hub();
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    // `except`: a subscriber that does not get this event (the sender of a collaboration
    // message that only the others need); it is still in the topic's history. On a node of a
    // cluster the seq is known only later (0 here) and `delivered` counts this node's
    // subscribers; the overload with `done` tells the seq once the broker has it.
    PublishResult publish(const QString& topic, const QString& event, const EventData& data,
                          const Subscriber* except = nullptr);
    using Published = std::function<void(const PublishResult& result)>;
    void publish(const QString& topic, const QString& event, const EventData& data,
                 const Subscriber* except, Published done);
    bool isClustered() const { return m_broker != nullptr; }

    // Subscribes (a no-op when already subscribed) and returns the topic's current seq (0 when
    // nothing was published yet).
    quint64 subscribe(Subscriber& subscriber, const QString& topic);
    void unsubscribe(Subscriber& subscriber, const QString& topic);
    // Drops every subscription of a closing subscriber.
    void unsubscribeAll(Subscriber& subscriber);
    // Calls `ready` once every topic of `topics` stands where the cluster has it (at once on a
    // hub on its own, or for a topic whose store is out of reach): its seq and history are
    // then the cluster's, so an ack of a subscribe and a resume can be served.
    void whenReady(const QStringList& topics, std::function<void()> ready);
    // An observer without a socket (the console) that reads a topic's history: on a node of a
    // cluster the topic is then watched as if it had a subscriber. Counted.
    void watch(const QString& topic);
    void unwatch(const QString& topic);

    // Calls `tap` on the hub thread with every event published on a topic `pattern` names
    // (a topic, or a prefix ending in '*'), after its fan-out: how the hub reacts to what
    // services publish (a risk hard stop raises a system_alert; 002 mirrors every user's
    // document updates into one room). One tap per pattern; an exact pattern costs a hash
    // lookup per publish, a prefix a comparison.
    using Tap = std::function<void(const Event& event)>;
    void setTap(const QString& pattern, Tap tap);

    static qint64 steadyNowNs();

    quint64 currentSeq(const QString& topic) const;
    Replay eventsAfter(const QString& topic, quint64 since) const;
    int topicCount() const { return int(m_topics.size()); }
    // Every topic, for the operators' Topics view (read on the hub thread, never kept).
    const QHash<QString, std::shared_ptr<Topic>>& topics() const { return m_topics; }
    const Topic* findTopic(const QString& name) const { return m_topics.value(name).get(); }
    int subscriberCount(const QString& topic) const;
    // Topics whose name starts with `prefix` and that have subscribers ("room:" -> rooms).
    int activeTopicsWithPrefix(QLatin1String prefix) const;

private:
    // BrokerListener
    void brokerPublication(const QString& topic, const QString& epoch, quint64 seq,
                           const QByteArray& body) override;
    void brokerWatching(const QString& topic) override;
    void brokerLost(const QString& topic) override;

    Topic& topic(const QString& name);
    EventPtr makeEvent(const QString& topic, quint64 seq, const QString& name,
                       const EventData& data, qint64 timestampMs, QString except) const;
    // Numbers the event here, keeps it and delivers it: a hub on its own, or a node whose
    // store is out of reach.
    PublishResult publishLocally(Topic& target, const QString& event, const EventData& data,
                                 const QString& except);
    void deliver(Topic& target, const EventPtr& event);
    int fanOut(const Topic& topic, const Event& event);
    void runTaps(const Event& event);
    void sendResync(const Topic& topic);
    // The cluster side of a topic: watched while it has subscribers or observers.
    void updateInterest(Topic& target);
    void askPosition(Topic& target);
    void positioned(const QString& topic, const BrokerPosition& position);
    void releaseWaiters(Topic& target);

    Limits m_limits;
    HubMetrics& m_metrics;
    WriteQueue& m_writeQueue;
    Broker* m_broker;
    QHash<QString, std::shared_ptr<Topic>> m_topics;
    QHash<QString, Tap> m_taps;
    std::vector<std::pair<QString, Tap>> m_prefixTaps; // prefix without its '*'
    // Publications the broker did not take, kept on this node: said in the log at most once a
    // second (the log is itself a topic, and must not feed its own warnings).
    quint64 m_localFallbacks = 0;
    qint64 m_localFallbackWarnedMs = 0;
};

} // namespace switchboard
