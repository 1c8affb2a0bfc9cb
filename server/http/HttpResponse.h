#pragma once

// A complete HTTP response as a value; the listener writes it with the security headers
// every response carries.

#include "../auth/Admission.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

namespace switchboard {

struct HttpResponse {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    static HttpResponse json(const QJsonValue& value, int status = 200);
    // {"error": message, "code": code}
    static HttpResponse error(int status, const QString& code, const QString& message);
    static HttpResponse content(QByteArray body, QByteArray contentType, int status = 200);
    // The error answer of a refusal of the Admission gate, with its headers.
    static HttpResponse refusal(const Admission::Refusal& refusal);
    // What a route returns when it answers later (DeferredResponse, HttpCall::defer()).
    static HttpResponse pending() { return HttpResponse{0, {}, {}, {}}; }
    bool isPending() const { return status == 0; }

    // Adds every security header the response does not set itself (a static file sets its
    // own Cache-Control).
    void addSecurityHeaders();
    // The whole answer as bytes for a socket: status line, headers (with Content-Length, and
    // Connection: close unless `keepAlive`), and the body unless it answers a HEAD request.
    QByteArray serialize(bool keepAlive, bool headRequest = false) const;
};

QByteArray httpReasonPhrase(int status);

// The headers every HTTP response carries (X-Content-Type-Options, X-Frame-Options,
// Referrer-Policy, Content-Security-Policy, Cache-Control).
const QList<QPair<QByteArray, QByteArray>>& securityHeaders();

} // namespace switchboard
