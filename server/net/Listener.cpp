#include "Listener.h"

#include "../auth/TokenVerifier.h"
#include "../config/HubConfig.h"
#include "../http/HttpRouter.h"
#include "../monitor/HubMetrics.h"
#include "../protocol/Endpoints.h"
#include "../protocol/dialects/Dialect.h"
#include "DestructionWatch.h"
#include "Session.h"
#include "SessionContext.h"
#include "Sessions.h"
#include "TcpListener.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>

namespace switchboard {

Listener::Listener(const HubConfig& config, const Endpoints& endpoints, const HttpRouter& router,
                   const TokenVerifier& tokens, Sessions& sessions, SessionContext& context,
                   QObject* parent)
    : QAbstractHttpServer(parent)
    , m_config(config)
    , m_endpoints(endpoints)
    , m_router(router)
    , m_tokens(tokens)
    , m_sessions(sessions)
    , m_context(context)
    // Session ids carry a per-process prefix so they stay unique across restarts and nodes.
    , m_idPrefix(QString::number(QRandomGenerator::global()->generate() & 0xFFFFFF, 36))
{
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this, &Listener::onNewWebSocket);
}

Listener::~Listener()
{
    // The sockets' destruction watches use m_upgrades: end them while it still exists.
    delete m_tcp;
}

std::optional<QString> Listener::listen()
{
    m_tcp = new TcpListener(m_config.maxConnections, m_config.handshakeTimeout,
                            m_config.maxMessageBytes, m_context.metrics);
    if (!m_tcp->listen(m_config.bindAddress, m_config.port)) {
        const QString reason = m_tcp->errorString();
        delete m_tcp;
        m_tcp = nullptr;
        return QStringLiteral("--port: cannot listen on %1:%2: %3")
            .arg(m_config.bindAddress.toString())
            .arg(m_config.port)
            .arg(reason);
    }
    bind(m_tcp); // takes ownership
    return std::nullopt;
}

quint16 Listener::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

void Listener::stopAccepting()
{
    if (m_tcp)
        m_tcp->stopAccepting();
}

void Listener::flushHttpSockets()
{
    if (m_tcp)
        m_tcp->flushHttpSockets();
}

int Listener::openConnections() const
{
    return m_tcp ? m_tcp->openConnections() : 0;
}

QString Listener::peerKey(const QHostAddress& address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

void Listener::addSecurityHeaders(HttpResponse& response)
{
    // A route may set its own caching policy (static files); the default is no-store.
    for (const auto& header : securityHeaders()) {
        bool set = false;
        for (const auto& existing : std::as_const(response.headers))
            set = set || existing.first.compare(header.first, Qt::CaseInsensitive) == 0;
        if (!set)
            response.headers.append(header);
    }
}

void Listener::write(const QHttpServerRequest& request, QTcpSocket* socket, HttpResponse response)
{
    addSecurityHeaders(response);
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(QHttpServerResponder::StatusCode(response.status));
    responder.writeHeader("Content-Type", response.contentType);
    responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    for (const auto& [name, value] : std::as_const(response.headers))
        responder.writeHeader(name, value);
    if (request.method() == QHttpServerRequest::Method::Head)
        responder.writeBody(QByteArray());
    else
        responder.writeBody(response.body);
}

bool Listener::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    ++m_context.metrics.httpRequests;
    if (request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0) {
        if (auto refusal = admitUpgrade(request, socket)) {
            ++m_context.metrics.rejectedConnections;
            m_refusals.insert(socket, *refusal);
            return false; // Qt calls missingHandler(), which sends the refusal
        }
        return true; // Qt performs the handshake and emits newWebSocketConnection
    }
    write(request, socket, m_router.handle(request));
    m_tcp->touch(socket);
    return true;
}

void Listener::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket)
{
    HttpResponse response = m_refusals.take(socket);
    if (response.body.isEmpty())
        response = HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"),
                                       QStringLiteral("the request could not be handled"));
    response.headers.emplaceBack("Connection", "close");
    write(request, socket, response);
    socket->disconnectFromHost();
}

std::optional<HttpResponse> Listener::admitUpgrade(const QHttpServerRequest& request,
                                                   QTcpSocket* socket)
{
    const QUrl url = request.url();
    const Endpoint* endpoint = m_endpoints.match(url.path());
    if (!endpoint)
        return HttpResponse::error(
            404, QStringLiteral("NOT_FOUND"),
            QStringLiteral("no WebSocket endpoint at %1").arg(url.path().left(200)));

    // A token may come in the query (browsers cannot set headers) or as a bearer header.
    QByteArray token =
        QUrlQuery(url).queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toUtf8();
    const QByteArray authorization = request.value("authorization");
    if (token.isEmpty() && authorization.startsWith("Bearer "))
        token = authorization.mid(7).trimmed();

    Identity identity;
    if (!token.isEmpty() && m_config.authMode != AuthMode::Off) {
        auto verified = m_tokens.verify(token);
        if (auto* reason = std::get_if<QString>(&verified))
            return HttpResponse::error(401, QStringLiteral("AUTHENTICATION_FAILED"), *reason);
        identity = std::get<Identity>(verified);
    }
    const QString key = peerKey(socket->peerAddress(), socket->peerPort());
    m_upgrades.insert(key, Upgrade{endpoint, identity, socket});
    // A handshake that fails after this point must not leave its ticket behind.
    DestructionWatch::attach(socket, [this, key] { m_upgrades.remove(key); });
    m_tcp->release(socket);
    return std::nullopt;
}

void Listener::onNewWebSocket()
{
    while (hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = nextPendingWebSocketConnection();
        if (!socket)
            continue;
        const Upgrade upgrade = m_upgrades.take(peerKey(socket->peerAddress(), socket->peerPort()));
        if (!upgrade.endpoint || !upgrade.transport) {
            socket->abort();
            continue;
        }
        ++m_context.metrics.connectionsTotal;
        const QString id = m_idPrefix + u'-' + QString::number(++m_nextId, 36);
        auto* session =
            new Session(id, std::move(socket), upgrade.transport, upgrade.endpoint->dialect,
                        upgrade.identity, upgrade.endpoint->path, m_context);
        m_sessions.add(session);
        upgrade.endpoint->dialect->onOpen(*session, m_context.hub);
    }
}

} // namespace switchboard
