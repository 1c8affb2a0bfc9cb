#pragma once

// What the native room messages share: a room `id` lives on the topic `room:{id}`, and
// joins, leaves and presence updates are published there as `presence` events.

#include "../../hub/Hub.h"
#include "../../hub/Subscriber.h"
#include "../MessageHandler.h"

#include <QJsonArray>
#include <QJsonObject>

namespace switchboard {

inline QString roomTopic(const QString& room)
{
    return QStringLiteral("room:") + room;
}

// The `data` of join_room and leave_room: {room}.
inline QJsonObject roomSchema()
{
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("room")}},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("room"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("string")}}}}}};
}

inline void publishPresence(HandlerContext& context, const QString& room, const QString& action,
                            QJsonObject fields = {})
{
    const Identity& identity = context.subscriber.identity();
    fields.insert(QLatin1String("room"), room);
    fields.insert(QLatin1String("action"), action);
    fields.insert(QLatin1String("session_id"), context.subscriber.id());
    fields.insert(QLatin1String("user"),
                  identity.subject.isEmpty() ? context.subscriber.id() : identity.subject);
    context.services.hub.publish(roomTopic(room), QStringLiteral("presence"), fields);
}

} // namespace switchboard
