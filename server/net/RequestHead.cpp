#include "RequestHead.h"

#include <algorithm>

namespace switchboard {

namespace {

bool isTokenCharacter(char c)
{
    // RFC 9110 §5.6.2: the characters a header name may use.
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

} // namespace

std::variant<RequestHead, RequestHead::Malformed> RequestHead::parse(const QByteArray& bytes)
{
    QList<QByteArray> lines = bytes.split('\n');
    for (QByteArray& line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    const QList<QByteArray> requestLine = lines.value(0).split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/"))
        return Malformed{QStringLiteral("malformed request line")};
    RequestHead head;
    head.m_method = requestLine[0];
    head.m_target = requestLine[1];
    head.m_version = requestLine[2];
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray& line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return Malformed{QStringLiteral("malformed header line %1").arg(i + 1)};
        const QByteArray name = line.left(colon);
        if (!std::all_of(name.cbegin(), name.cend(), isTokenCharacter))
            return Malformed{QStringLiteral("malformed header name on line %1").arg(i + 1)};
        head.m_headers.emplaceBack(name.toLower(), line.mid(colon + 1).trimmed());
    }
    return head;
}

QByteArray RequestHead::value(QByteArrayView name) const
{
    for (const auto& [headerName, headerValue] : m_headers) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            return headerValue;
    }
    return {};
}

QList<QByteArray> RequestHead::values(QByteArrayView name) const
{
    QList<QByteArray> found;
    for (const auto& [headerName, headerValue] : m_headers) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            found.append(headerValue);
    }
    return found;
}

} // namespace switchboard
