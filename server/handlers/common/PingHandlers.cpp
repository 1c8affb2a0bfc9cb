// `ping` in the documents' dialects: 000, 001 and 002 answer with a JSON `pong`, 003 with the
// text frame "pong" (each dialect's encodeReply shapes it).

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
