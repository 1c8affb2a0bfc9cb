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
#include <memory>
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

// The answer of a route that waits for something (the cluster numbering an event, the other
// nodes answering a question) which may also come at once (a hub alone): whoever has the
// answer calls the responder, and the route returns response(), which is the answer when it
// came before the route returned and HttpResponse::pending() when it will be sent later.
// Copies share one answer; the first one given is the one that counts.
class DeferredResponse {
public:
    explicit DeferredResponse(Respond later);

    void operator()(const HttpResponse& response) const;
    // What the route returns; called once, as it returns.
    HttpResponse response() const;

private:
    struct State {
        Respond later;
        std::optional<HttpResponse> early; // answered before the route returned
        bool returned = false;
        bool answered = false;
    };
    std::shared_ptr<State> m_state;
};

struct HttpCall {
    const QHttpServerRequest& request;
    QHash<QString, QString> pathParameters;
    Identity identity;
    Respond respondLater;

    QString parameter(const QString& name) const { return pathParameters.value(name); }
    // For a route whose answer may come after it returned (DeferredResponse).
    DeferredResponse defer() const { return DeferredResponse(respondLater); }
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
