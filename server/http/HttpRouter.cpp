#include "HttpRouter.h"

#include "../config/HubConfig.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace switchboard {

namespace {

// Matches `path` against a pattern with {name} segments.
bool matchPattern(const QString& pattern, const QString& path, QHash<QString, QString>* params)
{
    const QList<QStringView> want = QStringView(pattern).split(u'/');
    const QList<QStringView> have = QStringView(path).split(u'/');
    if (want.size() != have.size())
        return false;
    for (qsizetype i = 0; i < want.size(); ++i) {
        const QStringView segment = want[i];
        if (segment.startsWith(u'{') && segment.endsWith(u'}')) {
            if (have[i].isEmpty())
                return false;
            params->insert(segment.mid(1, segment.size() - 2).toString(), have[i].toString());
        } else if (segment != have[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

QString methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return QStringLiteral("get");
    case QHttpServerRequest::Method::Put:
        return QStringLiteral("put");
    case QHttpServerRequest::Method::Delete:
        return QStringLiteral("delete");
    case QHttpServerRequest::Method::Post:
        return QStringLiteral("post");
    case QHttpServerRequest::Method::Head:
        return QStringLiteral("head");
    case QHttpServerRequest::Method::Options:
        return QStringLiteral("options");
    case QHttpServerRequest::Method::Patch:
        return QStringLiteral("patch");
    default:
        return QStringLiteral("other");
    }
}

DeferredResponse::DeferredResponse(Respond later)
    : m_state(std::make_shared<State>())
{
    m_state->later = std::move(later);
}

void DeferredResponse::operator()(const HttpResponse& response) const
{
    if (m_state->answered)
        return;
    m_state->answered = true;
    if (!m_state->returned)
        m_state->early = response;
    else if (m_state->later)
        m_state->later(response);
}

HttpResponse DeferredResponse::response() const
{
    m_state->returned = true;
    if (m_state->early)
        return *m_state->early;
    // A caller of HttpRouter::handle that takes no later answer gets a 504 rather than nothing.
    if (!m_state->later) {
        m_state->answered = true;
        return HttpResponse::error(504, QStringLiteral("INTERNAL_ERROR"),
                                   QStringLiteral("the answer is not ready"));
    }
    return HttpResponse::pending();
}

HttpRouter::HttpRouter(const Admission& admission)
    : m_admission(admission)
{}

void HttpRouter::add(HttpRoute route)
{
    m_routes.push_back(std::move(route));
}

namespace {

// Every line of a header that may repeat, joined with commas (RFC 9110 §5.3).
QByteArray joinedValues(const QHttpServerRequest& request, const QByteArray& name)
{
    QList<QByteArray> values;
    for (const auto& [key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            values.append(value);
    }
    return values.join(", ");
}

Admission::Request gateRequest(const QHttpServerRequest& request, const QHostAddress& peer)
{
    return {request.value("host"),
            request.value("origin"),
            request.value("authorization"),
            {},
            peer,
            joinedValues(request, "x-forwarded-for"),
            joinedValues(request, "forwarded")};
}

} // namespace

QHostAddress HttpRouter::clientAddress(const QHttpServerRequest& request,
                                       const QHostAddress& peer) const
{
    return m_admission.clientAddress(gateRequest(request, peer));
}

HttpResponse HttpRouter::handle(const QHttpServerRequest& request, const QHostAddress& peer,
                                Respond later) const
{
    const QByteArray origin = request.value("origin");
    auto gate = m_admission.admit(gateRequest(request, peer), {});
    if (auto* refusal = std::get_if<Admission::Refusal>(&gate))
        return HttpResponse::refusal(*refusal);
    auto& admitted = std::get<Admission::Admitted>(gate);
    const bool allowed = admitted.originAllowed;
    const bool preflight = !origin.isEmpty() &&
                           request.method() == QHttpServerRequest::Method::Options &&
                           !request.value("access-control-request-method").isEmpty();
    if (preflight && !allowed)
        return HttpResponse::error(403, QStringLiteral("PERMISSION_DENIED"),
                                   QStringLiteral("origin %1 is not allowed (see --allow-origin)")
                                       .arg(QString::fromLatin1(origin.left(200))));
    // CORS (SPEC §7): only an allowed browser origin may read the answer.
    const auto withCors = [origin, allowed, preflight](HttpResponse response) {
        if (origin.isEmpty())
            return response;
        response.headers.emplaceBack("Vary", "Origin");
        if (!allowed)
            return response; // no CORS headers: the browser keeps the answer from the page
        response.headers.emplaceBack("Access-Control-Allow-Origin", origin);
        if (preflight) {
            response.headers.emplaceBack("Access-Control-Allow-Methods",
                                         "GET, HEAD, POST, PUT, DELETE, OPTIONS");
            response.headers.emplaceBack("Access-Control-Allow-Headers",
                                         "Authorization, Content-Type");
            response.headers.emplaceBack("Access-Control-Max-Age", "600");
        }
        return response;
    };
    if (preflight)
        return withCors(HttpResponse::content({}, "text/plain", 204));
    Respond respondLater;
    if (later)
        respondLater = [later, withCors](const HttpResponse& response) {
            later(withCors(response));
        };
    HttpResponse response = route(request, std::move(admitted), std::move(respondLater));
    return response.isPending() ? response : withCors(std::move(response));
}

HttpResponse HttpRouter::route(const QHttpServerRequest& request, Admission::Admitted admitted,
                               Respond later) const
{
    const QString path = request.url().path();
    const AuthMode authMode = m_admission.authMode();
    QStringList allowed; // methods served at this path, for a 405's Allow header
    for (const HttpRoute& route : m_routes) {
        QHash<QString, QString> params;
        if (!matchPattern(route.pattern, path, &params))
            continue;
        allowed.append(methodName(route.method).toUpper());
        if (route.method == QHttpServerRequest::Method::Get)
            allowed.append(QStringLiteral("HEAD"));
        const bool methodMatches = route.method == request.method() ||
                                   (route.method == QHttpServerRequest::Method::Get &&
                                    request.method() == QHttpServerRequest::Method::Head);
        if (!methodMatches)
            continue;

        const Identity& identity = admitted.identity;
        if (route.access != HttpAccess::Public && authMode != AuthMode::Off) {
            if (admitted.tokenError)
                return HttpResponse::error(401, QStringLiteral("AUTHENTICATION_FAILED"),
                                           *admitted.tokenError);
            const bool anonymousAllowed =
                route.access == HttpAccess::User && authMode == AuthMode::Optional;
            if (!identity.isAuthenticated() && !anonymousAllowed)
                return HttpResponse::refusal(
                    Admission::unauthorized(QStringLiteral("a bearer token is required"), false));
            const bool roleOk =
                route.access == HttpAccess::User ||
                (route.access == HttpAccess::ServiceOrAdmin && identity.isServiceOrAdmin()) ||
                (route.access == HttpAccess::Admin && identity.isAdmin());
            if (!roleOk)
                return HttpResponse::error(403, QStringLiteral("PERMISSION_DENIED"),
                                           QStringLiteral("this route needs the %1 role")
                                               .arg(route.access == HttpAccess::Admin
                                                        ? QStringLiteral("admin")
                                                        : QStringLiteral("service or admin")));
        }
        return route.handle(
            HttpCall{request, std::move(params), std::move(admitted.identity), std::move(later)});
    }
    if (!allowed.isEmpty()) {
        HttpResponse response =
            HttpResponse::error(405, QStringLiteral("METHOD_NOT_ALLOWED"),
                                QStringLiteral("method not allowed on %1").arg(path));
        allowed.removeDuplicates();
        response.headers.emplaceBack("Allow", allowed.join(QStringLiteral(", ")).toLatin1());
        return response;
    }
    return HttpResponse::error(404, QStringLiteral("NOT_FOUND"),
                               QStringLiteral("no route for %1").arg(path.left(200)));
}

QJsonObject HttpRouter::openApi(const QString& version) const
{
    QJsonObject paths;
    for (const HttpRoute& route : m_routes) {
        QJsonObject operation{{QLatin1String("summary"), route.summary}};
        QJsonArray parameters;
        static const QRegularExpression parameter(QStringLiteral("\\{([^}]+)\\}"));
        for (const auto& match : parameter.globalMatch(route.pattern)) {
            parameters.append(
                QJsonObject{{QLatin1String("name"), match.captured(1)},
                            {QLatin1String("in"), QLatin1String("path")},
                            {QLatin1String("required"), true},
                            {QLatin1String("schema"),
                             QJsonObject{{QLatin1String("type"), QLatin1String("string")}}}});
        }
        if (!parameters.isEmpty())
            operation.insert(QLatin1String("parameters"), parameters);
        if (!route.requestBodySchema.isEmpty()) {
            operation.insert(QLatin1String("requestBody"),
                             QJsonObject{{QLatin1String("required"), true},
                                         {QLatin1String("content"),
                                          QJsonObject{{QLatin1String("application/json"),
                                                       QJsonObject{{QLatin1String("schema"),
                                                                    route.requestBodySchema}}}}}});
        }
        if (route.access != HttpAccess::Public) {
            operation.insert(QLatin1String("security"),
                             QJsonArray{QJsonObject{{QLatin1String("bearer"), QJsonArray{}}}});
        }
        QJsonObject responses{{QLatin1String("200"),
                               QJsonObject{{QLatin1String("description"), QLatin1String("OK")}}}};
        if (route.access != HttpAccess::Public) {
            responses.insert(QLatin1String("401"), QJsonObject{{QLatin1String("description"),
                                                                QLatin1String("no valid token")}});
            responses.insert(
                QLatin1String("403"),
                QJsonObject{{QLatin1String("description"), QLatin1String("wrong role or tenant")}});
        }
        operation.insert(QLatin1String("responses"), responses);
        QJsonObject item = paths.value(route.pattern).toObject();
        item.insert(methodName(route.method), operation);
        paths.insert(route.pattern, item);
    }
    return QJsonObject{
        {QLatin1String("openapi"), QLatin1String("3.0.3")},
        {QLatin1String("info"), QJsonObject{{QLatin1String("title"), QLatin1String("Switchboard")},
                                            {QLatin1String("version"), version}}},
        {QLatin1String("paths"), paths},
        {QLatin1String("components"),
         QJsonObject{
             {QLatin1String("securitySchemes"),
              QJsonObject{{QLatin1String("bearer"),
                           QJsonObject{{QLatin1String("type"), QLatin1String("http")},
                                       {QLatin1String("scheme"), QLatin1String("bearer")},
                                       {QLatin1String("bearerFormat"), QLatin1String("JWT")}}}}}}}};
}

} // namespace switchboard
