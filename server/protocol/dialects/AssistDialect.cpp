#include "AssistDialect.h"

#include "../../wire/Json.h"
#include "Envelope.h"

#include <QDateTime>

namespace switchboard {

namespace {

bool isJobEvent(const QString& name)
{
    return name.startsWith(QLatin1String("job_"));
}

// A room message's `data`. The document's send_to_room sends {type, data}: a message that
// comes so (a room broadcast with a `data` object) has that object as its data, with the
// message's other fields (room_id, ...) beside those of its own. Any other message's fields
// are its data.
QJsonObject roomMessageData(const QJsonObject& message)
{
    const QJsonValue nested = message.value(QLatin1String("data"));
    if (!nested.isObject())
        return message;
    QJsonObject data = nested.toObject();
    for (auto it = message.begin(); it != message.end(); ++it) {
        if (it.key() != QLatin1String("data") && !data.contains(it.key()))
            data.insert(it.key(), it.value());
    }
    return data;
}

} // namespace

std::optional<Error> AssistDialect::decode(const QByteArray& text, ClientMessage& message) const
{
    return Envelope::decode(text, message);
}

QByteArray AssistDialect::encodeEvent(const Event& event) const
{
    if (isJobEvent(event.name)) {
        QJsonObject data = event.data.object();
        data.insert(QLatin1String("event"), event.name);
        return Envelope::withData(QStringLiteral("job_updates"), data, event.timestampMs);
    }
    if (event.name == QLatin1String("presence"))
        return Envelope::withData(QStringLiteral("room_event"), event.data.object(),
                                  event.timestampMs);
    // A room's own messages go out under the sender's type (the document's send_to_room: the
    // table's `anyType` row); anything else only when the table carries it (so not
    // status_update: 002 reads system_metrics).
    const bool roomMessage = event.topic.startsWith(QLatin1String("room:"));
    if (roomMessage && passesEvent(event.name))
        return Envelope::withData(event.name, roomMessageData(event.data.object()),
                                  event.timestampMs);
    if (carriesEvent(event.name))
        return Envelope::withData(event.name, event.data.object(), event.timestampMs);
    return {};
}

QByteArray AssistDialect::encodeReply(const ClientMessage& request, const QJsonObject& data) const
{
    QJsonObject payload = data;
    QString type = payload.take(QLatin1String("type")).toString();
    if (type.isEmpty())
        type =
            request.type == QLatin1String("ping") ? QStringLiteral("pong") : QStringLiteral("ack");
    checkListed(type);
    QJsonObject object{{QLatin1String("type"), type},
                       {QLatin1String("timestamp"), Json::isoNow()},
                       {QLatin1String("data"), payload}};
    if (!request.id.isEmpty())
        object.insert(QLatin1String("id"), request.id);
    return Json::compact(object);
}

QByteArray AssistDialect::encodeError(const QString& requestId, const Error& error) const
{
    checkListed(u"error");
    return Envelope::error(requestId, error);
}

QByteArray AssistDialect::encodeResync(const QString& topic) const
{
    checkListed(u"resync");
    return Envelope::resync(topic);
}

QByteArray AssistDialect::encodeMessage(QLatin1String type, const QJsonObject& fields) const
{
    checkListed(type);
    return Envelope::withData(type, fields, QDateTime::currentMSecsSinceEpoch());
}

const QList<ServerMessage>& AssistDialect::serverMessages() const
{
    // job_updates carries the hub's job_* events and room_event its presence events; the
    // other rows marked true go out under their own name.
    static const QList<ServerMessage> table{
        {QLatin1String("connection"),
         QLatin1String("On connect and after auth: {status, connection_id, user_id, "
                       "authenticated, role}")},
        {QLatin1String("system_metrics"),
         QLatin1String("CPU, memory, disk and network, every 2 s, to `system_monitoring`"), true},
        {QLatin1String("job_updates"),
         QLatin1String("A job changed: {job_id, status, progress, event}; also the reply to "
                       "get_active_jobs: {jobs, count}"),
         true},
        {QLatin1String("document_processing_start"),
         QLatin1String("A service started processing a user's document"), true},
        {QLatin1String("document_processing_complete"),
         QLatin1String("A service finished processing a user's document"), true},
        {QLatin1String("system_alert"),
         QLatin1String("{alert_type, severity, message, details}; admin broadcasts too"), true},
        {QLatin1String("user_activity"),
         QLatin1String("To the `admin` room: a user connected or disconnected"), true},
        {QLatin1String("room_event"),
         QLatin1String("Joined or left a room: {event, room, user_id}"), true},
        {anyType,
         QLatin1String("A message a service sends to a room the client joined (send_to_room), "
                       "under the service's own type: {data}"),
         true},
        {QLatin1String("broadcast_sent"), QLatin1String("Reply to broadcast_admin: {delivered}")},
        {QLatin1String("ack"), QLatin1String("Reply to a request that has no message of its own")},
        {QLatin1String("pong"), QLatin1String("Reply to ping")},
        {QLatin1String("error"), QLatin1String("A request failed: {code, error, message}")},
        {QLatin1String("resync"),
         QLatin1String("History no longer holds what a resume asked for: {data: {topic}}")},
    };
    return table;
}

} // namespace switchboard
