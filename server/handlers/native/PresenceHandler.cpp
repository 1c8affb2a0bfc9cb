// native `presence {status, cursor?}`: tells every room this connection joined about its
// status (and cursor), as a `presence` event with action "update"; acks with the rooms and
// each room's members on every node ({rooms, members: {room: [..]}}).

#include "../../protocol/Fields.h"
#include "../HandlerRegistry.h"
#include "RoomHandlers.h"

#include <QJsonArray>

#include <memory>

namespace switchboard {
namespace {

QJsonObject schema()
{
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("status")}},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("status"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("string")}}},
                     {QLatin1String("cursor"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("object")}}}}}};
}

void handle(HandlerContext& context)
{
    Fields fields(context.message.data);
    const QString status = fields.requiredString(QStringLiteral("status"), 32);
    const QJsonObject cursor = fields.optionalObject(QStringLiteral("cursor"));
    if (!fields.ok())
        return context.fail(*fields.error());
    const QLatin1String prefix("room:");
    QJsonArray rooms;
    for (const QString& topic : context.subscriber.topics()) {
        if (topic.startsWith(prefix))
            rooms.append(topic.mid(prefix.size()));
    }
    if (rooms.isEmpty())
        return context.fail(ErrorCode::RoomNotFound, QStringLiteral("join a room first"));
    PresenceStore& presence = context.services.presence;
    const QJsonObject entry = presenceOf(context.subscriber, status, cursor);
    for (const QJsonValue& room : std::as_const(rooms))
        presence.set(roomTopic(room.toString()), context.subscriber.id(), entry);
    // Answered once every room's members are in (at once on a node alone).
    struct Gathering {
        QJsonObject members;
        qsizetype left = 0;
    };
    auto gathering = std::make_shared<Gathering>();
    gathering->left = rooms.size();
    const PendingReply answer = context.defer();
    for (const QJsonValue& room : std::as_const(rooms)) {
        presence.members(roomTopic(room.toString()),
                         [gathering, answer, rooms,
                          name = room.toString()](const PresenceStore::Members& members) {
                             gathering->members.insert(name, membersJson(members));
                             if (--gathering->left == 0)
                                 answer.reply({{QLatin1String("rooms"), rooms},
                                               {QLatin1String("members"), gathering->members}});
                         });
    }
    QJsonObject update{{QLatin1String("status"), status}};
    if (!cursor.isEmpty())
        update.insert(QLatin1String("cursor"), cursor);
    for (const QJsonValue& room : std::as_const(rooms))
        publishPresence(context, room.toString(), QStringLiteral("update"), update);
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(
    QLatin1String("native"), QLatin1String("presence"), Access::Authenticated,
    QLatin1String("Share status and cursor with every joined room; the ack lists "
                  "each room's members on every node"),
    &schema, &handle)

} // namespace switchboard
