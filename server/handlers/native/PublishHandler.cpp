// native `publish {topic, event, data}`: publishes an event; acks with its seq and the
// number of subscribers it was delivered to. Needs the publish right (service or admin).

#include "../../auth/TopicPolicy.h"
#include "../../hub/Hub.h"
#include "../../hub/Subscriber.h"
#include "../../protocol/Fields.h"
#include "../../wire/Json.h"
#include "../HandlerRegistry.h"

#include <QJsonArray>

namespace switchboard {
namespace {

QJsonObject schema()
{
    const QJsonObject string{{QLatin1String("type"), QLatin1String("string")}};
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("topic"), QLatin1String("event")}},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("topic"), string},
                     {QLatin1String("event"), string},
                     {QLatin1String("data"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("object")}}}}}};
}

// The ack's data, {"delivered":N,"seq":N}: written once per publish, in one buffer.
QByteArray ackData(const Hub::PublishResult& result)
{
    QByteArray data;
    data.reserve(64); // the longest: 13 + 11 digits + 7 + 20 digits + 1
    data += R"({"delivered":)";
    Json::appendNumber(data, qint64(result.delivered));
    data += R"(,"seq":)";
    Json::appendNumber(data, result.seq);
    data += '}';
    return data;
}

constexpr int maxTopicLength = 200;
constexpr int maxEventLength = 100;

void publish(HandlerContext& context, const QString& topic, const QString& event,
             const EventData& data)
{
    if (!TopicPolicy::isValidName(topic))
        return context.fail(
            ErrorCode::InvalidMessage,
            QStringLiteral("data.topic: \"%1\" is not a valid topic name").arg(topic.left(64)));
    if (!context.services.policy.canPublish(context.subscriber.identity(), topic))
        return context.fail(ErrorCode::PermissionDenied,
                            QStringLiteral("not allowed to publish to \"%1\"").arg(topic));
    // The seq is known once the hub (on a node of a cluster, Redis) numbered the event.
    const PendingReply answer = context.defer();
    context.services.hub.publish(
        topic, event, data, nullptr,
        [answer](const Hub::PublishResult& result) { answer.replyJson(ackData(result)); });
}

void handle(HandlerContext& context)
{
    Fields fields(context.message.data);
    // Read by the dialect without a QJsonObject: the publisher's usual request.
    if (const auto& publication = context.message.publication) {
        const QString topic =
            fields.checkedString(QStringLiteral("topic"), publication->topic, maxTopicLength);
        const QString event =
            fields.checkedString(QStringLiteral("event"), publication->event, maxEventLength);
        if (!fields.ok())
            return context.fail(*fields.error());
        return publish(context, topic, event, EventData::fromCompactJson(publication->data));
    }
    const QString topic = fields.requiredString(QStringLiteral("topic"), maxTopicLength);
    const QString event = fields.requiredString(QStringLiteral("event"), maxEventLength);
    const QJsonObject data = fields.optionalObject(QStringLiteral("data"));
    if (!fields.ok())
        return context.fail(*fields.error());
    // The data's text as the publisher wrote it, when that is a compact object (not null, not
    // absent): kept and sent on as it is.
    const QByteArrayView text =
        Json::memberText(Json::memberText(context.message.text, "data"), "data");
    publish(context, topic, event,
            text.startsWith('{') ? EventData::fromCompactJson(text.toByteArray())
                                 : EventData(data));
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("native"), QLatin1String("publish"),
                             Access::Authenticated,
                             QLatin1String("Publish an event to a topic (service or admin)"),
                             &schema, &handle)

} // namespace switchboard
