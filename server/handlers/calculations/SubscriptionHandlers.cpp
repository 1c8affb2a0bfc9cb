// 000 `subscribe` / `unsubscribe` {"data": {"topic"}}: adds or drops one of the document's
// topics (calculations, entities, status, jobs); answered with `subscribed`/`unsubscribed`.

#include "../../auth/TopicPolicy.h"
#include "../../hub/Hub.h"
#include "../../hub/Subscriber.h"
#include "../../protocol/Fields.h"
#include "../../protocol/dialects/CalculationsDialect.h"
#include "../HandlerRegistry.h"

#include <QJsonArray>

namespace switchboard {
namespace {

QJsonObject schema()
{
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("topic")}},
        {QLatin1String("properties"),
         QJsonObject{
             {QLatin1String("topic"),
              QJsonObject{{QLatin1String("type"), QLatin1String("string")},
                          {QLatin1String("enum"),
                           QJsonArray{QLatin1String("calculations"), QLatin1String("entities"),
                                      QLatin1String("status"), QLatin1String("jobs")}}}}}}};
}

// The topic named by the request, or an error already sent.
std::optional<QString> documentTopic(HandlerContext& context)
{
    Fields fields(context.message.data);
    const QString topic = fields.requiredString(QStringLiteral("topic"), 64);
    if (!fields.ok()) {
        context.fail(*fields.error());
        return std::nullopt;
    }
    if (!CalculationsDialect::isDocumentTopic(topic)) {
        context.fail(ErrorCode::InvalidMessage,
                     QStringLiteral("data.topic must be calculations, entities, status or jobs"));
        return std::nullopt;
    }
    return topic;
}

void subscribe(HandlerContext& context)
{
    const std::optional<QString> topic = documentTopic(context);
    if (!topic)
        return;
    Subscriber& subscriber = context.subscriber;
    if (!context.services.policy.canSubscribe(subscriber.identity(), *topic))
        return context.fail(ErrorCode::PermissionDenied,
                            QStringLiteral("not allowed to subscribe to \"%1\"").arg(*topic));
    if (!subscriber.isSubscribed(*topic)) {
        context.services.hub.subscribe(subscriber, *topic);
    }
    context.reply({{QLatin1String("topic"), *topic}});
}

void unsubscribe(HandlerContext& context)
{
    const std::optional<QString> topic = documentTopic(context);
    if (!topic)
        return;
    Subscriber& subscriber = context.subscriber;
    if (subscriber.isSubscribed(*topic)) {
        context.services.hub.unsubscribe(subscriber, *topic);
    }
    context.reply({{QLatin1String("topic"), *topic}});
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("calculations"), QLatin1String("subscribe"),
                             Access::Authenticated,
                             QLatin1String("Receive a topic's messages: calculations, entities, "
                                           "status or jobs"),
                             &schema, &subscribe)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("calculations"), QLatin1String("unsubscribe"),
                             Access::Authenticated, QLatin1String("Stop receiving a topic"),
                             &schema, &unsubscribe)

} // namespace switchboard
