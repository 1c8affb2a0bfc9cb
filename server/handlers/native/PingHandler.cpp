// native `ping`: answered with `pong` (carrying the request id, if any).

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

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("native"), QLatin1String("ping"), Access::Anyone,
                             QLatin1String("Application-level keep-alive; answered with pong"),
                             &schema, &handle)

} // namespace switchboard
