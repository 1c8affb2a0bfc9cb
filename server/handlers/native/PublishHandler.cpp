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

void handle(HandlerContext& context)
{
    Fields fields(context.message.data);
    const QString topic = fields.requiredString(QStringLiteral("topic"), 200);
    const QString event = fields.requiredString(QStringLiteral("event"), 100);
    const QJsonObject data = fields.optionalObject(QStringLiteral("data"));
    if (!fields.ok())
        return context.fail(*fields.error());
    if (!TopicPolicy::isValidName(topic))
        return context.fail(
            ErrorCode::InvalidMessage,
            QStringLiteral("data.topic: \"%1\" is not a valid topic name").arg(topic.left(64)));
    if (!context.services.policy.canPublish(context.subscriber.identity(), topic))
        return context.fail(ErrorCode::PermissionDenied,
                            QStringLiteral("not allowed to publish to \"%1\"").arg(topic));
    // The data's text as the publisher wrote it, when that is a compact object (not null, not
    // absent): kept and sent on as it is.
    const QByteArrayView text =
        Json::memberText(Json::memberText(context.message.text, "data"), "data");
    const EventData eventData =
        text.startsWith('{') ? EventData::fromCompactJson(text.toByteArray()) : EventData(data);
    // The seq is known once the hub (on a node of a cluster, Redis) numbered the event.
    const PendingReply answer = context.defer();
    context.services.hub.publish(
        topic, event, eventData, nullptr,
        [answer](const Hub::PublishResult& result) { answer.replyJson(ackData(result)); });
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("native"), QLatin1String("publish"),
                             Access::Authenticated,
                             QLatin1String("Publish an event to a topic (service or admin)"),
                             &schema, &handle)

} // namespace switchboard
