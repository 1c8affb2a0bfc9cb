#include "CalculationsDialect.h"

#include "../../wire/Json.h"
#include "Envelope.h"

#include <QDateTime>

namespace switchboard {

namespace {

const QString jobCancelled = QStringLiteral("job_cancelled");
const QString jobFailed = QStringLiteral("job_failed");

} // namespace

CalculationsDialect::CalculationsDialect(KeepAlive keepAlive)
    : m_keepAlive(keepAlive)
{}

QStringList CalculationsDialect::paths()
{
    return {QStringLiteral("/ws/calculations"), QStringLiteral("/ws/entities"),
            QStringLiteral("/ws/status")};
}

bool CalculationsDialect::isDocumentTopic(const QString& topic)
{
    return topic == QLatin1String("calculations") || topic == QLatin1String("entities") ||
           topic == QLatin1String("status") || topic == QLatin1String("jobs");
}

std::optional<Error> CalculationsDialect::decode(const QByteArray& text,
                                                 ClientMessage& message) const
{
    return Envelope::decode(text, message);
}

QByteArray CalculationsDialect::encodeEvent(const Event& event) const
{
    // 000 has no message for a cancelled job: it is a failed one whose status says why.
    const QString& type = event.name == jobCancelled ? jobFailed : event.name;
    if (!carriesEvent(type))
        return {}; // job_queued and the like, which 000 does not know
    return Envelope::withData(type, event.data.object(), event.timestampMs);
}

QByteArray CalculationsDialect::encodeReply(const ClientMessage& request,
                                            const QJsonObject& data) const
{
    QString type;
    if (request.type == QLatin1String("subscribe"))
        type = QStringLiteral("subscribed");
    else if (request.type == QLatin1String("unsubscribe"))
        type = QStringLiteral("unsubscribed");
    else if (request.type == QLatin1String("ping"))
        type = QStringLiteral("pong");
    else
        type = request.type + QLatin1String("_ok");
    checkListed(type);
    QJsonObject object{{QLatin1String("type"), type},
                       {QLatin1String("timestamp"), Json::isoNow()},
                       {QLatin1String("data"), data}};
    if (!request.id.isEmpty())
        object.insert(QLatin1String("id"), request.id);
    return Json::compact(object);
}

QByteArray CalculationsDialect::encodeError(const QString& requestId, const Error& error) const
{
    checkListed(u"error");
    return Envelope::error(requestId, error);
}

QByteArray CalculationsDialect::encodeResync(const QString& topic) const
{
    checkListed(u"resync");
    return Envelope::resync(topic);
}

const QList<ServerMessage>& CalculationsDialect::serverMessages() const
{
    // The rows marked true are the hub events 000 carries under their own name (and
    // job_cancelled, which it sends as job_failed).
    static const QList<ServerMessage> table{
        {QLatin1String("connected"),
         QLatin1String("Welcome: {data: {connection_id, topic, heartbeat_interval}}")},
        {QLatin1String("heartbeat"), QLatin1String("Keep-alive, every --heartbeat-interval")},
        {QLatin1String("subscribed"), QLatin1String("Reply to subscribe: {data: {topic}}")},
        {QLatin1String("unsubscribed"), QLatin1String("Reply to unsubscribe: {data: {topic}}")},
        {QLatin1String("pong"), QLatin1String("Reply to ping")},
        {QLatin1String("entity_change"),
         QLatin1String("An entity file was created, modified or deleted"), true},
        {QLatin1String("validation_error"), QLatin1String("An entity file is invalid"), true},
        {QLatin1String("entity_list_update"), QLatin1String("Every entity, after a scan"), true},
        {QLatin1String("calculation_progress"), QLatin1String("A calculation job progressed"),
         true},
        {QLatin1String("calculation_complete"),
         QLatin1String("A calculation job finished: {result_summary}"), true},
        {QLatin1String("calculation_failed"), QLatin1String("A calculation job failed"), true},
        {QLatin1String("job_started"), QLatin1String("A background job started"), true},
        {QLatin1String("job_progress"), QLatin1String("A background job progressed"), true},
        {QLatin1String("job_completed"), QLatin1String("A background job completed"), true},
        {QLatin1String("job_failed"),
         QLatin1String("A background job failed or was cancelled (data.status)"), true},
        {QLatin1String("status_update"),
         QLatin1String("CPU, memory, disk and network, every 2 s while watched"), true},
        {QLatin1String("system_alert"), QLatin1String("Disk nearly full, or a risk hard stop"),
         true},
        {QLatin1String("error"), QLatin1String("A request failed: {code, error, message}")},
        {QLatin1String("resync"),
         QLatin1String("History no longer holds what a resume asked for: {data: {topic}}")},
    };
    return table;
}

QString CalculationsDialect::topicOfPath(const QString& path)
{
    const QString topic = path.section(u'/', -1);
    return isDocumentTopic(topic) ? topic : QString();
}

QByteArray CalculationsDialect::encodeMessage(QLatin1String type, const QJsonObject& fields) const
{
    checkListed(type);
    return Envelope::withData(type, fields, QDateTime::currentMSecsSinceEpoch());
}

std::optional<Dialect::KeepAlive> CalculationsDialect::keepAlive() const
{
    return m_keepAlive;
}

QByteArray CalculationsDialect::heartbeatMessage() const
{
    return encodeMessage(QLatin1String("heartbeat"), {});
}

} // namespace switchboard
