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
};

QByteArray httpReasonPhrase(int status);

// The headers every HTTP response carries (X-Content-Type-Options, X-Frame-Options,
// Referrer-Policy, Content-Security-Policy, Cache-Control).
const QList<QPair<QByteArray, QByteArray>>& securityHeaders();
// The same as raw header lines, for responses written straight to a socket.
QByteArray securityHeaderLines();

} // namespace switchboard
