#pragma once

// The listening socket. Accepts with a deep backlog, refuses connections over the limits
// (in total, and from one IP address) with a 503, speaks TLS when given a certificate, and
// guards the HTTP phase that Qt HTTP Server 6.4 leaves open: it drops
// sockets that do not finish a request or handshake in time (the server has no handshake or
// idle timeout of its own) and refuses request bodies over the size limit before they are
// read (the server would buffer any body whole). It also sees each request head first, and
// hands WebSocket upgrades to the upgrade handler, and requests such as uploads that read
// their own body to the request handler, before Qt HTTP Server reads them.

#include <QHash>
#include <QTcpServer>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace switchboard {

class HubMetrics;
class TlsContext;
class TrustedProxies;
struct HttpResponse;

class TcpListener : public QTcpServer {
    Q_OBJECT

public:
    TcpListener(int maxConnections, std::chrono::milliseconds requestTimeout, qint64 maxBodyBytes,
                HubMetrics& metrics, QObject* parent = nullptr);
    ~TcpListener() override;

    // Connections one IP address may hold at once (HTTP and WebSocket alike). A trusted
    // proxy is not held to it: it carries many clients, whom the Listener counts one by one.
    void setMaxConnectionsPerAddress(int limit) { m_maxPerAddress = limit; }
    void setTrustedProxies(const TrustedProxies* proxies) { m_proxies = proxies; }
    // Every accepted socket speaks TLS with this context: https and wss (TlsSocket).
    void setTls(std::shared_ptr<const TlsContext> context) { m_tls = std::move(context); }

    // Called with a socket whose request head (`head`, without its final empty line) asks
    // for a WebSocket; `unreadHeadBytes` of the head are still in the socket's buffer.
    using UpgradeHandler =
        std::function<void(QTcpSocket* socket, const QByteArray& head, qint64 unreadHeadBytes)>;
    void setUpgradeHandler(UpgradeHandler handler) { m_upgradeHandler = std::move(handler); }
    // Offered every other request head, before the size checks; returns true when it takes
    // the request over (it then reads the body and answers). Arguments as for upgrades.
    using RequestHandler =
        std::function<bool(QTcpSocket* socket, const QByteArray& head, qint64 unreadHeadBytes)>;
    void setRequestHandler(RequestHandler handler) { m_requestHandler = std::move(handler); }
    // Bytes of a taken-over request arrived: its request timeout starts again.
    void extendDeadline(QTcpSocket* socket);
    // The socket has become a WebSocket session: it is no longer subject to the request
    // timeout, and its Session decides when it goes.
    void release(QTcpSocket* socket);
    // Writes `response` (with the security headers) and closes the connection; first, when
    // the client is still to send `unreadBodyBytes` of a request body, reads and drops them
    // (for the request timeout at most), so that it gets to read the answer.
    void answerAndClose(QTcpSocket* socket, const HttpResponse& response,
                        qint64 unreadBodyBytes = 0);
    // Writes the answer to a request Qt HTTP Server read and left to be answered later (with
    // the security headers; the connection stays open for the next request).
    void answer(QTcpSocket* socket, const HttpResponse& response, bool headRequest);
    // The socket finished a request and may idle until the next one.
    void touch(QTcpSocket* socket);
    int openConnections() const { return m_open; }
    // Stop accepting and refuse what is still queued.
    void stopAccepting();
    // Hands whatever HTTP responses are still buffered to the kernel (before shutdown).
    void flushHttpSockets();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct HttpPhase {
        qint64 deadlineMs = 0;
        bool headChecked = false; // the current request's head passed checkRequestHead()
        QByteArray head;          // what has arrived of the current request's head
    };

    void sweep();
    // A 503 OVERLOADED answer, then the connection ends.
    void refuse(QTcpSocket* socket, const QString& message);
    void checkRequestHead(QTcpSocket* socket);

    int m_maxConnections;
    std::chrono::milliseconds m_requestTimeout;
    qint64 m_maxBodyBytes;
    HubMetrics& m_metrics;
    QHash<QTcpSocket*, HttpPhase> m_phases; // sockets still in their HTTP phase
    QTimer m_sweepTimer;
    int m_open = 0;
    int m_maxPerAddress = 1 << 30;
    const TrustedProxies* m_proxies = nullptr;
    QHash<QString, int> m_perAddress; // open connections by peer address
    std::shared_ptr<const TlsContext> m_tls;
    UpgradeHandler m_upgradeHandler;
    RequestHandler m_requestHandler;
};

} // namespace switchboard
