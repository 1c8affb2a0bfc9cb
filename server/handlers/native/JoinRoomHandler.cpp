// native `join_room {room}`: subscribes to the room's topic `room:{room}` and announces the
// join to its members as a `presence` event; acks with the room, its current seq and its
// members on every node (the joiner included).

#include "../../auth/TopicPolicy.h"
#include "../../protocol/Fields.h"
#include "../HandlerRegistry.h"
#include "../Services.h"
#include "RoomHandlers.h"

#include <QJsonArray>

namespace switchboard {
namespace {

// Subscribes the client to the room's topic, puts it in the room's presence, acks once the
// topic stands where the cluster has it (at once on a node alone), as a subscribe is: its seq is
// the cluster's, and what comes after the ack reaches the client; then tells the room.
void join(Services& services, Subscriber& subscriber, const PendingReply& answer,
          const QString& room, const QString& topic)
{
    Hub& hub = services.hub;
    hub.subscribe(subscriber, topic);
    PresenceStore& presence = services.presence;
    presence.set(topic, subscriber.id(), presenceOf(subscriber, QStringLiteral("online")));
    hub.whenReady({topic}, [&hub, &presence, answer, room, topic] {
        presence.members(topic, [&hub, answer, room, topic](const PresenceStore::Members& members) {
            answer.reply({{QLatin1String("room"), room},
                          {QLatin1String("seq"), double(hub.currentSeq(topic))},
                          {QLatin1String("members"), membersJson(members)}});
        });
    });
    publishPresence(hub, subscriber, room, QStringLiteral("join"),
                    {{QLatin1String("status"), QLatin1String("online")}});
}

void handle(HandlerContext& context)
{
    Fields fields(context.message.data);
    const QString room = fields.requiredString(QStringLiteral("room"), 128);
    if (!fields.ok())
        return context.fail(*fields.error());
    const QString topic = roomTopic(room);
    if (!TopicPolicy::isValidName(topic))
        return context.fail(ErrorCode::InvalidMessage,
                            QStringLiteral("data.room: \"%1\" is not a valid room name").arg(room));
    // The room may be another tenant's on another node only: joined once every node's say is in.
    Services& services = context.services;
    const PendingReply answer = context.defer();
    services.policy.checkSubscribe(
        context.subscriber.identity(), {topic},
        [&services, answer, room, topic](const QString& refused) {
            Subscriber* subscriber = answer.subscriber();
            if (!subscriber)
                return;
            if (!refused.isEmpty())
                return answer.fail(ErrorCode::PermissionDenied,
                                   QStringLiteral("not allowed to join room \"%1\"").arg(room));
            join(services, *subscriber, answer, room, topic);
        });
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(
    QLatin1String("native"), QLatin1String("join_room"), Access::Authenticated,
    QLatin1String("Join a room: its events arrive on topic room:{room}; the ack "
                  "lists its members on every node"),
    &roomSchema, &handle)

} // namespace switchboard
