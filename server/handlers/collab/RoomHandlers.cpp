// 004 `join_room {room_id}` and `leave_room {room_id}`. A join puts the member in the room's
// presence on every node, which claims the room for the joiner's tenant when nobody is in it on
// any node and refuses another tenant's user while anybody is (PERMISSION_DENIED, on a node
// alone as in a cluster); admitted, it subscribes the session to `room:{room_id}` and sends the new
// `room_state` (every node's members) to everyone in the room, the newcomer included (and a fresh
// one when the cell store holds sheets the room did not list yet); a leave (or a disconnect, see
// Collab::sessionClosed) sends it to those left.
// Only users of the room's tenant may join (SPEC §4); the join is answered once that is known.

#include "../HandlerRegistry.h"
#include "CollabHandlers.h"

#include <QDateTime>

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

// Another tenant's room, as the topic policy refuses it.
Error notAllowed(const QString& room)
{
    return {ErrorCode::PermissionDenied,
            QStringLiteral("not allowed to join room \"%1\"").arg(room)};
}

// Why a join is refused, in the words a single node and every node of a cluster use.
std::optional<Error> refusal(CollabRooms::JoinResult result, const QString& room,
                             const CollabLimits& limits)
{
    switch (result) {
    case CollabRooms::JoinResult::Forbidden:
        return notAllowed(room);
    case CollabRooms::JoinResult::TooManyRooms:
        return Error{ErrorCode::RateLimitExceeded,
                     QStringLiteral("a connection may be in at most %1 rooms")
                         .arg(limits.maxRoomsPerSession)};
    case CollabRooms::JoinResult::RoomFull:
        return Error{ErrorCode::PermissionDenied,
                     QStringLiteral("room \"%1\" is full (%2 connections)")
                         .arg(room)
                         .arg(limits.maxMembersPerRoom)};
    case CollabRooms::JoinResult::Joined:
    case CollabRooms::JoinResult::AlreadyMember:
        break;
    }
    return std::nullopt;
}

// Joining again is how a client asks for the state afresh: to it alone.
void answerWithState(Collab& collab, const QString& room, const PendingReply& answer)
{
    collab.roomState(room, [answer](const QJsonObject& state) { answer.reply(state); });
    collab.refreshSheets(room);
}

// The presence store admitted the member for its tenant on every node: in the room here too.
void enter(Collab& collab, Hub& hub, const PendingReply& answer, const QString& room,
           const RoomMember& member, const QString& tenant)
{
    Subscriber* subscriber = answer.subscriber();
    if (!subscriber)
        return; // Collab::admit answers the open sessions only
    const CollabRooms::JoinResult joined = collab.rooms().join(room, member, tenant);
    if (joined == CollabRooms::JoinResult::AlreadyMember)
        return answerWithState(collab, room, answer); // a second join_room, answered first
    if (const std::optional<Error> error = refusal(joined, room, collab.rooms().limits())) {
        // Things changed here while the store was asked.
        collab.withdrawPresence(room, member.sessionId);
        return answer.fail(*error);
    }
    const QString topic = QStringLiteral("room:") + room;
    hub.subscribe(*subscriber, topic);
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
    const Identity& identity = context.subscriber.identity();
    if (!context.services.policy.canSubscribe(identity, topic))
        return context.fail(notAllowed(*room));
    Collab& collab = collab::state(context);
    const CollabRooms::JoinResult admitted =
        collab.rooms().admits(*room, context.subscriber.id(), identity.tenant);
    if (const std::optional<Error> error = refusal(admitted, *room, collab.rooms().limits()))
        return context.fail(*error);
    if (admitted == CollabRooms::JoinResult::AlreadyMember)
        return answerWithState(collab, *room, context.defer());

    // Whose the room is, is the cluster's to say (the nodes hold their own members only).
    RoomMember member = collab::memberOf(context.subscriber);
    member.lastSeenMs = QDateTime::currentMSecsSinceEpoch();
    const PendingReply answer = context.defer();
    const QString tenant = identity.tenant;
    Hub& hub = context.services.hub;
    collab.admit(
        *room, tenant, member,
        [&collab, &hub, answer, room = *room, member, tenant](PresenceStore::Admission admission) {
            switch (admission) {
            case PresenceStore::Admission::Admitted:
                return enter(collab, hub, answer, room, member, tenant);
            case PresenceStore::Admission::Refused:
                return answer.fail(
                    *refusal(CollabRooms::JoinResult::Forbidden, room, collab.rooms().limits()));
            case PresenceStore::Admission::Unknown:
                return answer.fail(
                    ErrorCode::InternalError,
                    QStringLiteral("whose room \"%1\" is cannot be checked now; retry "
                                   "later")
                        .arg(room));
            }
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
