#include "NativeDialect.h"

#include "../../wire/Json.h"
#include "../../wire/WebSocketFrame.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>

#include <simdjson.h>

#include <array>
#include <optional>
#include <string_view>

namespace switchboard {
namespace {

// The largest frame read by readPublication(): the parser keeps a buffer the size of the
// largest document it has read, so this bounds what it holds. Larger publishes take the general
// path.
constexpr qsizetype maxPublicationText = 64 * 1024;

// A request id is kept to this many characters, however it was read.
constexpr qsizetype maxIdLength = 128;

QString fromUtf8(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

template <std::size_t N> using Members = std::array<std::optional<simdjson::dom::element>, N>;

// The members of `object` that `names` names, into `values` in that order; the others are
// ignored, as on the general path. False when one of them is given twice.
template <std::size_t N>
bool readMembers(simdjson::dom::object object, const std::array<std::string_view, N>& names,
                 Members<N>& values)
{
    for (const simdjson::dom::key_value_pair member : object) {
        for (std::size_t i = 0; i < N; ++i) {
            if (member.key != names[i])
                continue;
            if (values[i])
                return false;
            values[i] = member.value;
        }
    }
    return true;
}

// {"type":"publish","id"?:"...","data":{"topic":"...","event":"...","data"?:{...}}}, read with
// simdjson rather than QJsonDocument: simdjson validates the whole frame and hands out its
// strings without building an object, and the event's data stays the text it came as. Qt's
// parse was a sixth of the hub thread's time with a thousand small topics (docs/performance.md),
// nearly all of it building QJsonObjects that a publish never reads. Returns false for anything
// else, including every malformed publish, a numeric id, a member given twice and data written
// with spaces: the general path in decode() reads those and words their errors.
bool readPublication(const QByteArray& text, ClientMessage& message)
{
    if (text.size() > maxPublicationText)
        return false;
    // One parser per thread: it keeps its buffers from one frame to the next.
    thread_local simdjson::dom::parser parser;
    simdjson::dom::object root;
    if (parser.parse(text.constData(), size_t(text.size())).get(root) != simdjson::SUCCESS)
        return false;

    Members<3> envelope;
    if (!readMembers(root, {"type", "id", "data"}, envelope))
        return false;
    const auto& [typeValue, idValue, requestValue] = envelope;
    std::string_view type, id;
    simdjson::dom::object request;
    if (!typeValue || typeValue->get(type) != simdjson::SUCCESS || type != "publish")
        return false;
    if (idValue && !idValue->is_null() && idValue->get(id) != simdjson::SUCCESS)
        return false; // a numeric id, spelt by the general path
    if (!requestValue || requestValue->get(request) != simdjson::SUCCESS)
        return false;

    Members<3> fields;
    if (!readMembers(request, {"topic", "event", "data"}, fields))
        return false;
    const auto& [topicValue, eventValue, payloadValue] = fields;
    std::string_view topic, event;
    if (!topicValue || topicValue->get(topic) != simdjson::SUCCESS || !eventValue ||
        eventValue->get(event) != simdjson::SUCCESS)
        return false;
    QByteArrayView payload; // none when absent or null
    if (payloadValue && payloadValue->is_object()) {
        payload = Json::memberText(Json::memberText(text, "data"), "data");
        if (payload.isEmpty())
            return false; // not written compactly
    } else if (payloadValue && !payloadValue->is_null()) {
        return false;
    }

    message.type = QStringLiteral("publish");
    message.id = fromUtf8(id).left(maxIdLength);
    message.publication =
        ClientMessage::Publication{fromUtf8(topic), fromUtf8(event), payload.toByteArray()};
    return true;
}

} // namespace

std::optional<Error> NativeDialect::decode(const QByteArray& text, ClientMessage& message) const
{
    if (readPublication(text, message))
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{ErrorCode::InvalidJson, QStringLiteral("invalid JSON at offset %1: %2")
                                                 .arg(parseError.offset)
                                                 .arg(parseError.errorString())};
    if (!document.isObject())
        return Error{ErrorCode::InvalidMessage, QStringLiteral("message must be a JSON object")};
    const QJsonObject object = document.object();

    const QJsonValue id = object.value(QLatin1String("id"));
    if (id.isString())
        message.id = id.toString().left(maxIdLength);
    else if (id.isDouble())
        message.id = QString::number(id.toDouble(), 'g', 17);
    else if (!id.isUndefined() && !id.isNull())
        return Error{ErrorCode::InvalidMessage, QStringLiteral("id must be a string")};

    const QJsonValue type = object.value(QLatin1String("type"));
    if (!type.isString() || type.toString().isEmpty())
        return Error{ErrorCode::InvalidMessage, QStringLiteral("type is required")};
    message.type = type.toString();

    const QJsonValue data = object.value(QLatin1String("data"));
    if (data.isObject())
        message.data = data.toObject();
    else if (!data.isUndefined() && !data.isNull())
        return Error{ErrorCode::InvalidMessage, QStringLiteral("data must be an object")};
    return std::nullopt;
}

QByteArray NativeDialect::encodeEvent(const Event& event) const
{
    // Built by hand rather than through QJsonObject: this runs once per event and dialect
    // on the fan-out path, and only `data` needs a real serialiser. One buffer, framed where
    // it stands.
    const QByteArray data = event.data.json();
    QByteArray out =
        WebSocketFrame::payloadBuffer(data.size() + event.topic.size() + event.name.size() + 96);
    out += R"({"type":"event","topic":)";
    Json::appendQuoted(out, event.topic);
    out += R"(,"seq":)";
    Json::appendNumber(out, event.seq);
    out += R"(,"event":)";
    Json::appendQuoted(out, event.name);
    out += R"(,"ts":")";
    Json::appendIsoTimestamp(out, event.timestampMs);
    out += R"(","data":)";
    out += data;
    out += '}';
    return out;
}

QByteArray NativeDialect::encodeReply(const ClientMessage& request, const QJsonObject& data) const
{
    return encodeReplyJson(request, request.type == QLatin1String("ping") ? QByteArray()
                                                                          : Json::compact(data));
}

QByteArray NativeDialect::encodeReplyJson(const ClientMessage& request,
                                          const QByteArray& data) const
{
    // Written by hand in the key order QJsonDocument uses: a publish's ack is sent once per
    // request, and building a QJsonObject for it cost more than the rest of the request.
    if (request.type == QLatin1String("ping")) {
        const QByteArray id = request.id.isEmpty() ? QByteArray() : Json::quoted(request.id);
        checkListed(u"pong"); // always answered, with the id when there is one
        return id.isEmpty() ? QByteArray(R"({"type":"pong"})")
                            : R"({"id":)" + id + R"(,"type":"pong"})";
    }
    if (request.id.isEmpty())
        return {};
    checkListed(u"ack");
    QByteArray out = WebSocketFrame::payloadBuffer(data.size() + request.id.size() + 32);
    out += R"({"data":)";
    out += data;
    out += R"(,"id":)";
    Json::appendQuoted(out, request.id);
    out += R"(,"type":"ack"})";
    return out;
}

QByteArray NativeDialect::encodeError(const QString& requestId, const Error& error) const
{
    checkListed(u"error");
    QJsonObject object{{QLatin1String("type"), QLatin1String("error")},
                       {QLatin1String("code"), errorCodeName(error.code)},
                       {QLatin1String("error"), error.message}};
    if (!requestId.isEmpty())
        object.insert(QLatin1String("id"), requestId);
    return Json::compact(object);
}

QByteArray NativeDialect::encodeResync(const QString& topic) const
{
    checkListed(u"resync");
    return Json::compact({{QLatin1String("type"), QLatin1String("resync")},
                          {QLatin1String("data"), QJsonObject{{QLatin1String("topic"), topic}}}});
}

QByteArray NativeDialect::encodeMessage(QLatin1String type, const QJsonObject& fields) const
{
    checkListed(type);
    return Json::compact({{QLatin1String("type"), type}, {QLatin1String("data"), fields}});
}

const QList<ServerMessage>& NativeDialect::serverMessages() const
{
    static const QList<ServerMessage> table{
        {QLatin1String("welcome"),
         QLatin1String("First message: {session_id, server_version, protocol, heartbeat_ms}")},
        {QLatin1String("event"),
         QLatin1String(
             "A published event: {topic, seq, event, ts, data}; seq is gap-free per topic"),
         true},
        {QLatin1String("ack"), QLatin1String("Success reply to a request with an id: {id, data}")},
        {QLatin1String("error"),
         QLatin1String("Failure reply: {id?, code, error}; the connection stays open")},
        {QLatin1String("resync"),
         QLatin1String("History no longer holds what `since` asked for: {data: {topic}}")},
        {QLatin1String("pong"), QLatin1String("Reply to ping, with the request's id")},
    };
    return table;
}

} // namespace switchboard
