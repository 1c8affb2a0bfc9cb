// `ping` in every dialect: answered with `pong` as the dialect shapes it (its encodeReply):
// JSON with the request's id in the native protocol, JSON in 000, 001, 002 and 004, the text
// frame "pong" in 003.

#include "../HandlerRegistry.h"

namespace switchboard {
namespace {

QJsonObject schema()
{
    return QJsonObject{{QLatin1String("type"), QLatin1String("object")}};
}

void handle(HandlerContext& context)
{
    context.reply();
}

const QLatin1String summary("Application-level keep-alive; answered with pong");

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("native"), QLatin1String("ping"), Access::Anyone,
                             summary, &schema, &handle)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("ping"), Access::Anyone,
                             summary, &schema, &handle)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("calculations"), QLatin1String("ping"), Access::Anyone,
                             summary, &schema, &handle)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("trading"), QLatin1String("ping"), Access::Anyone,
                             summary, &schema, &handle)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("assist"), QLatin1String("ping"), Access::Anyone,
                             summary, &schema, &handle)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("projects"), QLatin1String("ping"), Access::Anyone,
                             QLatin1String("The text frame \"ping\"; answered with \"pong\""),
                             &schema, &handle)

} // namespace switchboard
