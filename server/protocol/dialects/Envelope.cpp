#include "Envelope.h"

#include "../../wire/Json.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonParseError>

namespace switchboard::Envelope {

std::optional<Error> decode(const QByteArray& text, ClientMessage& message)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{ErrorCode::InvalidJson, QStringLiteral("invalid JSON at offset %1: %2")
                                                 .arg(parseError.offset)
                                                 .arg(parseError.errorString())};
    if (!document.isObject())
        return Error{ErrorCode::InvalidMessage, QStringLiteral("message must be a JSON object")};
    QJsonObject object = document.object();

    const QJsonValue id = object.take(QLatin1String("id"));
    if (id.isString())
        message.id = id.toString().left(128);
    else if (id.isDouble())
        message.id = QString::number(id.toDouble(), 'g', 17);

    const QJsonValue type = object.take(QLatin1String("type"));
    if (!type.isString() || type.toString().isEmpty())
        return Error{ErrorCode::InvalidMessage, QStringLiteral("type is required")};
    message.type = type.toString();

    const QJsonValue nested = object.value(QLatin1String("data"));
    if (nested.isObject()) {
        object.remove(QLatin1String("data"));
        const QJsonObject data = nested.toObject();
        for (auto it = data.begin(); it != data.end(); ++it) {
            if (!object.contains(it.key()))
                object.insert(it.key(), it.value());
        }
    }
    message.data = object;
    return std::nullopt;
}

QByteArray withData(const QString& type, const QJsonObject& data, qint64 timestampMs)
{
    // Built by hand: this runs once per event and dialect on the fan-out path.
    QByteArray out;
    out.reserve(96);
    out += R"({"type":)";
    out += Json::quoted(type);
    out += R"(,"timestamp":")";
    out += Json::isoTimestamp(timestampMs).toLatin1();
    out += R"(","data":)";
    out += Json::compact(data);
    out += '}';
    return out;
}

QByteArray flat(const QString& type, const QJsonObject& data, qint64 timestampMs)
{
    QJsonObject object = data;
    object.remove(QLatin1String("type"));
    if (!object.contains(QLatin1String("timestamp")))
        object.insert(QLatin1String("timestamp"), Json::isoTimestamp(timestampMs));
    const QByteArray fields = Json::compact(object); // "{...}", never empty: has a timestamp
    QByteArray out;
    out.reserve(fields.size() + type.size() + 16);
    out += R"({"type":)";
    out += Json::quoted(type);
    out += ',';
    out += QByteArrayView(fields).sliced(1);
    return out;
}

QByteArray resync(const QString& topic)
{
    return withData(QStringLiteral("resync"), {{QLatin1String("topic"), topic}},
                    QDateTime::currentMSecsSinceEpoch());
}

QByteArray error(const QString& requestId, const Error& error)
{
    QJsonObject object{{QLatin1String("type"), QLatin1String("error")},
                       {QLatin1String("code"), errorCodeName(error.code)},
                       {QLatin1String("error"), error.message},
                       {QLatin1String("message"), error.message},
                       {QLatin1String("timestamp"), Json::isoNow()}};
    if (!requestId.isEmpty())
        object.insert(QLatin1String("id"), requestId);
    return Json::compact(object);
}

} // namespace switchboard::Envelope
