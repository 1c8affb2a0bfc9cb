#include "UpgradeRequest.h"

#include <QCryptographicHash>

namespace switchboard {

namespace {

// Splits a comma-separated header value and looks for `token`, ignoring case.
bool hasToken(QByteArrayView value, QByteArrayView token)
{
    for (const QByteArray& part : value.toByteArray().split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

UpgradeRequest::Refusal badRequest(const QString& message)
{
    return UpgradeRequest::Refusal{400, message, {}};
}

} // namespace

bool UpgradeRequest::isUpgrade(const QByteArray& head)
{
    for (const QByteArray& line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare("upgrade", Qt::CaseInsensitive) == 0)
            return hasToken(line.mid(colon + 1), "websocket");
    }
    return false;
}

std::variant<UpgradeRequest, UpgradeRequest::Refusal> UpgradeRequest::parse(const QByteArray& bytes)
{
    auto parsed = RequestHead::parse(bytes);
    if (auto* malformed = std::get_if<RequestHead::Malformed>(&parsed))
        return badRequest(malformed->message);
    UpgradeRequest request(std::move(std::get<RequestHead>(parsed)));
    const RequestHead& head = request.m_head;
    if (head.method() != "GET")
        return Refusal{
            405, QStringLiteral("a WebSocket upgrade must be a GET request"), {{"Allow", "GET"}}};
    if (head.version() != "HTTP/1.1")
        return Refusal{505, QStringLiteral("a WebSocket upgrade needs HTTP/1.1"), {}};
    if (!head.target().startsWith('/'))
        return badRequest(QStringLiteral("the request target must be a path"));
    request.m_url = QUrl::fromEncoded(head.target(), QUrl::StrictMode);
    if (!request.m_url.isValid())
        return badRequest(QStringLiteral("the request target is not a valid path"));

    if (!hasToken(request.value("upgrade"), "websocket"))
        return badRequest(QStringLiteral("Upgrade: websocket is missing"));
    if (!hasToken(request.value("connection"), "upgrade"))
        return badRequest(QStringLiteral("Connection: Upgrade is missing"));
    if (request.value("sec-websocket-version") != "13")
        return Refusal{426,
                       QStringLiteral("this server speaks WebSocket version 13"),
                       {{"Sec-WebSocket-Version", "13"}}};
    const auto key = QByteArray::fromBase64Encoding(request.value("sec-websocket-key"),
                                                    QByteArray::AbortOnBase64DecodingErrors);
    if (!key || key.decoded.size() != 16)
        return badRequest(QStringLiteral("Sec-WebSocket-Key must be 16 bytes in base64"));
    return request;
}

QByteArray UpgradeRequest::acceptResponse() const
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " +
           acceptKey(value("sec-websocket-key")) + "\r\n\r\n";
}

QByteArray UpgradeRequest::acceptKey(const QByteArray& clientKey)
{
    static constexpr char rfc6455Guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    return QCryptographicHash::hash(QByteArray(clientKey + rfc6455Guid), QCryptographicHash::Sha1)
        .toBase64();
}

} // namespace switchboard
