#pragma once

// One port for everything: answers REST requests through the HttpRouter and turns
// WebSocket upgrades into Sessions. Upgrades that must be refused (unknown path, bad token)
// are refused before the handshake, with a JSON error and the right HTTP status.

#include "../auth/Identity.h"
#include "../http/HttpResponse.h"

#include <QAbstractHttpServer>

#include <memory>
#include <optional>
#include <variant>

class QTcpSocket;

namespace switchboard {

class Dialect;
class Endpoints;
class HttpRouter;
class OriginPolicy;
class RateLimiter;
class Sessions;
class TcpListener;
class TokenVerifier;
class UploadIntake;
struct Endpoint;
struct HubConfig;
struct SessionContext;
class UpgradeRequest;

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

    // Upgrades from a browser origin the policy refuses get 403; upgrades from a client the
    // limiter has blocked get 429 until the block ends. Set before listen().
    void setProtection(const OriginPolicy* origins, const RateLimiter* rateLimiter)
    {
        m_origins = origins;
        m_rateLimiter = rateLimiter;
    }

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    // An upgrade let in: where it goes, who it is, and whether it is closed at once.
    struct Admission {
        const Endpoint* endpoint = nullptr;
        Identity identity;
        QString path;                       // as requested, parameters filled in
        std::optional<QString> closeReason; // accept, then close with 1008
    };

    // Qt HTTP Server's reader lets go of `socket`, whose request head this listener handles.
    void takeOver(QTcpSocket* socket, qint64 unreadHeadBytes);
    void upgrade(QTcpSocket* socket, const QByteArray& head, qint64 unreadHeadBytes);
    std::variant<Admission, HttpResponse> admitUpgrade(const UpgradeRequest& request,
                                                       QTcpSocket* socket);
    std::optional<HttpResponse> refuseUnwelcome(const UpgradeRequest& request, QTcpSocket* socket,
                                                const Identity& identity) const;

    // Why an upgrade is turned away: an HTTP error before the handshake, or the reason of a
    // 1008 close after it (Dialect::closesRefusedConnections).
    struct Refusal {
        int status;
        QString code;
        QString reason;
    };
    std::optional<Refusal> refuseForbidden(const Dialect& dialect, const QString& path,
                                           const Identity& identity) const;
    void write(const QHttpServerRequest& request, QTcpSocket* socket, HttpResponse response);

    const HubConfig& m_config;
    const Endpoints& m_endpoints;
    const HttpRouter& m_router;
    const TokenVerifier& m_tokens;
    Sessions& m_sessions;
    SessionContext& m_context;
    TcpListener* m_tcp = nullptr;
    std::unique_ptr<UploadIntake> m_uploads; // reads upload bodies as they arrive
    const OriginPolicy* m_origins = nullptr;
    const RateLimiter* m_rateLimiter = nullptr;
    QString m_idPrefix;
    quint64 m_nextId = 0;
};

} // namespace switchboard
