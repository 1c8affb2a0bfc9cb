#include "UpgradeRequest.h"

#include <QCryptographicHash>

#include <algorithm>

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

bool isTokenCharacter(char c)
{
    // RFC 9110 §5.6.2: the characters a header name may use.
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
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

std::variant<UpgradeRequest, UpgradeRequest::Refusal> UpgradeRequest::parse(const QByteArray& head)
{
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray& line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    const QList<QByteArray> requestLine = lines.value(0).split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/"))
        return badRequest(QStringLiteral("malformed request line"));
    if (requestLine[0] != "GET")
        return Refusal{
            405, QStringLiteral("a WebSocket upgrade must be a GET request"), {{"Allow", "GET"}}};
    if (requestLine[2] != "HTTP/1.1")
        return Refusal{505, QStringLiteral("a WebSocket upgrade needs HTTP/1.1"), {}};
    const QByteArray& target = requestLine[1];
    if (!target.startsWith('/'))
        return badRequest(QStringLiteral("the request target must be a path"));

    UpgradeRequest request;
    request.m_url = QUrl::fromEncoded(target, QUrl::StrictMode);
    if (!request.m_url.isValid())
        return badRequest(QStringLiteral("the request target is not a valid path"));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray& line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return badRequest(QStringLiteral("malformed header line %1").arg(i + 1));
        const QByteArray name = line.left(colon);
        if (!std::all_of(name.cbegin(), name.cend(), isTokenCharacter))
            return badRequest(QStringLiteral("malformed header name on line %1").arg(i + 1));
        request.m_headers.emplaceBack(name.toLower(), line.mid(colon + 1).trimmed());
    }

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

QByteArray UpgradeRequest::value(QByteArrayView name) const
{
    for (const auto& [headerName, headerValue] : m_headers) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            return headerValue;
    }
    return {};
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
