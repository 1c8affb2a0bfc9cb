// native `subscribe {topics: [..], since?: {topic: seq}}`: subscribes to every topic or to
// none, acks with each topic's current seq, then replays what the client missed.

#include "../../auth/TopicPolicy.h"
#include "../../hub/Hub.h"
#include "../../hub/Subscriber.h"
#include "../../protocol/Fields.h"
#include "../../wire/WebSocketFrame.h"
#include "../HandlerRegistry.h"

#include <QJsonArray>

namespace switchboard {
namespace {

constexpr int maxTopicsPerSession = 256;

QJsonObject schema()
{
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("topics")}},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("topics"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("array")},
                                  {QLatin1String("items"),
                                   QJsonObject{{QLatin1String("type"), QLatin1String("string")}}}}},
                     {QLatin1String("since"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("object")},
                                  {QLatin1String("description"),
                                   QLatin1String("last seq seen per topic; missed events are "
                                                 "replayed, or resync is sent")}}}}}};
}

Error tooManyTopics()
{
    return {ErrorCode::InvalidMessage,
            QStringLiteral("data.topics: at most %1 subscriptions per connection")
                .arg(maxTopicsPerSession)};
}

// Subscribes to every topic, acks with their seqs once they stand where the cluster has them
// (at once on a node alone), then replays what the client missed since `since`.
void subscribeAndReplay(Hub& hub, Subscriber& subscriber, const Dialect& dialect,
                        const PendingReply& answer, const QStringList& topics,
                        const QJsonObject& since)
{
    for (const QString& topic : topics)
        hub.subscribe(subscriber, topic);
    hub.whenReady(topics, [&hub, &dialect, answer, topics, since] {
        QJsonObject seqs;
        for (const QString& topic : topics)
            seqs.insert(topic, double(hub.currentSeq(topic)));
        answer.reply({{QLatin1String("seq"), seqs}});
        Subscriber* client = answer.subscriber();
        if (!client)
            return;
        for (const QString& topic : topics) {
            if (!since.contains(topic))
                continue;
            const Hub::Replay replay =
                hub.eventsAfter(topic, quint64(since.value(topic).toDouble()));
            if (!replay.complete) {
                client->sendText(dialect.encodeResync(topic));
                continue;
            }
            for (const EventPtr& event : replay.events)
                client->sendFrame(WebSocketFrame::text(dialect.encodeEvent(*event)));
        }
    });
}

void handle(HandlerContext& context)
{
    Fields fields(context.message.data);
    const QStringList topics =
        fields.requiredStringList(QStringLiteral("topics"), maxTopicsPerSession);
    const QJsonObject since = fields.optionalObject(QStringLiteral("since"));
    if (!fields.ok())
        return context.fail(*fields.error());
    for (auto it = since.begin(); it != since.end(); ++it) {
        if (!it.value().isDouble() || it.value().toDouble() < 0)
            return context.fail(
                ErrorCode::InvalidMessage,
                QStringLiteral("data.since.%1 must be a non-negative number").arg(it.key()));
    }
    for (const QString& topic : topics) {
        if (!TopicPolicy::isValidName(topic))
            return context.fail(ErrorCode::InvalidMessage,
                                QStringLiteral("data.topics: \"%1\" is not a valid topic name")
                                    .arg(topic.left(64)));
    }
    if (context.subscriber.topics().size() + topics.size() > maxTopicsPerSession)
        return context.fail(tooManyTopics());
    // A room's tenant may be known on another node only: subscribed once every node's say is in.
    Services& services = context.services;
    const PendingReply answer = context.defer();
    const Dialect& dialect = context.dialect;
    services.policy.checkSubscribe(
        context.subscriber.identity(), topics,
        [&services, &dialect, answer, topics, since](const QString& refused) {
            Subscriber* subscriber = answer.subscriber();
            if (!subscriber)
                return;
            if (!refused.isEmpty())
                return answer.fail(
                    ErrorCode::PermissionDenied,
                    QStringLiteral("not allowed to subscribe to \"%1\"").arg(refused));
            // Counted again: other subscriptions may have been made while the cluster was asked.
            if (subscriber->topics().size() + topics.size() > maxTopicsPerSession)
                return answer.fail(tooManyTopics());
            subscribeAndReplay(services.hub, *subscriber, dialect, answer, topics, since);
        });
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(
    QLatin1String("native"), QLatin1String("subscribe"), Access::Anyone,
    QLatin1String("Subscribe to topics; with `since`, replay missed events"), &schema, &handle)

} // namespace switchboard
