// native `leave_room {room}`: leaves a joined room and announces it to the members left.

#include "../../protocol/Fields.h"
#include "../HandlerRegistry.h"
#include "RoomHandlers.h"

#include <QJsonArray>

namespace switchboard {
namespace {

void handle(HandlerContext& context)
{
    Fields fields(context.message.data);
    const QString room = fields.requiredString(QStringLiteral("room"), 128);
    if (!fields.ok())
        return context.fail(*fields.error());
    const QString topic = roomTopic(room);
    if (!context.subscriber.isSubscribed(topic))
        return context.fail(ErrorCode::RoomNotFound,
                            QStringLiteral("not in room \"%1\"").arg(room.left(128)));
    context.services.hub.unsubscribe(context.subscriber, topic);
    context.services.presence.remove(topic, context.subscriber.id());
    context.reply({{QLatin1String("room"), room}});
    publishPresence(context, room, QStringLiteral("leave"),
                    {{QLatin1String("status"), QLatin1String("offline")}});
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("native"), QLatin1String("leave_room"),
                             Access::Authenticated, QLatin1String("Leave a joined room"),
                             &roomSchema, &handle)

} // namespace switchboard
