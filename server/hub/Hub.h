#pragma once

// The hub: topics, sequence numbers, history and fan-out to subscribers. Lives in the hub
// thread; every producer (REST, WebSocket publish, jobs, sources) ends in publish(). It knows
// subscribers (Subscriber), never sockets: the transport drains what it queues for them.

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

class Hub {
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

    Hub(Limits limits, HubMetrics& metrics, WriteQueue& writeQueue);
    ~Hub();
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    // `except`: a subscriber that does not get this event (the sender of a collaboration
    // message that only the others need); it is still in the topic's history.
    PublishResult publish(const QString& topic, const QString& event, const QJsonObject& data,
                          const Subscriber* except = nullptr);

    // Subscribes (a no-op when already subscribed) and returns the topic's current seq (0 when
    // nothing was published yet).
    quint64 subscribe(Subscriber& subscriber, const QString& topic);
    void unsubscribe(Subscriber& subscriber, const QString& topic);
    // Drops every subscription of a closing subscriber.
    void unsubscribeAll(Subscriber& subscriber);

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
    Topic& topic(const QString& name);
    int fanOut(const Topic& topic, const Event& event, const Subscriber* except);
    void runTaps(const Event& event);

    Limits m_limits;
    HubMetrics& m_metrics;
    WriteQueue& m_writeQueue;
    QHash<QString, std::shared_ptr<Topic>> m_topics;
    QHash<QString, Tap> m_taps;
    std::vector<std::pair<QString, Tap>> m_prefixTaps; // prefix without its '*'
};

} // namespace switchboard
