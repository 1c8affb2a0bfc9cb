// native `unsubscribe {topics: [..]}`: stops delivery of the named topics.

#include "../../hub/Hub.h"
#include "../../hub/Subscriber.h"
#include "../../protocol/Fields.h"
#include "../HandlerRegistry.h"

#include <QJsonArray>

namespace switchboard {
namespace {

QJsonObject schema()
{
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("topics")}},
        {QLatin1String("properties"),
         QJsonObject{
             {QLatin1String("topics"),
              QJsonObject{{QLatin1String("type"), QLatin1String("array")},
                          {QLatin1String("items"),
                           QJsonObject{{QLatin1String("type"), QLatin1String("string")}}}}}}}};
}

void handle(HandlerContext& context)
{
    Fields fields(context.message.data);
    const QStringList topics = fields.requiredStringList(QStringLiteral("topics"));
    if (!fields.ok())
        return context.fail(*fields.error());
    for (const QString& topic : topics) {
        context.services.hub.unsubscribe(context.subscriber, topic);
    }
    context.reply({{QLatin1String("topics"), QJsonArray::fromStringList(topics)}});
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("native"), QLatin1String("unsubscribe"), Access::Anyone,
                             QLatin1String("Stop receiving the given topics"), &schema, &handle)

} // namespace switchboard
