#include "CollabDialect.h"

#include "../../wire/Json.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace switchboard {

std::optional<Error> CollabDialect::decode(const QByteArray& text, ClientMessage& message) const
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{ErrorCode::InvalidJson, QStringLiteral("invalid JSON at offset %1: %2")
                                                 .arg(parseError.offset)
                                                 .arg(parseError.errorString())};
    if (!document.isObject())
        return Error{ErrorCode::InvalidMessage, QStringLiteral("message must be a JSON object")};
    message.data = document.object();
    const QJsonValue type = message.data.value(QLatin1String("type"));
    if (!type.isString() || type.toString().isEmpty())
        return Error{ErrorCode::InvalidMessage, QStringLiteral("type is required")};
    message.type = type.toString();
    return std::nullopt;
}

QByteArray CollabDialect::encodeEvent(const Event& event) const
{
    // The table's `anyType` row: services and the admin API send rooms and users messages
    // under their own type, and 004 passes them on as they are.
    if (!passesEvent(event.name))
        return {};
    QJsonObject message = event.data.object();
    message.insert(QLatin1String("type"), event.name);
    return Json::compact(message);
}

QByteArray CollabDialect::encodeReply(const ClientMessage& request, const QJsonObject& data) const
{
    if (request.type == QLatin1String("ping")) {
        checkListed(u"pong");
        return Json::compact({{QLatin1String("type"), QLatin1String("pong")},
                              {QLatin1String("timestamp"), Json::isoNow()}});
    }
    // Every other reply is a complete 004 message (room_state, ...) built by its handler.
    if (data.isEmpty())
        return {};
    checkListed(data.value(QLatin1String("type")).toString());
    return Json::compact(data);
}

QByteArray CollabDialect::encodeError(const QString& /*requestId*/, const Error& error) const
{
    return encodeError(error, {});
}

QByteArray CollabDialect::encodeError(const Error& error, const QJsonObject& extra)
{
    QJsonObject object = extra;
    object.insert(QLatin1String("type"), QLatin1String("error"));
    object.insert(QLatin1String("error"), error.message);
    object.insert(QLatin1String("code"), errorCodeName(error.code));
    object.insert(QLatin1String("timestamp"), Json::isoNow());
    return Json::compact(object);
}

QByteArray CollabDialect::encodeResync(const QString& topic) const
{
    checkListed(u"resync");
    return Json::compact(
        {{QLatin1String("type"), QLatin1String("resync")}, {QLatin1String("topic"), topic}});
}

QByteArray CollabDialect::encodeMessage(QLatin1String type, const QJsonObject& fields) const
{
    checkListed(type);
    QJsonObject message = fields;
    message.insert(QLatin1String("type"), type);
    return Json::compact(message);
}

const QList<ServerMessage>& CollabDialect::serverMessages() const
{
    static const QList<ServerMessage> table{
        {QLatin1String("room_state"),
         QLatin1String("On join_room and whenever someone joins or leaves: {room_id, users: "
                       "[{user_id, username, email, room, status, cursor, last_seen}], "
                       "active_sheets, total_users}"),
         true},
        {QLatin1String("cursor_moved"),
         QLatin1String("Another member moved: {user_id, username, cursor: {x, y, cell}}"), true},
        {QLatin1String("cell_updated"),
         QLatin1String("A cell changed: {sheet_id, cell_id, value, formula, user_id, username, "
                       "version}"),
         true},
        {QLatin1String("user_status_changed"), QLatin1String("{user_id, status}"), true},
        {QLatin1String("user_typing_start"), QLatin1String("{user_id, username, cell_id}"), true},
        {QLatin1String("user_typing_stop"), QLatin1String("{user_id, username, cell_id}"), true},
        {QLatin1String("ai_event"),
         QLatin1String("{event_type: ai_start|ai_progress|ai_complete|ai_error, request_id, "
                       "user_id, data}"),
         true},
        {QLatin1String("notification_event"),
         QLatin1String("{event_type, notification: {id, title, message, category, priority, "
                       "module_name}, user_id}"),
         true},
        {QLatin1String("file_upload_start"),
         QLatin1String("Relayed from the user's other session: {file_id, filename, file_size, "
                       "mime_type, user_id}"),
         true},
        {QLatin1String("file_upload_progress"),
         QLatin1String("{file_id, bytes_uploaded, total_bytes, percentage, user_id}"), true},
        {QLatin1String("file_upload_complete"),
         QLatin1String("{file_id, filename, url, size, user_id}"), true},
        {QLatin1String("file_upload_failed"),
         QLatin1String("An upload through PUT /api/v1/uploads/{id} stopped: {file_id, "
                       "bytes_uploaded, total_bytes, reason, error}"),
         true},
        {QLatin1String("presence"),
         QLatin1String("A native-protocol (/ws/v1) member joined or left the room: {room, "
                       "action, session_id, user, status}"),
         true},
        {anyType,
         QLatin1String("A message the admin API or a service sends to the room or the user, "
                       "under its own type (room_broadcast, direct_message, ...)"),
         true},
        {QLatin1String("pong"), QLatin1String("Reply to ping")},
        {QLatin1String("error"),
         QLatin1String("{error, code, timestamp}; VERSION_CONFLICT adds sheet_id, cell_id, "
                       "current_value, current_formula, current_version")},
        {QLatin1String("resync"), QLatin1String("History no longer holds what a resume asked "
                                                "for: {topic}")},
    };
    return table;
}

} // namespace switchboard
