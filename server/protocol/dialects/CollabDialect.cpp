#include "CollabDialect.h"

#include "../../collab/Collab.h"
#include "../../hub/Hub.h"
#include "../../net/Session.h"
#include "../Json.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace switchboard {

CollabDialect::CollabDialect(Collab& collab)
    : m_collab(collab)
{}

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
    QJsonObject message = event.data;
    message.insert(QLatin1String("type"), event.name);
    return Json::compact(message);
}

QByteArray CollabDialect::encodeReply(const ClientMessage& request, const QJsonObject& data) const
{
    if (request.type == QLatin1String("ping"))
        return Json::compact({{QLatin1String("type"), QLatin1String("pong")},
                              {QLatin1String("timestamp"), Json::isoNow()}});
    // Every other reply is a complete 004 message (room_state, ...) built by its handler.
    return data.isEmpty() ? QByteArray() : Json::compact(data);
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
    return Json::compact(
        {{QLatin1String("type"), QLatin1String("resync")}, {QLatin1String("topic"), topic}});
}

QList<ServerMessage> CollabDialect::serverMessages() const
{
    return {
        {QLatin1String("room_state"),
         QLatin1String("On join_room and whenever someone joins or leaves: {room_id, users: "
                       "[{user_id, username, email, room, status, cursor, last_seen}], "
                       "active_sheets, total_users}")},
        {QLatin1String("cursor_moved"),
         QLatin1String("Another member moved: {user_id, username, cursor: {x, y, cell}}")},
        {QLatin1String("cell_updated"),
         QLatin1String("A cell changed: {sheet_id, cell_id, value, formula, user_id, username, "
                       "version}")},
        {QLatin1String("user_status_changed"), QLatin1String("{user_id, status}")},
        {QLatin1String("user_typing_start"), QLatin1String("{user_id, username, cell_id}")},
        {QLatin1String("user_typing_stop"), QLatin1String("{user_id, username, cell_id}")},
        {QLatin1String("ai_event"),
         QLatin1String("{event_type: ai_start|ai_progress|ai_complete|ai_error, request_id, "
                       "user_id, data}")},
        {QLatin1String("notification_event"),
         QLatin1String("{event_type, notification: {id, title, message, category, priority, "
                       "module_name}, user_id}")},
        {QLatin1String("file_upload_start"),
         QLatin1String("Relayed from the user's other session: {file_id, filename, file_size, "
                       "mime_type, user_id}")},
        {QLatin1String("file_upload_progress"),
         QLatin1String("{file_id, bytes_uploaded, total_bytes, percentage, user_id}")},
        {QLatin1String("file_upload_complete"),
         QLatin1String("{file_id, filename, url, size, user_id}")},
        {QLatin1String("pong"), QLatin1String("Reply to ping")},
        {QLatin1String("error"),
         QLatin1String("{error, code, timestamp}; VERSION_CONFLICT adds sheet_id, cell_id, "
                       "current_value, current_formula, current_version")},
    };
}

void CollabDialect::onOpen(Session& session, Hub& hub) const
{
    // Auto-subscribed to the user's own topic (SPEC §2.2): notify, uploads, ai_event.
    const QString subject = session.identity().subject;
    if (!subject.isEmpty()) {
        const QString topic = QStringLiteral("user:") + subject;
        if (!session.isSubscribed(topic)) {
            hub.subscribe(&session, topic);
            session.noteSubscribed(topic);
        }
    }
    m_collab.sessionOpened(session);
}

} // namespace switchboard
