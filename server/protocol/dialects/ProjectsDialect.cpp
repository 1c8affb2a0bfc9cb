#include "ProjectsDialect.h"

#include "../../wire/Json.h"
#include "Envelope.h"

#include <QDateTime>

namespace switchboard {

QStringList ProjectsDialect::paths()
{
    return {QStringLiteral("/ws/projects/{project_id}"), QStringLiteral("/ws/notifications")};
}

std::optional<Error> ProjectsDialect::decode(const QByteArray& text, ClientMessage& message) const
{
    // The document's keep-alive is the bare text "ping", not JSON.
    if (text.trimmed() == "ping") {
        message.type = QStringLiteral("ping");
        return std::nullopt;
    }
    return Envelope::decode(text, message);
}

QByteArray ProjectsDialect::encodeEvent(const Event& event) const
{
    if (!passesEvent(event.name))
        return {};
    return Envelope::flat(event.name, event.data.object(), event.timestampMs);
}

QByteArray ProjectsDialect::encodeReply(const ClientMessage& request, const QJsonObject& data) const
{
    const QString type = request.type == QLatin1String("ping")
                             ? QStringLiteral("pong")
                             : request.type + QLatin1String("_ok");
    checkListed(type);
    if (request.type == QLatin1String("ping") && request.id.isEmpty())
        return QByteArrayLiteral("pong");
    QJsonObject object = data;
    object.insert(QLatin1String("type"), type);
    object.insert(QLatin1String("timestamp"), Json::isoNow());
    if (!request.id.isEmpty())
        object.insert(QLatin1String("id"), request.id);
    return Json::compact(object);
}

QByteArray ProjectsDialect::encodeError(const QString& requestId, const Error& error) const
{
    checkListed(u"error");
    return Envelope::error(requestId, error);
}

QByteArray ProjectsDialect::encodeResync(const QString& topic) const
{
    checkListed(u"resync");
    return Envelope::flat(QStringLiteral("resync"), {{QLatin1String("topic"), topic}},
                          QDateTime::currentMSecsSinceEpoch());
}

QByteArray ProjectsDialect::encodeMessage(QLatin1String type, const QJsonObject& fields) const
{
    checkListed(type);
    return Envelope::flat(type, fields, QDateTime::currentMSecsSinceEpoch());
}

const QList<ServerMessage>& ProjectsDialect::serverMessages() const
{
    static const QList<ServerMessage> table{
        {QLatin1String("rc_analysis_progress"),
         QLatin1String("{status, progress, message, timestamp}"), true},
        {QLatin1String("matching_progress"),
         QLatin1String("{current_requirement, requirements_completed, requirements_total, "
                       "progress, timestamp}"),
         true},
        {QLatin1String("generation_progress"),
         QLatin1String("{current_section, sections_completed, sections_total, progress, "
                       "quality_score, timestamp}"),
         true},
        {QLatin1String("document_generation_progress"),
         QLatin1String("{status, progress, message, timestamp}"), true},
        {QLatin1String("error"),
         QLatin1String("An operation failed: {operation, error, timestamp}; or a bad client "
                       "message: {code, error, message}"),
         true},
        {QLatin1String("completion"),
         QLatin1String("An operation finished: {operation, result, timestamp}"), true},
        {anyType,
         QLatin1String("Any other event a service publishes on the project or the user's "
                       "topic, under its own type, flat with its timestamp"),
         true},
        {QLatin1String("pong"), QLatin1String("The text frame \"pong\", reply to \"ping\"")},
        {QLatin1String("resync"),
         QLatin1String("History no longer holds what a resume asked for: {topic}")},
    };
    return table;
}

} // namespace switchboard
