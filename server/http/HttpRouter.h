#pragma once

// REST routing: each route is registered with its method, path pattern ("/api/jobs/{id}"),
// who may call it and a summary, and the same registrations produce /openapi.json, so the
// documentation cannot drift from what is served.

#include "../auth/Admission.h"
#include "../auth/Identity.h"
#include "HttpResponse.h"

#include <QHash>
#include <QHttpServerRequest>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace switchboard {

enum class HttpAccess {
    Public,
    User,           // any valid token
    ServiceOrAdmin, // a service or an administrator
    Admin,
};

// How a route answers after it has returned (it returned HttpResponse::pending()): the answer
// goes out with the same CORS and security headers as any other. Called once.
using Respond = std::function<void(const HttpResponse& response)>;

struct HttpCall {
    const QHttpServerRequest& request;
    QHash<QString, QString> pathParameters;
    Identity identity;
    Respond respondLater;

    QString parameter(const QString& name) const { return pathParameters.value(name); }
};

struct HttpRoute {
    QHttpServerRequest::Method method;
    QString pattern;
    HttpAccess access;
    QString summary;
    std::function<HttpResponse(const HttpCall&)> handle;
    QJsonObject requestBodySchema; // empty: no body
};

class HttpRouter {
public:
    explicit HttpRouter(const Admission& admission);

    void add(HttpRoute route);
    // Routes the request after the Admission gate (Host, token); answers CORS preflights and
    // adds the CORS headers for the origins the gate allows (SPEC §7).
    // A route that answers later returns HttpResponse::pending() and answers through
    // `later`, which gets its answer with the CORS headers added.
    HttpResponse handle(const QHttpServerRequest& request, const QHostAddress& peer,
                        Respond later = {}) const;
    // Who sent `request` over a connection from `peer`: the peer, or the client a trusted
    // proxy forwarded (Admission).
    QHostAddress clientAddress(const QHttpServerRequest& request, const QHostAddress& peer) const;
    // OpenAPI 3 document of every registered route.
    QJsonObject openApi(const QString& version) const;

private:
    HttpResponse route(const QHttpServerRequest& request, Admission::Admitted admitted,
                       Respond later) const;

    const Admission& m_admission;
    std::vector<HttpRoute> m_routes;
};

QString methodName(QHttpServerRequest::Method method);

} // namespace switchboard
