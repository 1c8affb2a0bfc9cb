#include "Hub.h"

#include "../monitor/HubMetrics.h"
#include "../net/Session.h"
#include "../net/WebSocketFrame.h"
#include "../net/WriteScheduler.h"
#include "../protocol/dialects/Dialect.h"

#include <QDateTime>

namespace switchboard {

Hub::Hub(Limits limits, HubMetrics& metrics, WriteScheduler& scheduler)
    : m_limits(limits)
    , m_metrics(metrics)
    , m_scheduler(scheduler)
{}

Hub::~Hub() = default;

Topic& Hub::topic(const QString& name)
{
    auto it = m_topics.find(name);
    if (it == m_topics.end())
        it = m_topics.insert(name, std::make_shared<Topic>(name));
    return **it;
}

Hub::PublishResult Hub::publish(const QString& topicName, const QString& eventName,
                                const QJsonObject& data, const Session* except)
{
    Topic& target = topic(topicName);
    auto event = std::make_shared<Event>();
    event->topic = topicName;
    event->seq = target.nextSeq();
    event->name = eventName;
    event->timestampMs = QDateTime::currentMSecsSinceEpoch();
    event->publishedNs = WriteScheduler::steadyNowNs();
    event->data = data;
    target.appendHistory(event, m_limits.historyLimit, m_limits.historyMaxAge, event->timestampMs);
    ++m_metrics.published;

    int delivered = 0;
    for (const Topic::DialectGroup& group : target.groups()) {
        const QByteArray payload = group.dialect->encodeEvent(*event);
        ++m_metrics.eventEncodings;
        if (payload.isEmpty())
            continue;
        // One frame per dialect, shared by every session of the group (implicitly shared
        // QByteArray: no per-client copy).
        const QByteArray frame = WebSocketFrame::text(payload);
        for (Session* session : group.sessions) {
            if (session != except && session->sendFrame(frame))
                ++delivered;
        }
    }
    if (delivered > 0)
        m_scheduler.notePublished(event->publishedNs);
    if (!m_taps.isEmpty()) {
        const auto tap = m_taps.constFind(topicName);
        if (tap != m_taps.constEnd())
            (*tap)(*event);
    }
    // Document 002: administrators follow every user's document updates in one room.
    if (topicName.startsWith(QLatin1String("document_updates_")))
        publish(QStringLiteral("all_document_updates"), eventName, data, except);
    return {event->seq, delivered};
}

quint64 Hub::subscribe(Session* session, const QString& topicName)
{
    Topic& target = topic(topicName);
    target.addSubscriber(session, session->dialect());
    return target.lastSeq();
}

void Hub::unsubscribe(Session* session, const QString& topicName)
{
    auto it = m_topics.find(topicName);
    if (it != m_topics.end())
        (*it)->removeSubscriber(session, session->dialect());
}

void Hub::removeSession(Session* session)
{
    const QStringList topics = session->topics();
    for (const QString& name : topics)
        unsubscribe(session, name);
}

void Hub::setTap(const QString& topic, Tap tap)
{
    if (tap)
        m_taps.insert(topic, std::move(tap));
    else
        m_taps.remove(topic);
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
