#pragma once

// The hub: topics, sequence numbers, history and fan-out. Lives in the hub thread; every
// producer (REST, WebSocket publish, jobs, sources) ends in publish().

#include "Event.h"
#include "Topic.h"

#include <QHash>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>

namespace switchboard {

class Dialect;
class HubMetrics;
class Session;
class WriteScheduler;

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

    Hub(Limits limits, HubMetrics& metrics, WriteScheduler& scheduler);
    ~Hub();
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    // `except`: a session that does not get this event (the sender of a collaboration
    // message that only the others need); it is still in the topic's history.
    PublishResult publish(const QString& topic, const QString& event, const QJsonObject& data,
                          const Session* except = nullptr);

    // Returns the topic's current seq (0 when nothing was published yet).
    quint64 subscribe(Session* session, const QString& topic);
    void unsubscribe(Session* session, const QString& topic);
    // Drops every subscription of a closing session.
    void removeSession(Session* session);

    // Calls `tap` on the hub thread with every event published on `topic`, after its
    // fan-out: how the hub itself reacts to what services publish (a risk hard stop raises
    // a system_alert). One tap per topic; a topic without one costs a hash lookup at most.
    using Tap = std::function<void(const Event& event)>;
    void setTap(const QString& topic, Tap tap);

    quint64 currentSeq(const QString& topic) const;
    Replay eventsAfter(const QString& topic, quint64 since) const;
    int topicCount() const { return int(m_topics.size()); }
    int subscriberCount(const QString& topic) const;
    // Topics whose name starts with `prefix` and that have subscribers ("room:" -> rooms).
    int activeTopicsWithPrefix(QLatin1String prefix) const;

private:
    Topic& topic(const QString& name);

    Limits m_limits;
    HubMetrics& m_metrics;
    WriteScheduler& m_scheduler;
    QHash<QString, std::shared_ptr<Topic>> m_topics;
    QHash<QString, Tap> m_taps;
};

} // namespace switchboard
