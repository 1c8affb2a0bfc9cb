// 004 `ping`: answered with {"type":"pong"}; allowed before anything else, and the first
// reply such a client gets (the dialect sends no welcome).

#include "../HandlerRegistry.h"
#include "CollabHandlers.h"

namespace switchboard {
namespace {

QJsonObject schema()
{
    return collab::objectSchema({});
}

void handle(HandlerContext& context)
{
    context.reply();
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("ping"), Access::Anyone,
                             QLatin1String("Keep-alive: answered with pong"), &schema, &handle)

} // namespace switchboard
