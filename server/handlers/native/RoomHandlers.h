#pragma once

// What the native room messages share: a room `id` lives on the topic `room:{id}`, and
// joins, leaves and presence updates are published there as `presence` events. Who is in the
// room, on every node, is in the PresenceStore under the topic's name (002's custom rooms share
// it): a connection's entry holds its user and status, and its cursor once it shared one.

#include "../../hub/Hub.h"
#include "../../hub/PresenceStore.h"
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

inline QString userOf(const Subscriber& subscriber)
{
    const QString subject = subscriber.identity().subject;
    return subject.isEmpty() ? subscriber.id() : subject;
}

// The connection's entry in a room's presence: {user, status, cursor?}.
inline QJsonObject presenceOf(const Subscriber& subscriber, const QString& status,
                              const QJsonObject& cursor = {})
{
    QJsonObject entry{{QLatin1String("user"), userOf(subscriber)},
                      {QLatin1String("status"), status}};
    if (!cursor.isEmpty())
        entry.insert(QLatin1String("cursor"), cursor);
    return entry;
}

// A room's members as the native replies list them: [{session_id, user, status, cursor?,
// node?}] (node: in a cluster, the node the member is connected to).
inline QJsonArray membersJson(const PresenceStore::Members& members)
{
    QJsonArray list;
    for (const PresenceEntry& entry : members) {
        QJsonObject member = entry.info;
        member.insert(QLatin1String("session_id"), entry.connectionId);
        if (!entry.node.isEmpty())
            member.insert(QLatin1String("node"), entry.node);
        list.append(member);
    }
    return list;
}

inline void publishPresence(Hub& hub, const Subscriber& subscriber, const QString& room,
                            const QString& action, QJsonObject fields = {})
{
    fields.insert(QLatin1String("room"), room);
    fields.insert(QLatin1String("action"), action);
    fields.insert(QLatin1String("session_id"), subscriber.id());
    fields.insert(QLatin1String("user"), userOf(subscriber));
    hub.publish(roomTopic(room), QStringLiteral("presence"), fields);
}

inline void publishPresence(HandlerContext& context, const QString& room, const QString& action,
                            QJsonObject fields = {})
{
    publishPresence(context.services.hub, context.subscriber, room, action, std::move(fields));
}

} // namespace switchboard
