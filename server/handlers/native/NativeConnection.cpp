// Native connections on `/ws/v1`: greeted with `welcome {session_id, server_version,
// protocol, heartbeat_ms}`; no automatic topics. A member that disconnects leaves its rooms
// as leave_room does: its rooms hear a `presence` leave.

#include "../../config/HubConfig.h"
#include "../../hub/Subscriber.h"
#include "../../protocol/dialects/NativeDialect.h"
#include "../HandlerRegistry.h"
#include "RoomHandlers.h"

namespace switchboard {
namespace {

void opened(HandlerContext& context)
{
    context.send(
        QLatin1String("welcome"),
        {{QLatin1String("session_id"), context.subscriber.id()},
         {QLatin1String("server_version"), QStringLiteral(SWITCHBOARD_VERSION)},
         {QLatin1String("protocol"), NativeDialect::protocolVersion},
         {QLatin1String("heartbeat_ms"), qint64(context.services.config.pingInterval.count())}});
}

void closed(HandlerContext& context)
{
    const QLatin1String prefix("room:");
    const QStringList topics = context.subscriber.topics();
    for (const QString& topic : topics) {
        if (!topic.startsWith(prefix))
            continue;
        context.services.hub.unsubscribe(context.subscriber, topic);
        publishPresence(context, topic.mid(prefix.size()), QStringLiteral("leave"),
                        {{QLatin1String("status"), QLatin1String("offline")}});
    }
}

} // namespace

SWITCHBOARD_REGISTER_CONNECTION_HOOKS(.dialect = QLatin1String("native"), .opened = &opened,
                                      .closed = &closed)

} // namespace switchboard
