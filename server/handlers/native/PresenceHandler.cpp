// native `presence {status, cursor?}`: tells every room this connection joined about its
// status (and cursor), as a `presence` event with action "update".

#include "../../protocol/Fields.h"
#include "../HandlerRegistry.h"
#include "RoomHandlers.h"

#include <QJsonArray>

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
    context.reply({{QLatin1String("rooms"), rooms}});
    QJsonObject update{{QLatin1String("status"), status}};
    if (!cursor.isEmpty())
        update.insert(QLatin1String("cursor"), cursor);
    for (const QJsonValue& room : std::as_const(rooms))
        publishPresence(context, room.toString(), QStringLiteral("update"), update);
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("native"), QLatin1String("presence"),
                             Access::Authenticated,
                             QLatin1String("Share status and cursor with every joined room"),
                             &schema, &handle)

} // namespace switchboard
