#pragma once

// What the 004 handlers share: the Collab state, the member a connection is in a room as, the
// room a message is about, and small JSON Schema builders.

#include "../../auth/TopicPolicy.h"
#include "../../collab/Collab.h"
#include "../../hub/Hub.h"
#include "../../hub/Subscriber.h"
#include "../../protocol/Fields.h"
#include "../../protocol/dialects/CollabDialect.h"
#include "../MessageHandler.h"

#include <QJsonArray>
#include <QJsonObject>

#include <initializer_list>
#include <optional>
#include <utility>

namespace switchboard::collab {

inline Collab& state(HandlerContext& context)
{
    return context.services.collab;
}

inline QString userId(const Subscriber& subscriber)
{
    const QString subject = subscriber.identity().subject;
    return subject.isEmpty() ? subscriber.id() : subject;
}

inline QString username(const Subscriber& subscriber)
{
    const Identity& identity = subscriber.identity();
    return identity.name.isEmpty() ? userId(subscriber) : identity.name;
}

inline RoomMember memberOf(const Subscriber& subscriber)
{
    RoomMember member;
    member.sessionId = subscriber.id();
    member.userId = userId(subscriber);
    member.username = username(subscriber);
    member.email = subscriber.identity().email;
    return member;
}

// The room a message names in `room_id` or `room` (004 uses both); empty when it names
// none. Call after the other fields: answers INVALID_MESSAGE (and returns nullopt) when the
// name is malformed.
inline std::optional<QString> namedRoom(HandlerContext& context)
{
    const QJsonObject& message = context.message.data;
    const QString key = message.contains(QLatin1String("room_id")) ? QStringLiteral("room_id")
                                                                   : QStringLiteral("room");
    Fields fields(message, {});
    const QString room = fields.optionalString(key, {}, 128);
    if (!fields.ok()) {
        context.fail(*fields.error());
        return std::nullopt;
    }
    if (!room.isEmpty() && !TopicPolicy::isValidName(QStringLiteral("room:") + room)) {
        context.fail(ErrorCode::InvalidMessage,
                     QStringLiteral("%1 \"%2\" is not a valid room name").arg(key, room));
        return std::nullopt;
    }
    return room;
}

// The room a message is about: the one it names, else the one the session joined last.
// Answers ROOM_NOT_FOUND (and returns empty) when the session is not in that room.
inline QString roomOrFail(HandlerContext& context, const QString& named)
{
    const QStringList rooms = state(context).rooms().roomsOf(context.subscriber.id());
    const QString room = named.isEmpty() ? (rooms.isEmpty() ? QString() : rooms.last()) : named;
    if (room.isEmpty() || !rooms.contains(room)) {
        context.fail(ErrorCode::RoomNotFound, room.isEmpty()
                                                  ? QStringLiteral("join a room first")
                                                  : QStringLiteral("not in room \"%1\"").arg(room));
        return {};
    }
    return room;
}

// {"type":"object","required":[...],"properties":{name: {"type": kind}}}
inline QJsonObject objectSchema(std::initializer_list<std::pair<const char*, const char*>> props,
                                std::initializer_list<const char*> required = {})
{
    QJsonObject properties;
    for (const auto& [name, kind] : props)
        properties.insert(QLatin1String(name),
                          QJsonObject{{QLatin1String("type"), QLatin1String(kind)}});
    QJsonArray names;
    for (const char* name : required)
        names.append(QLatin1String(name));
    QJsonObject schema{{QLatin1String("type"), QLatin1String("object")},
                       {QLatin1String("properties"), properties}};
    if (!names.isEmpty())
        schema.insert(QLatin1String("required"), names);
    return schema;
}

} // namespace switchboard::collab
