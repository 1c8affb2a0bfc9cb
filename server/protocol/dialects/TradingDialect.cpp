#include "TradingDialect.h"

#include "../../wire/Json.h"
#include "Envelope.h"

#include <QDateTime>

namespace switchboard {

std::optional<Error> TradingDialect::decode(const QByteArray& text, ClientMessage& message) const
{
    return Envelope::decode(text, message);
}

QByteArray TradingDialect::encodeEvent(const Event& event) const
{
    if (!passesEvent(event.name))
        return {};
    return Envelope::withData(event.name, event.data.object(), event.timestampMs);
}

QByteArray TradingDialect::encodeReply(const ClientMessage& request, const QJsonObject& data) const
{
    const QString type = request.type == QLatin1String("ping")
                             ? QStringLiteral("pong")
                             : request.type + QLatin1String("_ok");
    checkListed(type);
    QJsonObject object{{QLatin1String("type"), type}, {QLatin1String("timestamp"), Json::isoNow()}};
    if (!data.isEmpty())
        object.insert(QLatin1String("data"), data);
    if (!request.id.isEmpty())
        object.insert(QLatin1String("id"), request.id);
    return Json::compact(object);
}

QByteArray TradingDialect::encodeError(const QString& requestId, const Error& error) const
{
    checkListed(u"error");
    return Envelope::error(requestId, error);
}

QByteArray TradingDialect::encodeResync(const QString& topic) const
{
    checkListed(u"resync");
    return Envelope::resync(topic);
}

QByteArray TradingDialect::encodeMessage(QLatin1String type, const QJsonObject& fields) const
{
    checkListed(type);
    return Envelope::flat(type, fields, QDateTime::currentMSecsSinceEpoch());
}

const QList<ServerMessage>& TradingDialect::serverMessages() const
{
    static const QList<ServerMessage> table{
        {QLatin1String("connection_established"), QLatin1String("Welcome: {timestamp, message}")},
        {QLatin1String("position_update"),
         QLatin1String("A position opened, changed or closed: {timestamp, data}"), true},
        {QLatin1String("equity_update"),
         QLatin1String("Total, peak and current equity: {timestamp, data}"), true},
        {QLatin1String("risk_status_update"),
         QLatin1String("normal / soft_pause / hard_stop with drawdown and daily loss"), true},
        {QLatin1String("system_log"),
         QLatin1String("A log line of level INFO or above: {level, module, message, timestamp}"),
         true},
        {anyType,
         QLatin1String("Any other event a service publishes on trading or logs, under its own "
                       "type: {timestamp, data}"),
         true},
        {QLatin1String("pong"), QLatin1String("Reply to a JSON ping")},
        {QLatin1String("error"), QLatin1String("A request failed: {code, error, message}")},
        {QLatin1String("resync"),
         QLatin1String("History no longer holds what a resume asked for: {data: {topic}}")},
    };
    return table;
}

} // namespace switchboard
