#pragma once

// REST routing: each route is registered with its method, path pattern ("/api/jobs/{id}"),
// who may call it and a summary, and the same registrations produce /openapi.json, so the
// documentation cannot drift from what is served.

#include "../auth/Identity.h"
#include "../config/HubConfig.h"
#include "HttpResponse.h"

#include <QHash>
#include <QHttpServerRequest>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace switchboard {

class OriginPolicy;
class TokenVerifier;

enum class HttpAccess {
    Public,
    User,           // any valid token
    ServiceOrAdmin, // a service or an administrator
    Admin,
};

struct HttpCall {
    const QHttpServerRequest& request;
    QHash<QString, QString> pathParameters;
    Identity identity;

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
    HttpRouter(const TokenVerifier& tokens, AuthMode authMode);

    void add(HttpRoute route);
    // Routes the request; with an origin policy set, answers CORS preflights and adds the
    // CORS headers for the origins it allows (SPEC §7).
    HttpResponse handle(const QHttpServerRequest& request) const;
    void setOriginPolicy(const OriginPolicy* origins) { m_origins = origins; }
    // OpenAPI 3 document of every registered route.
    QJsonObject openApi(const QString& version) const;

    // The identity behind an `Authorization: Bearer` header; Anonymous when there is none.
    // Sets `*error` when a token was given but is not valid.
    Identity identify(const QHttpServerRequest& request, QString* error) const;

private:
    HttpResponse route(const QHttpServerRequest& request) const;

    const OriginPolicy* m_origins = nullptr;
    const TokenVerifier& m_tokens;
    AuthMode m_authMode;
    std::vector<HttpRoute> m_routes;
};

QString methodName(QHttpServerRequest::Method method);

// The 403 for a request whose Host header `origins` does not serve (DNS rebinding, see
// OriginPolicy::allowsHost), or nothing; the same answer wherever a request is read.
std::optional<HttpResponse> refusedHost(const OriginPolicy* origins, const QByteArray& host);

} // namespace switchboard
