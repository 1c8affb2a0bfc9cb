#pragma once

// One port for everything: answers REST requests through the HttpRouter and turns
// WebSocket upgrades into Sessions, after the Admission gate (Host, Origin, token, blocks) and
// the path's own rules (a token where the dialect needs one, topics the identity may read).
// Upgrades that must be refused are refused before the handshake, with a JSON error and the
// right HTTP status, or accepted and closed with 1008 where the document says so.

#include "../auth/Admission.h"
#include "../http/HttpResponse.h"

#include <QAbstractHttpServer>
#include <QHash>

#include <memory>
#include <optional>
#include <variant>

class QTcpSocket;

namespace switchboard {

class Collab;
class Dialect;
class Endpoints;
class HttpRouter;
class TcpListener;
class TopicPolicy;
class UploadIntake;
struct Endpoint;
struct HubConfig;
struct SessionContext;
class UpgradeRequest;

class Listener : public QAbstractHttpServer {
    Q_OBJECT

public:
    // `collab`: what uploaders announced in 004's file_upload_start (UploadIntake).
    Listener(const Endpoints& endpoints, const HttpRouter& router, const Admission& admission,
             const TopicPolicy& policy, SessionContext& context, Collab& collab,
             QObject* parent = nullptr);
    ~Listener() override;

    // A new random prefix for a listener's connection ids (short, base 36).
    static QString newIdPrefix();

    // Starts listening; on failure returns a one-line reason naming the setting.
    std::optional<QString> listen();
    quint16 port() const;
    void stopAccepting();
    void flushHttpSockets();
    int openConnections() const;

    // Asks every open session to keep its connection alive (SessionContext's settings).
    void checkKeepAlive();

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    // An upgrade let in: where it goes, who it is, and whether it is closed at once.
    struct Admitted {
        const Endpoint* endpoint = nullptr;
        Identity identity;
        QHostAddress client;                // the peer, or the client a trusted proxy forwarded
        QString path;                       // as requested, parameters filled in
        std::optional<QString> closeReason; // accept, then close with 1008
    };

    // Qt HTTP Server's reader lets go of `socket`, whose request head this listener handles.
    void takeOver(QTcpSocket* socket, qint64 unreadHeadBytes);
    void upgrade(QTcpSocket* socket, const QByteArray& head, qint64 unreadHeadBytes);
    std::variant<Admitted, HttpResponse> admitUpgrade(const UpgradeRequest& request,
                                                      const Admission::Request& gateRequest);

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
    const Admission& m_admission;
    const TopicPolicy& m_policy;
    SessionContext& m_context;
    Collab& m_collab;
    TcpListener* m_tcp = nullptr;
    std::unique_ptr<UploadIntake> m_uploads; // reads upload bodies as they arrive
    // Connection ids are this prefix and a counter: unique across restarts and across the nodes
    // of a cluster (SPEC §12), where an id names one connection to every node.
    QString m_idPrefix;
    quint64 m_nextId = 0;
    // WebSocket connections per client address that came through a trusted proxy: the proxy
    // is exempt from the per-address limit at accept (it carries many clients), each of its
    // clients is not.
    QHash<QString, int> m_proxiedPerAddress;
};

} // namespace switchboard
