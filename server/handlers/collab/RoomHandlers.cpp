// 004 `join_room {room_id}` and `leave_room {room_id}`. A join subscribes the session to
// `room:{room_id}`, shares the member with every node, and sends the new `room_state` (every
// node's members) to everyone in the room, the newcomer included (and a fresh one when the cell
// store holds sheets the room did not list yet); a leave (or a disconnect, see
// Collab::sessionClosed) sends it to those left.
// Only users of the room's tenant may join (SPEC §4): the tenant whose members are in it on
// any node, else the one this node knows it by.

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

// The join itself, once it is known that no other tenant's members hold the room on another
// node.
void enter(Services& services, Subscriber& subscriber, const PendingReply& answer,
           const QString& room)
{
    Collab& collab = services.collab;
    switch (collab.rooms().join(room, collab::memberOf(subscriber), subscriber.identity().tenant)) {
    case CollabRooms::JoinResult::Forbidden:
        return answer.fail(ErrorCode::PermissionDenied,
                           QStringLiteral("room \"%1\" belongs to another tenant").arg(room));
    case CollabRooms::JoinResult::TooManyRooms:
        return answer.fail(ErrorCode::RateLimitExceeded,
                           QStringLiteral("a connection may be in at most %1 rooms")
                               .arg(collab.rooms().limits().maxRoomsPerSession));
    case CollabRooms::JoinResult::RoomFull:
        return answer.fail(ErrorCode::PermissionDenied,
                           QStringLiteral("room \"%1\" is full (%2 connections)")
                               .arg(room)
                               .arg(collab.rooms().limits().maxMembersPerRoom));
    case CollabRooms::JoinResult::AlreadyMember:
        // Joining again is how a client asks for the state afresh: to it alone.
        collab.roomState(room, [answer](const QJsonObject& state) { answer.reply(state); });
        return collab.refreshSheets(room);
    case CollabRooms::JoinResult::Joined:
        break;
    }
    const QString topic = QStringLiteral("room:") + room;
    Hub& hub = services.hub;
    hub.subscribe(subscriber, topic);
    collab.sharePresence(room, subscriber.id());
    // On a node of a cluster, once the room's topic flows here: else the newcomer could miss
    // its own room_state (at once on a node alone).
    hub.whenReady({topic}, [&collab, room] {
        collab.publishRoomState(room);
        // The sheets other nodes (or an earlier run) wrote: a fresh room_state if there are new
        // ones.
        collab.refreshSheets(room);
    });
}

void join(HandlerContext& context)
{
    const std::optional<QString> room = requiredRoom(context);
    if (!room)
        return;
    const QString topic = QStringLiteral("room:") + *room;
    if (!context.services.policy.canSubscribe(context.subscriber.identity(), topic))
        return context.fail(ErrorCode::PermissionDenied,
                            QStringLiteral("not allowed to join room \"%1\"").arg(*room));
    // Whose members are in the room on every node (the answer comes at once on a node alone):
    // a room belongs to the tenant of whoever opened it, wherever they did.
    const PendingReply answer = context.defer();
    Services& services = context.services;
    collab::state(context).tenantOfRoom(*room, [&services, answer, room = *room](
                                                   const std::optional<QString>& tenant) {
        Subscriber* subscriber = answer.subscriber();
        if (!subscriber)
            return;
        if (tenant && *tenant != subscriber->identity().tenant)
            return answer.fail(ErrorCode::PermissionDenied,
                               QStringLiteral("room \"%1\" belongs to another tenant").arg(room));
        enter(services, *subscriber, answer, room);
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
