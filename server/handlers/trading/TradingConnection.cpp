// 001 connections on `/ws`: subscribed to `trading` and `logs`, greeted with
// `connection_established {message}`.

#include "../HandlerRegistry.h"

namespace switchboard {
namespace {

QStringList autoTopics(const Identity& /*identity*/, const QString& /*path*/)
{
    return {QStringLiteral("trading"), QStringLiteral("logs")};
}

void opened(HandlerContext& context)
{
    context.send(
        QLatin1String("connection_established"),
        {{QLatin1String("message"), QLatin1String("Connected to Switchboard WebSocket server")}});
}

} // namespace

SWITCHBOARD_REGISTER_CONNECTION_HOOKS(.dialect = QLatin1String("trading"),
                                      .autoTopics = &autoTopics, .opened = &opened)

} // namespace switchboard
