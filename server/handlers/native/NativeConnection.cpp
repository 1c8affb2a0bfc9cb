// Native connections on `/ws/v1`: greeted with `welcome {session_id, server_version,
// protocol, heartbeat_ms}`; no automatic topics. A member that disconnects leaves its rooms
// as leave_room does: its rooms hear a `presence` leave. The members of a node that died are
// announced gone the same way, by the node that finds them gone.

#include "../../config/HubConfig.h"
#include "../../hub/PresenceStore.h"
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
        context.services.presence.remove(topic, context.subscriber.id());
        publishPresence(context, topic.mid(prefix.size()), QStringLiteral("leave"),
                        {{QLatin1String("status"), QLatin1String("offline")}});
    }
}

// Members of another node that died (or lost Redis for good) leave their rooms without a word:
// the node that finds them gone says it for them, as their leave_room would have (with 002's
// fields too, so its clients get a room_event user_left).
void install(Services& services)
{
    Hub& hub = services.hub;
    QObject::connect(
        &services.presence, &PresenceStore::vanished, &services.presence,
        [&hub](const QString& topic, const QList<PresenceEntry>& gone) {
            const QLatin1String prefix("room:");
            if (!topic.startsWith(prefix))
                return;
            const QString room = topic.mid(prefix.size());
            for (const PresenceEntry& entry : gone) {
                const QString user = entry.info.value(QLatin1String("user")).toString();
                hub.publish(topic, QStringLiteral("presence"),
                            {{QLatin1String("room"), room},
                             {QLatin1String("action"), QLatin1String("leave")},
                             {QLatin1String("event"), QLatin1String("user_left")},
                             {QLatin1String("status"), QLatin1String("offline")},
                             {QLatin1String("session_id"), entry.connectionId},
                             {QLatin1String("user"), user},
                             {QLatin1String("user_id"),
                              entry.info.value(QLatin1String("user_id")).toString(user)},
                             {QLatin1String("node"), entry.node}});
            }
        });
}

} // namespace

SWITCHBOARD_REGISTER_CONNECTION_HOOKS(.dialect = QLatin1String("native"), .opened = &opened,
                                      .closed = &closed, .install = &install)

} // namespace switchboard
