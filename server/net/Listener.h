#pragma once

// One port for everything: answers REST requests through the HttpRouter and turns
// WebSocket upgrades into Sessions. Upgrades that must be refused (unknown path, bad token)
// are refused before the handshake, with a JSON error and the right HTTP status.

#include "../auth/Identity.h"
#include "../http/HttpResponse.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QPointer>

#include <optional>

class QTcpSocket;

namespace switchboard {

class Endpoints;
class HttpRouter;
class Sessions;
class TcpListener;
class TokenVerifier;
struct Endpoint;
struct HubConfig;
struct SessionContext;

class Listener : public QAbstractHttpServer {
    Q_OBJECT

public:
    Listener(const HubConfig& config, const Endpoints& endpoints, const HttpRouter& router,
             const TokenVerifier& tokens, Sessions& sessions, SessionContext& context,
             QObject* parent = nullptr);
    ~Listener() override;

    // Starts listening; on failure returns a one-line reason naming the setting.
    std::optional<QString> listen();
    quint16 port() const;
    void stopAccepting();
    void flushHttpSockets();
    int openConnections() const;

    // Every HTTP response carries these.
    static void addSecurityHeaders(HttpResponse& response);

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    struct Upgrade {
        const Endpoint* endpoint = nullptr;
        Identity identity;
        QPointer<QTcpSocket> transport;
    };

    std::optional<HttpResponse> admitUpgrade(const QHttpServerRequest& request, QTcpSocket* socket);
    void onNewWebSocket();
    void write(const QHttpServerRequest& request, QTcpSocket* socket, HttpResponse response);
    static QString peerKey(const QHostAddress& address, quint16 port);

    const HubConfig& m_config;
    const Endpoints& m_endpoints;
    const HttpRouter& m_router;
    const TokenVerifier& m_tokens;
    Sessions& m_sessions;
    SessionContext& m_context;
    TcpListener* m_tcp = nullptr;
    QHash<QString, Upgrade> m_upgrades;          // by peer address:port, until the handshake ends
    QHash<QTcpSocket*, HttpResponse> m_refusals; // answered in missingHandler()
    QString m_idPrefix;
    quint64 m_nextId = 0;
};

} // namespace switchboard
