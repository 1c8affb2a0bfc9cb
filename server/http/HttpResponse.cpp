#include "HttpResponse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace switchboard {

HttpResponse HttpResponse::json(const QJsonValue& value, int status)
{
    HttpResponse response;
    response.status = status;
    response.body = value.isArray()
                        ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                        : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return response;
}

HttpResponse HttpResponse::error(int status, const QString& code, const QString& message)
{
    return json(QJsonObject{{QLatin1String("error"), message}, {QLatin1String("code"), code}},
                status);
}

HttpResponse HttpResponse::content(QByteArray body, QByteArray contentType, int status)
{
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.contentType = std::move(contentType);
    return response;
}

const QList<QPair<QByteArray, QByteArray>>& securityHeaders()
{
    static const QList<QPair<QByteArray, QByteArray>> headers{
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
        {"Content-Security-Policy",
         "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
         "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"},
        {"Cache-Control", "no-store"},
    };
    return headers;
}

void HttpResponse::addSecurityHeaders()
{
    for (const auto& header : securityHeaders()) {
        bool set = false;
        for (const auto& existing : std::as_const(headers))
            set = set || existing.first.compare(header.first, Qt::CaseInsensitive) == 0;
        if (!set)
            headers.append(header);
    }
}

QByteArray HttpResponse::serialize(bool keepAlive, bool headRequest) const
{
    HttpResponse complete = *this;
    complete.addSecurityHeaders();
    QByteArray answer = "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) +
                        "\r\nContent-Type: " + contentType + "\r\n";
    if (!keepAlive)
        answer += "Connection: close\r\n";
    for (const auto& [name, value] : std::as_const(complete.headers))
        answer += name + ": " + value + "\r\n";
    // 204 and 304 have no body by definition (RFC 9110 §8.6): no length to announce.
    if (status != 204 && status != 304)
        answer += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    answer += "\r\n";
    if (!headRequest)
        answer += body;
    return answer;
}

HttpResponse HttpResponse::refusal(const Admission::Refusal& refusal)
{
    HttpResponse response = error(refusal.status, refusal.code, refusal.message);
    response.headers.append(refusal.headers);
    return response;
}

QByteArray httpReasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

} // namespace switchboard
