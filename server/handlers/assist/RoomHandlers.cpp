// 002 rooms: `join_room {room}` / `leave_room {room}` and the shortcuts for the document's
// special rooms — subscribe_system_metrics / unsubscribe_system_metrics (`system_monitoring`),
// subscribe_job_updates (`background_jobs`) and subscribe_document_updates
// (`document_updates_{user_id}`; `all_document_updates` for administrators). Each is
// answered with a `room_event`; other rooms' members see the join or leave as a room_event.
// A custom room's members are shared with every node (PresenceStore, as the native protocol's
// rooms: both live on `room:{id}`), and its `joined` lists them (`members`).

#include "../native/RoomHandlers.h"
#include "../../auth/TopicPolicy.h"
#include "../../hub/Hub.h"
#include "../../hub/PresenceStore.h"
#include "../../hub/Subscriber.h"
#include "../../protocol/Fields.h"
#include "../HandlerRegistry.h"
#include "../Services.h"
#include "AssistConnection.h"

#include <QJsonArray>

namespace switchboard {
namespace {

constexpr int maxRoomsPerConnection = 256;

QJsonObject noFields()
{
    return QJsonObject{{QLatin1String("type"), QLatin1String("object")}};
}

QJsonObject documentSchema()
{
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("user_id"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("string")},
                                  {QLatin1String("description"),
                                   QLatin1String("whose updates; administrators only, default "
                                                 "one's own (administrators: all)")}}}}}};
}

QJsonObject roomEvent(const Identity& identity, const QString& event, const QString& room)
{
    return {{QLatin1String("type"), QLatin1String("room_event")},
            {QLatin1String("event"), event},
            {QLatin1String("room"), room},
            {QLatin1String("user_id"),
             identity.isAuthenticated() ? QJsonValue(identity.subject) : QJsonValue()}};
}

void replyRoomEvent(HandlerContext& context, const QString& event, const QString& room)
{
    context.reply(roomEvent(context.subscriber.identity(), event, room));
}

// A custom room's `joined` lists its members on every node (`members`, as the native ack does).
void replyJoinedWithMembers(Services& services, const PendingReply& answer,
                            const Subscriber& subscriber, const QString& room, const QString& topic)
{
    QJsonObject joined = roomEvent(subscriber.identity(), QStringLiteral("joined"), room);
    PresenceStore& presence = services.presence;
    // Once the room's topic flows here (at once on a node alone).
    services.hub.whenReady({topic}, [&presence, answer, joined, topic] {
        presence.members(topic, [answer, joined](const PresenceStore::Members& members) mutable {
            joined.insert(QLatin1String("members"), membersJson(members));
            answer.reply(joined);
        });
    });
}

// Tells the room's other members, in every dialect, that this connection joined or left.
void announce(Hub& hub, Subscriber& subscriber, const QString& room, const QString& event)
{
    const Identity& identity = subscriber.identity();
    hub.publish(
        roomTopic(room), QStringLiteral("presence"),
        {{QLatin1String("room"), room},
         {QLatin1String("event"), event},
         {QLatin1String("action"),
          event == QLatin1String("user_joined") ? QLatin1String("join") : QLatin1String("leave")},
         {QLatin1String("session_id"), subscriber.id()},
         {QLatin1String("user"), identity.subject.isEmpty() ? subscriber.id() : identity.subject},
         {QLatin1String("user_id"), identity.subject}},
        &subscriber);
}

bool isCustomRoom(const QString& topic)
{
    return topic.startsWith(QLatin1String("room:"));
}

QString online()
{
    return QStringLiteral("online");
}

Error tooManyRooms()
{
    return {ErrorCode::InvalidMessage,
            QStringLiteral("at most %1 rooms per connection").arg(maxRoomsPerConnection)};
}

// Joins a custom room whose tenant was checked on every node.
void joinCustomRoom(Services& services, Subscriber& subscriber, const PendingReply& answer,
                    const QString& room, const QString& topic)
{
    if (!subscriber.isSubscribed(topic)) {
        if (subscriber.topics().size() >= maxRoomsPerConnection)
            return answer.fail(tooManyRooms());
        services.hub.subscribe(subscriber, topic);
        services.presence.set(topic, subscriber.id(), presenceOf(subscriber, online()));
        replyJoinedWithMembers(services, answer, subscriber, room, topic);
        announce(services.hub, subscriber, room, QStringLiteral("user_joined"));
        return;
    }
    replyJoinedWithMembers(services, answer, subscriber, room, topic);
}

void join(HandlerContext& context, const QString& room)
{
    Subscriber& subscriber = context.subscriber;
    const QString topic = assist::topicOfRoom(room);
    if (!TopicPolicy::isValidName(topic))
        return context.fail(
            ErrorCode::InvalidMessage,
            QStringLiteral("room: \"%1\" is not a valid room name").arg(room.left(64)));
    const QString refusal = QStringLiteral("not allowed to join room \"%1\"").arg(room);
    if (isCustomRoom(topic)) {
        // The room may be another tenant's on another node only: joined once every node's say
        // is in.
        Services& services = context.services;
        const PendingReply answer = context.defer();
        services.policy.checkSubscribe(
            subscriber.identity(), {topic},
            [&services, answer, room, topic, refusal](const QString& refused) {
                Subscriber* client = answer.subscriber();
                if (!client)
                    return;
                if (!refused.isEmpty())
                    return answer.fail(ErrorCode::PermissionDenied, refusal);
                joinCustomRoom(services, *client, answer, room, topic);
            });
        return;
    }
    if (!context.services.policy.canSubscribe(subscriber.identity(), topic))
        return context.fail(ErrorCode::PermissionDenied, refusal);
    if (!subscriber.isSubscribed(topic)) {
        if (subscriber.topics().size() >= maxRoomsPerConnection)
            return context.fail(tooManyRooms());
        context.services.hub.subscribe(subscriber, topic);
    }
    replyRoomEvent(context, QStringLiteral("joined"), room);
}

void leave(HandlerContext& context, const QString& room)
{
    Subscriber& subscriber = context.subscriber;
    const QString topic = assist::topicOfRoom(room);
    if (!subscriber.isSubscribed(topic))
        return context.fail(ErrorCode::RoomNotFound,
                            QStringLiteral("not in room \"%1\"").arg(room.left(64)));
    context.services.hub.unsubscribe(subscriber, topic);
    replyRoomEvent(context, QStringLiteral("left"), room);
    if (isCustomRoom(topic)) {
        context.services.presence.remove(topic, subscriber.id());
        announce(context.services.hub, subscriber, room, QStringLiteral("user_left"));
    }
}

std::optional<QString> roomField(HandlerContext& context)
{
    Fields fields(context.message.data, QString());
    const QString room = fields.requiredString(QStringLiteral("room"), 128);
    if (!fields.ok()) {
        context.fail(*fields.error());
        return std::nullopt;
    }
    return room;
}

void joinRoom(HandlerContext& context)
{
    if (const auto room = roomField(context))
        join(context, *room);
}

void leaveRoom(HandlerContext& context)
{
    if (const auto room = roomField(context))
        leave(context, *room);
}

void subscribeSystemMetrics(HandlerContext& context)
{
    join(context, QStringLiteral("system_monitoring"));
}

void unsubscribeSystemMetrics(HandlerContext& context)
{
    leave(context, QStringLiteral("system_monitoring"));
}

void subscribeJobUpdates(HandlerContext& context)
{
    join(context, QStringLiteral("background_jobs"));
}

void subscribeDocumentUpdates(HandlerContext& context)
{
    Fields fields(context.message.data, QString());
    const QString userId = fields.optionalString(QStringLiteral("user_id"), {}, 128);
    if (!fields.ok())
        return context.fail(*fields.error());
    const Identity& identity = context.subscriber.identity();
    if (userId.isEmpty() && identity.isAdmin())
        return join(context, QStringLiteral("all_document_updates"));
    join(context,
         QStringLiteral("document_updates_") + (userId.isEmpty() ? identity.subject : userId));
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("assist"), QLatin1String("join_room"),
                             Access::Authenticated,
                             QLatin1String("Join a room: {room}; special rooms: admin, "
                                           "system_monitoring, background_jobs, "
                                           "all_document_updates, document_updates_{user_id}"),
                             &roomSchema, &joinRoom)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("assist"), QLatin1String("leave_room"),
                             Access::Authenticated, QLatin1String("Leave a room: {room}"),
                             &roomSchema, &leaveRoom)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("assist"), QLatin1String("subscribe_system_metrics"),
                             Access::Authenticated,
                             QLatin1String("Receive system_metrics every 2 s (room "
                                           "system_monitoring)"),
                             &noFields, &subscribeSystemMetrics)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("assist"), QLatin1String("unsubscribe_system_metrics"),
                             Access::Authenticated, QLatin1String("Stop receiving system_metrics"),
                             &noFields, &unsubscribeSystemMetrics)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("assist"), QLatin1String("subscribe_job_updates"),
                             Access::Authenticated,
                             QLatin1String("Receive job_updates (room background_jobs)"), &noFields,
                             &subscribeJobUpdates)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("assist"), QLatin1String("subscribe_document_updates"),
                             Access::Authenticated,
                             QLatin1String("Receive document_processing_* for oneself (admins: "
                                           "everyone, or {user_id})"),
                             &documentSchema, &subscribeDocumentUpdates)

} // namespace switchboard
