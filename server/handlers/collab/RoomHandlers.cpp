// 004 `join_room {room_id}` and `leave_room {room_id}`. A join subscribes the session to
// `room:{room_id}`, shares the member with every node, and sends the new `room_state` (every
// node's members) to everyone in the room, the newcomer included (and a fresh one when the cell
// store holds sheets the room did not list yet); a leave (or a disconnect, see
// Collab::sessionClosed) sends it to those left.
// Only users of the room's tenant may join (SPEC §4).

#include "../HandlerRegistry.h"
#include "CollabHandlers.h"

namespace switchboard {
namespace {

QJsonObject schema()
{
    return collab::objectSchema({{"room_id", "string"}}, {"room_id"});
}

std::optional<QString> requiredRoom(HandlerContext& context)
{
    const std::optional<QString> room = collab::namedRoom(context);
    if (room && room->isEmpty()) {
        context.fail(ErrorCode::InvalidMessage, QStringLiteral("room_id is required"));
        return std::nullopt;
    }
    return room;
}

void join(HandlerContext& context)
{
    const std::optional<QString> room = requiredRoom(context);
    if (!room)
        return;
    const QString topic = QStringLiteral("room:") + *room;
    const Identity& identity = context.subscriber.identity();
    if (!context.services.policy.canSubscribe(identity, topic))
        return context.fail(ErrorCode::PermissionDenied,
                            QStringLiteral("not allowed to join room \"%1\"").arg(*room));
    Collab& collab = collab::state(context);
    switch (collab.rooms().join(*room, collab::memberOf(context.subscriber), identity.tenant)) {
    case CollabRooms::JoinResult::Forbidden:
        return context.fail(ErrorCode::PermissionDenied,
                            QStringLiteral("room \"%1\" belongs to another tenant").arg(*room));
    case CollabRooms::JoinResult::TooManyRooms:
        return context.fail(ErrorCode::RateLimitExceeded,
                            QStringLiteral("a connection may be in at most %1 rooms")
                                .arg(collab.rooms().limits().maxRoomsPerSession));
    case CollabRooms::JoinResult::RoomFull:
        return context.fail(ErrorCode::PermissionDenied,
                            QStringLiteral("room \"%1\" is full (%2 connections)")
                                .arg(*room)
                                .arg(collab.rooms().limits().maxMembersPerRoom));
    case CollabRooms::JoinResult::AlreadyMember: {
        // Joining again is how a client asks for the state afresh: to it alone.
        const PendingReply answer = context.defer();
        collab.roomState(*room, [answer](const QJsonObject& state) { answer.reply(state); });
        return collab.refreshSheets(*room);
    }
    case CollabRooms::JoinResult::Joined:
        break;
    }
    Hub& hub = context.services.hub;
    hub.subscribe(context.subscriber, topic);
    collab.sharePresence(*room, context.subscriber.id());
    // On a node of a cluster, once the room's topic flows here: else the newcomer could miss
    // its own room_state (at once on a node alone).
    hub.whenReady({topic}, [&collab, room = *room] {
        collab.publishRoomState(room);
        // The sheets other nodes (or an earlier run) wrote: a fresh room_state if there are new
        // ones.
        collab.refreshSheets(room);
    });
}

void leave(HandlerContext& context)
{
    const std::optional<QString> room = requiredRoom(context);
    if (!room)
        return;
    Collab& collab = collab::state(context);
    if (!collab.rooms().leave(*room, context.subscriber.id()))
        return context.fail(ErrorCode::RoomNotFound,
                            QStringLiteral("not in room \"%1\"").arg(*room));
    const QString topic = QStringLiteral("room:") + *room;
    context.services.hub.unsubscribe(context.subscriber, topic);
    collab.withdrawPresence(*room, context.subscriber.id());
    collab.publishRoomState(*room);
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("join_room"),
                             Access::Authenticated,
                             QLatin1String("Join a room; everyone in it gets the new room_state"),
                             &schema, &join)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("leave_room"),
                             Access::Authenticated,
                             QLatin1String("Leave a room; those left get the new room_state"),
                             &schema, &leave)

} // namespace switchboard
