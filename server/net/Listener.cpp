#include "Listener.h"

#include "../auth/PeerAddress.h"
#include "../auth/TopicPolicy.h"
#include "../auth/TrustedProxies.h"
#include "../config/HubConfig.h"
#include "../config/TlsFiles.h"
#include "../handlers/MessageDispatcher.h"
#include "../http/HttpRouter.h"
#include "../hub/HubMetrics.h"
#include "../hub/Subscribers.h"
#include "../protocol/Endpoints.h"
#include "../protocol/dialects/Dialect.h"
#include "ConnectionLog.h"
#include "Session.h"
#include "SessionContext.h"
#include "TcpListener.h"
#include "TlsSocket.h"
#include "UpgradeRequest.h"
#include "UploadIntake.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QUrlQuery>

namespace switchboard {

Listener::Listener(const Endpoints& endpoints, const HttpRouter& router, const Admission& admission,
                   const TopicPolicy& policy, SessionContext& context, Collab& collab,
                   QObject* parent)
    : QAbstractHttpServer(parent)
    , m_config(context.config)
    , m_endpoints(endpoints)
    , m_router(router)
    , m_admission(admission)
    , m_policy(policy)
    , m_context(context)
    , m_collab(collab)
    , m_idPrefix(newIdPrefix())
{}

QString Listener::newIdPrefix()
{
    // 48 random bits: among a thousand listeners (nodes times restarts) the chance that two
    // share a prefix is below 2e-9; in base 36 that is at most 10 characters.
    constexpr quint64 prefixBits = 48;
    return QString::number(QRandomGenerator::system()->generate64() >> (64 - prefixBits), 36);
}

Listener::~Listener()
{
    // Sessions first (they still reach the hub as they leave), then the sockets.
    qDeleteAll(findChildren<Session*>(Qt::FindDirectChildrenOnly));
    delete m_tcp;
}

std::optional<QString> Listener::listen()
{
    m_tcp = new TcpListener(m_config.maxConnections, m_config.handshakeTimeout,
                            m_config.maxMessageBytes, m_context.metrics);
    m_tcp->setMaxConnectionsPerAddress(m_config.maxConnectionsPerIp);
    m_tcp->setTrustedProxies(&m_admission.proxies());
    m_tcp->setUpgradeHandler(
        [this](QTcpSocket* socket, const QByteArray& head, qint64 unreadHeadBytes) {
            upgrade(socket, head, unreadHeadBytes);
        });
    if (!m_config.tlsCertificateFile.isEmpty()) {
        // The settings' own check first, for its plain words (the files may have changed
        // since the settings were read); then OpenSSL loads them.
        std::optional<QString> problem =
            tlsFilesProblem(m_config.tlsCertificateFile, m_config.tlsKeyFile);
        if (!problem) {
            auto context = TlsContext::create(m_config.tlsCertificateFile, m_config.tlsKeyFile);
            if (auto* reason = std::get_if<QString>(&context))
                problem = *reason;
            else
                m_tcp->setTls(std::get<std::shared_ptr<const TlsContext>>(std::move(context)));
        }
        if (problem) {
            delete m_tcp;
            m_tcp = nullptr;
            return *problem;
        }
    }
    if (!m_tcp->listen(m_config.bindAddress, m_config.port)) {
        const QString reason = m_tcp->errorString();
        delete m_tcp;
        m_tcp = nullptr;
        return QStringLiteral("--port: cannot listen on %1:%2: %3")
            .arg(m_config.bindAddress.toString())
            .arg(m_config.port)
            .arg(reason);
    }
    m_uploads =
        std::make_unique<UploadIntake>(m_config, m_admission, m_context.hub, m_collab, *m_tcp);
    m_tcp->setRequestHandler(
        [this](QTcpSocket* socket, const QByteArray& head, qint64 unreadHeadBytes) {
            if (!UploadIntake::isUpload(head))
                return false;
            ++m_context.metrics.httpRequests;
            takeOver(socket, unreadHeadBytes);
            m_uploads->receive(socket, head);
            return true;
        });
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

void Listener::checkKeepAlive()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 interval = m_config.pingInterval.count();
    const qint64 timeout = m_config.pingTimeout.count();
    // With --auth required an anonymous connection may only authenticate (or ping), and has
    // the handshake timeout to do so.
    const qint64 authenticateWithin =
        m_config.authMode == AuthMode::Required ? m_config.handshakeTimeout.count() : 0;
    const QList<Subscriber*> subscribers = m_context.subscribers.all().values();
    for (Subscriber* subscriber : subscribers)
        Session::of(*subscriber).checkKeepAlive(now, interval, timeout, authenticateWithin);
}

void Listener::write(const QHttpServerRequest& request, QTcpSocket* socket, HttpResponse response)
{
    response.addSecurityHeaders();
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(QHttpServerResponder::StatusCode(response.status));
    responder.writeHeader("Content-Type", response.contentType);
    // 204 and 304 have no body by definition (RFC 9110 §8.6): no length to announce.
    if (response.status != 204 && response.status != 304)
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
    // Upgrades are taken over before Qt HTTP Server reads them (upgrade()); one that reaches
    // it is not a request this server can serve.
    if (request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0)
        return false;
    const bool headRequest = request.method() == QHttpServerRequest::Method::Head;
    const QHostAddress client = m_router.clientAddress(request, socket->peerAddress());
    // A route that answers later writes its answer straight to the socket, which stays open.
    const QPointer<QTcpSocket> guarded(socket);
    const QString method = methodName(request.method()).toUpper();
    const QUrl url = request.url();
    auto later = [this, guarded, headRequest, method, url, client](const HttpResponse& response) {
        ConnectionLog::requestRefused(method, url, client, response);
        if (guarded && m_tcp)
            m_tcp->answer(guarded, response, headRequest);
    };
    HttpResponse response = m_router.handle(request, socket->peerAddress(), later);
    if (response.isPending()) {
        m_tcp->touch(socket);
        return true;
    }
    if (response.status >= 400)
        ConnectionLog::requestRefused(request, client, response);
    write(request, socket, std::move(response));
    m_tcp->touch(socket);
    return true;
}

void Listener::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket)
{
    HttpResponse response = HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"),
                                                QStringLiteral("the request could not be handled"));
    response.headers.emplaceBack("Connection", "close");
    write(request, socket, response);
    socket->disconnectFromHost();
}

void Listener::takeOver(QTcpSocket* socket, qint64 unreadHeadBytes)
{
    // The request is this listener's from here: Qt HTTP Server's reader must not see it, and
    // what it has read of the head already is consumed.
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    // Read, not skip(): when the head is all Qt holds (the usual case), read() hands over Qt's
    // 16 KiB read block itself, freed here, where skip() would leave it to the socket for the
    // connection's life.
    socket->read(unreadHeadBytes);
}

void Listener::upgrade(QTcpSocket* socket, const QByteArray& head, qint64 unreadHeadBytes)
{
    ++m_context.metrics.httpRequests;
    takeOver(socket, unreadHeadBytes);

    auto parsed = UpgradeRequest::parse(head);
    if (auto* invalid = std::get_if<UpgradeRequest::Refusal>(&parsed)) {
        ++m_context.metrics.rejectedConnections;
        HttpResponse response = HttpResponse::error(
            invalid->status, QStringLiteral("INVALID_MESSAGE"), invalid->message);
        for (const auto& [name, value] : std::as_const(invalid->headers))
            response.headers.emplaceBack(name, value);
        m_tcp->answerAndClose(socket, response);
        return;
    }
    const auto& request = std::get<UpgradeRequest>(parsed);
    // The token may come in the query (browsers cannot set headers) or as a bearer header;
    // another Authorization scheme is not an upgrade's credential.
    const QByteArray authorization = request.value("authorization");
    const Admission::Request gateRequest{
        request.value("host"),
        request.value("origin"),
        authorization.startsWith("Bearer ") ? authorization : QByteArray(),
        QUrlQuery(request.url())
            .queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded)
            .toUtf8(),
        socket->peerAddress(),
        request.joinedValues("x-forwarded-for"),
        request.joinedValues("forwarded")};
    auto admission = admitUpgrade(request, gateRequest);
    if (auto* refusal = std::get_if<HttpResponse>(&admission)) {
        ++m_context.metrics.rejectedConnections;
        ConnectionLog::upgradeRefused(request.url(), m_admission.clientAddress(gateRequest),
                                      *refusal);
        m_tcp->answerAndClose(socket, *refusal);
        return;
    }
    const auto& admitted = std::get<Admitted>(admission);
    // A trusted proxy carries many clients and is not held to the per-address limit when it
    // connects (TcpListener); each client it forwards is, here.
    const bool proxied = m_admission.proxies().trusts(socket->peerAddress());
    const QString clientAddress = displayAddress(admitted.client);
    if (proxied && m_proxiedPerAddress.value(clientAddress) >= m_config.maxConnectionsPerIp) {
        ++m_context.metrics.rejectedConnections;
        HttpResponse refusal =
            HttpResponse::error(503, QStringLiteral("OVERLOADED"),
                                QStringLiteral("too many connections from this address, retry "
                                               "later"));
        refusal.headers.emplaceBack("Retry-After", "5");
        ConnectionLog::upgradeRefused(request.url(), admitted.client, refusal);
        m_tcp->answerAndClose(socket, refusal);
        return;
    }
    const bool forwarded = clientAddress != displayAddress(socket->peerAddress());
    const QString remote = forwarded ? remoteText(admitted.client)
                                     : remoteText(socket->peerAddress(), socket->peerPort());
    m_tcp->release(socket);
    ++m_context.metrics.connectionsTotal;
    const QString id = m_idPrefix + u'-' + QString::number(++m_nextId, 36);
    auto* session = new Session(id, socket, request.acceptResponse(), *admitted.endpoint->dialect,
                                admitted.identity, admitted.path, remote, m_context, this);
    if (proxied) {
        ++m_proxiedPerAddress[clientAddress];
        connect(session, &QObject::destroyed, this, [this, clientAddress] {
            if (--m_proxiedPerAddress[clientAddress] <= 0)
                m_proxiedPerAddress.remove(clientAddress);
        });
    }
    if (admitted.closeReason) {
        session->close(CloseCode::Policy, *admitted.closeReason);
        return;
    }
    session->open();
}

std::variant<Listener::Admitted, HttpResponse>
Listener::admitUpgrade(const UpgradeRequest& request, const Admission::Request& gateRequest)
{
    const QUrl& url = request.url();
    const Endpoint* endpoint = m_endpoints.match(url.path());
    if (!endpoint)
        return HttpResponse::error(
            404, QStringLiteral("NOT_FOUND"),
            QStringLiteral("no WebSocket endpoint at %1").arg(url.path().left(200)));

    // SPEC §7: a browser page from an origin not on the list, and a client blocked for rate
    // limit violations, are refused before the handshake.
    auto gate =
        m_admission.admit(gateRequest, {.refuseForeignOrigin = true, .refuseBlocked = true});
    if (auto* refusal = std::get_if<Admission::Refusal>(&gate))
        return HttpResponse::refusal(*refusal);
    const auto& admitted = std::get<Admission::Admitted>(gate);

    std::optional<Refusal> refusal;
    if (admitted.tokenError)
        refusal = Refusal{401, QStringLiteral("AUTHENTICATION_FAILED"), *admitted.tokenError};
    else
        refusal = refuseForbidden(*endpoint->dialect, url.path(), admitted.identity);
    // Documents 001 and 003 accept such a connection and close it with 1008 at once.
    std::optional<QString> closeReason;
    if (refusal) {
        if (!endpoint->dialect->closesRefusedConnections())
            return HttpResponse::error(refusal->status, refusal->code, refusal->reason);
        closeReason = refusal->reason.left(120); // a close reason is at most 123 bytes
    }
    return Admitted{endpoint, admitted.identity, admitted.client, url.path(), closeReason};
}

// A connection without the right to its endpoint: no token where the document needs one at
// the upgrade, or a topic the path subscribes to that the identity may not read (another
// tenant's project, another user's room).
std::optional<Listener::Refusal> Listener::refuseForbidden(const Dialect& dialect,
                                                           const QString& path,
                                                           const Identity& identity) const
{
    const bool anonymous = !identity.isAuthenticated();
    if (m_config.authMode == AuthMode::Required && anonymous && !dialect.acceptsAuthMessage())
        return Refusal{401, QStringLiteral("AUTHENTICATION_FAILED"),
                       QStringLiteral("%1 needs a token: ?token= or Authorization: Bearer")
                           .arg(path.left(200))};
    // A dialect that authenticates by message subscribes what it may once it knows who it is.
    if (anonymous && dialect.acceptsAuthMessage())
        return std::nullopt;
    for (const QString& topic : m_context.dispatcher.autoTopics(dialect, identity, path)) {
        if (!TopicPolicy::isValidName(topic))
            return Refusal{404, QStringLiteral("NOT_FOUND"),
                           QStringLiteral("no WebSocket endpoint at %1").arg(path.left(200))};
        if (!m_policy.canSubscribe(identity, topic))
            return anonymous ? Refusal{401, QStringLiteral("AUTHENTICATION_FAILED"),
                                       QStringLiteral("%1 needs a token").arg(path.left(200))}
                             : Refusal{403, QStringLiteral("PERMISSION_DENIED"),
                                       QStringLiteral("not allowed to read %1").arg(topic)};
    }
    return std::nullopt;
}

} // namespace switchboard
