#include "Hub.h"

#include "../wire/Json.h"
#include "../wire/WebSocketFrame.h"
#include "EventEncoder.h"
#include "HubMetrics.h"
#include "Subscriber.h"
#include "WriteQueue.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <algorithm>

namespace switchboard {

namespace {

Q_LOGGING_CATEGORY(lcHub, "switchboard.hub")

// Publications a topic keeps while it is being positioned; past this it is positioned again
// from what the broker's history holds.
constexpr std::size_t maxPendingPublications = 10'000;

// What a publication carries through the broker, beside the seq it gets there: the event's
// name, its wall-clock time, the subscriber that does not get it (by id, unique across the
// cluster) and its data. Compact JSON: {"n","t","x"?,"d"}.
QByteArray encodeBody(const QString& name, qint64 timestampMs, const QString& except,
                      const EventData& data)
{
    QByteArray body;
    body.reserve(64);
    body += R"({"n":)";
    body += Json::quoted(name);
    body += R"(,"t":)";
    body += QByteArray::number(timestampMs);
    if (!except.isEmpty()) {
        body += R"(,"x":)";
        body += Json::quoted(except);
    }
    body += R"(,"d":)";
    body += data.json();
    body += '}';
    return body;
}

struct Body {
    QString name;
    qint64 timestampMs = 0;
    QString except;
    EventData data;
};

std::optional<Body> decodeBody(const QByteArray& bytes)
{
    const QJsonObject object = QJsonDocument::fromJson(bytes).object();
    const QJsonValue name = object.value(QLatin1String("n"));
    if (!name.isString())
        return std::nullopt;
    // The data's text goes on as it came (the publishing node wrote it compactly).
    const QByteArrayView data = object.value(QLatin1String("d")).isObject()
                                    ? Json::memberText(bytes, "d")
                                    : QByteArrayView();
    return Body{name.toString(), qint64(object.value(QLatin1String("t")).toDouble()),
                object.value(QLatin1String("x")).toString(),
                data.isEmpty() ? EventData(object.value(QLatin1String("d")).toObject())
                               : EventData::fromCompactJson(data.toByteArray())};
}

} // namespace

Hub::Hub(Limits limits, HubMetrics& metrics, WriteQueue& writeQueue, Broker* broker)
    : m_limits(limits)
    , m_metrics(metrics)
    , m_writeQueue(writeQueue)
    , m_broker(broker)
{
    if (m_broker)
        m_broker->attach(*this);
}

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

EventPtr Hub::makeEvent(const QString& topic, quint64 seq, const QString& name,
                        const EventData& data, qint64 timestampMs, QString except) const
{
    auto event = std::make_shared<Event>();
    event->topic = topic;
    event->seq = seq;
    event->name = name;
    event->timestampMs = timestampMs;
    event->publishedNs = steadyNowNs();
    event->data = data;
    event->except = std::move(except);
    return event;
}

Hub::PublishResult Hub::publish(const QString& topicName, const QString& eventName,
                                const EventData& data, const Subscriber* except)
{
    Topic& target = topic(topicName);
    if (!m_broker || !m_broker->isAvailable(topicName))
        return publishLocally(target, eventName, data, except ? except->id() : QString());
    publish(topicName, eventName, data, except, {});
    return {0, target.subscriberCount()};
}

void Hub::publish(const QString& topicName, const QString& eventName, const EventData& data,
                  const Subscriber* except, Published done)
{
    Topic& target = topic(topicName);
    if (!m_broker || !m_broker->isAvailable(topicName)) {
        const PublishResult result =
            publishLocally(target, eventName, data, except ? except->id() : QString());
        if (done)
            done(result);
        return;
    }
    // Delivered when the broker sends it back, to every node that watches the topic; the
    // hub's own reactions (taps) run here, on the node that published, once.
    const qint64 timestampMs = QDateTime::currentMSecsSinceEpoch();
    const QString exceptId = except ? except->id() : QString();
    m_broker->publish(
        topicName, encodeBody(eventName, timestampMs, exceptId, data),
        [this, topicName, eventName, data, timestampMs, exceptId,
         done = std::move(done)](const Broker::Published& published) {
            Topic& sent = topic(topicName);
            if (!published.ok) {
                // The store did not take it: this node's subscribers get it at least.
                ++m_localFallbacks;
                const qint64 now = QDateTime::currentMSecsSinceEpoch();
                if (now - m_localFallbackWarnedMs >= 1000) {
                    qCWarning(lcHub).nospace()
                        << m_localFallbacks << " publication(s) delivered on this node alone "
                        << "(the last on " << topicName << "): the cluster's store did not take "
                        << "them";
                    m_localFallbacks = 0;
                    m_localFallbackWarnedMs = now;
                }
                const PublishResult result = publishLocally(sent, eventName, data, exceptId);
                if (done)
                    done(result);
                return;
            }
            ++m_metrics.published;
            Topic::Cluster& cluster = sent.cluster();
            if (cluster.stage == Topic::Cluster::Stage::Subscribing ||
                cluster.stage == Topic::Cluster::Stage::Positioning) {
                if (cluster.ownSince == 0 || cluster.ownEpoch != published.epoch) {
                    cluster.ownSince = published.seq;
                    cluster.ownEpoch = published.epoch;
                }
            }
            runTaps(*makeEvent(topicName, published.seq, eventName, data, timestampMs, exceptId));
            if (done)
                done({published.seq, sent.subscriberCount()});
        });
}

Hub::PublishResult Hub::publishLocally(Topic& target, const QString& eventName,
                                       const EventData& data, const QString& except)
{
    if (m_broker)
        target.cluster().diverged = true;
    const EventPtr event = makeEvent(target.name(), target.nextSeq(), eventName, data,
                                     QDateTime::currentMSecsSinceEpoch(), except);
    target.appendHistory(event, m_limits.historyLimit, m_limits.historyMaxAge, event->timestampMs);
    ++m_metrics.published;
    const int delivered = fanOut(target, *event);
    target.countDeliveries(delivered);
    runTaps(*event);
    return {event->seq, delivered};
}

void Hub::deliver(Topic& target, const EventPtr& event)
{
    target.setLastSeq(event->seq);
    target.appendHistory(event, m_limits.historyLimit, m_limits.historyMaxAge, event->timestampMs);
    target.countDeliveries(fanOut(target, *event));
}

int Hub::fanOut(const Topic& target, const Event& event)
{
    int delivered = 0;
    for (const Topic::EncoderGroup& group : target.groups()) {
        QByteArray payload = group.encoder->encodeEvent(event);
        ++m_metrics.eventEncodings;
        if (payload.isEmpty())
            continue;
        // One frame per encoder, held for the write pass and shared by every subscriber of the
        // group: no per-client copy, nor a reference each.
        const WriteQueue::Frame frame = m_writeQueue.hold(WebSocketFrame::text(std::move(payload)));
        if (event.except.isEmpty()) {
            for (Subscriber* subscriber : group.subscribers) {
                if (subscriber->sendFrame(frame))
                    ++delivered;
            }
        } else {
            for (Subscriber* subscriber : group.subscribers) {
                if (subscriber->id() != event.except && subscriber->sendFrame(frame))
                    ++delivered;
            }
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

void Hub::sendResync(const Topic& target)
{
    for (const Topic::EncoderGroup& group : target.groups()) {
        const QByteArray payload = group.encoder->encodeResync(target.name());
        if (payload.isEmpty())
            continue;
        const WriteQueue::Frame frame = m_writeQueue.hold(WebSocketFrame::text(payload));
        for (Subscriber* subscriber : group.subscribers)
            subscriber->sendFrame(frame);
    }
}

quint64 Hub::subscribe(Subscriber& subscriber, const QString& topicName)
{
    Topic& target = topic(topicName);
    if (!subscriber.isSubscribed(topicName)) {
        target.addSubscriber(&subscriber);
        subscriber.m_topics.append(topicName);
        subscriber.m_changed = true;
        updateInterest(target);
    }
    return target.lastSeq();
}

void Hub::unsubscribe(Subscriber& subscriber, const QString& topicName)
{
    auto it = m_topics.find(topicName);
    if (it != m_topics.end() && (*it)->removeSubscriber(&subscriber)) {
        subscriber.m_topics.removeOne(topicName);
        subscriber.m_changed = true;
        updateInterest(**it);
    }
}

void Hub::unsubscribeAll(Subscriber& subscriber)
{
    const QStringList topics = subscriber.topics();
    for (const QString& name : topics)
        unsubscribe(subscriber, name);
}

void Hub::watch(const QString& topicName)
{
    Topic& target = topic(topicName);
    ++target.cluster().observers;
    updateInterest(target);
}

void Hub::unwatch(const QString& topicName)
{
    auto it = m_topics.find(topicName);
    if (it == m_topics.end() || (*it)->cluster().observers == 0)
        return;
    --(*it)->cluster().observers;
    updateInterest(**it);
}

void Hub::whenReady(const QStringList& topics, std::function<void()> ready)
{
    using Stage = Topic::Cluster::Stage;
    QStringList waiting;
    for (const QString& name : topics) {
        const auto it = m_topics.constFind(name);
        if (it == m_topics.cend())
            continue;
        const Stage stage = (*it)->cluster().stage;
        if (stage == Stage::Subscribing || stage == Stage::Positioning)
            waiting.append(name);
    }
    if (waiting.isEmpty()) {
        ready();
        return;
    }
    // Called when the last of them is ready.
    auto left = std::make_shared<qsizetype>(waiting.size());
    auto shared = std::make_shared<std::function<void()>>(std::move(ready));
    for (const QString& name : std::as_const(waiting)) {
        topic(name).cluster().waiters.push_back([left, shared] {
            if (--*left == 0)
                (*shared)();
        });
    }
}

void Hub::updateInterest(Topic& target)
{
    if (!m_broker)
        return;
    using Stage = Topic::Cluster::Stage;
    Topic::Cluster& cluster = target.cluster();
    const bool wanted = target.subscriberCount() > 0 || cluster.observers > 0;
    if (wanted && cluster.stage == Stage::Idle) {
        cluster.stage = Stage::Subscribing;
        m_broker->watch(target.name());
    } else if (!wanted && cluster.stage != Stage::Idle) {
        // The topic's publications no longer come here: its history stops being the
        // cluster's, and is filled again from the broker's when it is watched anew.
        cluster.stage = Stage::Idle;
        cluster.pending.clear();
        cluster.ownSince = 0;
        releaseWaiters(target);
        m_broker->unwatch(target.name());
    }
}

void Hub::releaseWaiters(Topic& target)
{
    std::vector<std::function<void()>> waiters;
    waiters.swap(target.cluster().waiters);
    for (const auto& waiter : waiters)
        waiter();
}

void Hub::brokerWatching(const QString& topicName)
{
    using Stage = Topic::Cluster::Stage;
    const auto it = m_topics.find(topicName);
    if (it == m_topics.end() || (*it)->cluster().stage == Stage::Idle)
        return;
    // Watched anew, its subscribers have seen nothing yet; back after the store was out of
    // reach, they have, and may have missed some.
    (*it)->cluster().resuming = (*it)->cluster().stage != Stage::Subscribing;
    askPosition(**it);
}

void Hub::askPosition(Topic& target)
{
    target.cluster().stage = Topic::Cluster::Stage::Positioning;
    const QString name = target.name();
    m_broker->position(
        name, target.lastSeq(), m_limits.historyLimit,
        [this, name](const BrokerPosition& position) { positioned(name, position); });
}

void Hub::positioned(const QString& topicName, const BrokerPosition& position)
{
    using Stage = Topic::Cluster::Stage;
    const auto it = m_topics.find(topicName);
    if (it == m_topics.end() || (*it)->cluster().stage != Stage::Positioning)
        return;
    Topic& target = **it;
    Topic::Cluster& cluster = target.cluster();
    if (!position.ok) {
        // The store went away while asked: positioned again when it is back.
        cluster.stage = Stage::Unreachable;
        releaseWaiters(target);
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto toEvent = [&](quint64 seq, const QByteArray& bytes) -> EventPtr {
        const std::optional<Body> body = decodeBody(bytes);
        if (!body) {
            qCWarning(lcHub) << "a publication of" << topicName << "could not be read";
            return {};
        }
        return makeEvent(topicName, seq, body->name, body->data, body->timestampMs, body->except);
    };
    const bool sameNumbering = cluster.epoch == position.epoch && !cluster.diverged;
    quint64 lastSeq = position.seq;
    if (cluster.resuming && sameNumbering && position.complete) {
        // What this node missed, in order: to the subscribers it has, and into the history.
        for (const BrokerEntry& entry : position.entries) {
            if (entry.seq <= target.lastSeq())
                continue;
            if (const EventPtr event = toEvent(entry.seq, entry.body))
                deliver(target, event);
        }
    } else {
        // Watched anew, numbered anew, or more was missed than the history holds: the history
        // becomes the broker's, and subscribers that saw another numbering start afresh.
        if (cluster.resuming && target.subscriberCount() > 0)
            sendResync(target);
        // What the subscribers get live, after their resync or their subscribe's ack, as later
        // publications: what came live while this node asked (the one that showed the new
        // numbering first), and what this node published since it began to watch. The history
        // takes what came before.
        quint64 liveFrom = position.seq + 1;
        if (!cluster.pending.empty())
            liveFrom = std::min(liveFrom, cluster.pending.begin()->first);
        if (!cluster.resuming && cluster.ownSince != 0 && cluster.ownEpoch == position.epoch)
            liveFrom = std::min(liveFrom, cluster.ownSince);
        target.clearHistory();
        for (const BrokerEntry& entry : position.entries) {
            if (entry.seq >= liveFrom)
                cluster.pending.emplace(entry.seq, entry.body);
            else if (const EventPtr event = toEvent(entry.seq, entry.body))
                target.appendHistory(event, m_limits.historyLimit, m_limits.historyMaxAge, now);
        }
        lastSeq = liveFrom - 1;
    }
    target.setLastSeq(lastSeq);
    cluster.epoch = position.epoch;
    cluster.diverged = false;
    cluster.resuming = false;
    cluster.ownSince = 0;
    cluster.stage = Stage::Live;
    // Acks of subscribes waiting for the position go out before the publications that came
    // meanwhile.
    releaseWaiters(target);
    std::map<quint64, QByteArray> pending;
    pending.swap(cluster.pending);
    for (const auto& [seq, body] : pending)
        brokerPublication(topicName, position.epoch, seq, body);
}

void Hub::brokerPublication(const QString& topicName, const QString& epoch, quint64 seq,
                            const QByteArray& bytes)
{
    using Stage = Topic::Cluster::Stage;
    const auto it = m_topics.find(topicName);
    if (it == m_topics.end())
        return;
    Topic& target = **it;
    Topic::Cluster& cluster = target.cluster();
    switch (cluster.stage) {
    case Stage::Idle:
    case Stage::Unreachable:
        return;
    case Stage::Subscribing:
    case Stage::Positioning:
        if (cluster.pending.size() < maxPendingPublications)
            cluster.pending.emplace(seq, bytes);
        return;
    case Stage::Live:
        break;
    }
    if (epoch != cluster.epoch || seq > target.lastSeq() + 1) {
        // Numbered anew, or something was missed: ask where the topic stands, and keep this
        // one until then.
        cluster.pending.emplace(seq, bytes);
        cluster.resuming = true;
        askPosition(target);
        return;
    }
    if (seq <= target.lastSeq())
        return; // delivered already
    const std::optional<Body> body = decodeBody(bytes);
    if (!body) {
        qCWarning(lcHub) << "a publication of" << topicName << "could not be read";
        target.setLastSeq(seq);
        return;
    }
    deliver(target,
            makeEvent(topicName, seq, body->name, body->data, body->timestampMs, body->except));
}

void Hub::brokerLost(const QString& topicName)
{
    const auto it = m_topics.find(topicName);
    if (it == m_topics.end() || (*it)->cluster().stage == Topic::Cluster::Stage::Idle)
        return;
    Topic& target = **it;
    target.cluster().stage = Topic::Cluster::Stage::Unreachable;
    target.cluster().pending.clear();
    target.cluster().ownSince = 0;
    releaseWaiters(target);
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
