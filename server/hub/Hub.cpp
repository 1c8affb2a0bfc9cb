#include "Hub.h"

#include "../wire/WebSocketFrame.h"
#include "EventEncoder.h"
#include "HubMetrics.h"
#include "Subscriber.h"
#include "WriteQueue.h"

#include <QDateTime>

#include <algorithm>

namespace switchboard {

Hub::Hub(Limits limits, HubMetrics& metrics, WriteQueue& writeQueue)
    : m_limits(limits)
    , m_metrics(metrics)
    , m_writeQueue(writeQueue)
{}

Hub::~Hub() = default;

qint64 Hub::steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Topic& Hub::topic(const QString& name)
{
    auto it = m_topics.find(name);
    if (it == m_topics.end())
        it = m_topics.insert(name, std::make_shared<Topic>(name));
    return **it;
}

Hub::PublishResult Hub::publish(const QString& topicName, const QString& eventName,
                                const QJsonObject& data, const Subscriber* except)
{
    Topic& target = topic(topicName);
    auto event = std::make_shared<Event>();
    event->topic = topicName;
    event->seq = target.nextSeq();
    event->name = eventName;
    event->timestampMs = QDateTime::currentMSecsSinceEpoch();
    event->publishedNs = steadyNowNs();
    event->data = data;
    target.appendHistory(event, m_limits.historyLimit, m_limits.historyMaxAge, event->timestampMs);
    ++m_metrics.published;

    const int delivered = fanOut(target, *event, except);
    target.countDeliveries(delivered);
    runTaps(*event);
    return {event->seq, delivered};
}

int Hub::fanOut(const Topic& target, const Event& event, const Subscriber* except)
{
    int delivered = 0;
    for (const Topic::EncoderGroup& group : target.groups()) {
        const QByteArray payload = group.encoder->encodeEvent(event);
        ++m_metrics.eventEncodings;
        if (payload.isEmpty())
            continue;
        // One frame per encoder, shared by every subscriber of the group (implicitly shared
        // QByteArray: no per-client copy).
        const QByteArray frame = WebSocketFrame::text(payload);
        for (Subscriber* subscriber : group.subscribers) {
            if (subscriber != except && subscriber->sendFrame(frame))
                ++delivered;
        }
    }
    if (delivered > 0)
        m_writeQueue.notePublished(event.publishedNs);
    return delivered;
}

void Hub::runTaps(const Event& event)
{
    if (!m_taps.isEmpty()) {
        const auto tap = m_taps.constFind(event.topic);
        if (tap != m_taps.constEnd())
            (*tap)(event);
    }
    for (const auto& [prefix, tap] : m_prefixTaps) {
        if (event.topic.startsWith(prefix))
            tap(event);
    }
}

quint64 Hub::subscribe(Subscriber& subscriber, const QString& topicName)
{
    Topic& target = topic(topicName);
    if (!subscriber.isSubscribed(topicName)) {
        target.addSubscriber(&subscriber);
        subscriber.m_topics.append(topicName);
        subscriber.m_changed = true;
    }
    return target.lastSeq();
}

void Hub::unsubscribe(Subscriber& subscriber, const QString& topicName)
{
    auto it = m_topics.find(topicName);
    if (it != m_topics.end() && (*it)->removeSubscriber(&subscriber)) {
        subscriber.m_topics.removeOne(topicName);
        subscriber.m_changed = true;
    }
}

void Hub::unsubscribeAll(Subscriber& subscriber)
{
    const QStringList topics = subscriber.topics();
    for (const QString& name : topics)
        unsubscribe(subscriber, name);
}

void Hub::setTap(const QString& pattern, Tap tap)
{
    if (pattern.endsWith(u'*')) {
        const QString prefix = pattern.chopped(1);
        std::erase_if(m_prefixTaps, [&prefix](const auto& entry) { return entry.first == prefix; });
        if (tap)
            m_prefixTaps.emplace_back(prefix, std::move(tap));
    } else if (tap) {
        m_taps.insert(pattern, std::move(tap));
    } else {
        m_taps.remove(pattern);
    }
}

quint64 Hub::currentSeq(const QString& topicName) const
{
    const auto it = m_topics.constFind(topicName);
    return it == m_topics.cend() ? 0 : (*it)->lastSeq();
}

Hub::Replay Hub::eventsAfter(const QString& topicName, quint64 since) const
{
    const auto it = m_topics.constFind(topicName);
    if (it == m_topics.cend())
        return {since == 0, {}};
    Replay replay;
    replay.events = (*it)->eventsAfter(since, &replay.complete);
    return replay;
}

int Hub::subscriberCount(const QString& topicName) const
{
    const auto it = m_topics.constFind(topicName);
    return it == m_topics.cend() ? 0 : (*it)->subscriberCount();
}

int Hub::activeTopicsWithPrefix(QLatin1String prefix) const
{
    int count = 0;
    for (auto it = m_topics.cbegin(); it != m_topics.cend(); ++it) {
        if (it.key().startsWith(prefix) && (*it)->subscriberCount() > 0)
            ++count;
    }
    return count;
}

} // namespace switchboard
