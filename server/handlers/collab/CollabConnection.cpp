// 004 connections on `/api/v1/ws`: subscribed to the user's own topic `user:{sub}` (notify,
// uploads, ai_event); no welcome. Collab follows the connection from open to close: its
// unread notifications come again on open, and on close it leaves every room it was in.

#include "../HandlerRegistry.h"
#include "CollabHandlers.h"

namespace switchboard {
namespace {

QStringList autoTopics(const Identity& identity, const QString& /*path*/)
{
    return identity.subject.isEmpty() ? QStringList()
                                      : QStringList{QStringLiteral("user:") + identity.subject};
}

void opened(HandlerContext& context)
{
    context.services.collab.sessionOpened(context.subscriber);
}

void closed(HandlerContext& context)
{
    context.services.collab.sessionClosed(context.subscriber);
}

} // namespace

SWITCHBOARD_REGISTER_CONNECTION_HOOKS(.dialect = QLatin1String("collab"), .autoTopics = &autoTopics,
                                      .opened = &opened, .closed = &closed)

} // namespace switchboard
