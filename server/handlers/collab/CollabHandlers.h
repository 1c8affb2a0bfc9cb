#pragma once

// What the 004 handlers share: the Collab state behind their session's dialect, the member
// a session is in a room as, the room a message is about, and small JSON Schema builders.

#include "../../auth/TopicPolicy.h"
#include "../../collab/Collab.h"
#include "../../hub/Hub.h"
#include "../../net/Session.h"
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
    Q_ASSERT(context.session.dialect()->name() == QLatin1String("collab"));
    return static_cast<const CollabDialect*>(context.session.dialect())->collab();
}

inline QString userId(const Session& session)
{
    const QString subject = session.identity().subject;
    return subject.isEmpty() ? session.id() : subject;
}

inline QString username(const Session& session)
{
    const Identity& identity = session.identity();
    return identity.name.isEmpty() ? userId(session) : identity.name;
}

inline RoomMember memberOf(const Session& session)
{
    RoomMember member;
    member.sessionId = session.id();
    member.userId = userId(session);
    member.username = username(session);
    member.email = session.identity().email;
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
    const QStringList rooms = state(context).rooms().roomsOf(context.session.id());
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
