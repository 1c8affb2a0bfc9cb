#pragma once

// The listening socket. Accepts with a deep backlog, refuses connections over the limit
// with a 503, and drops sockets that do not finish a request or handshake in time: Qt HTTP
// Server 6.4 has no handshake or idle timeout of its own, so a half-sent request would
// otherwise hold a socket forever.

#include <QHash>
#include <QTcpServer>
#include <QTimer>

#include <chrono>

namespace switchboard {

class HubMetrics;

class TcpListener : public QTcpServer {
    Q_OBJECT

public:
    TcpListener(int maxConnections, std::chrono::milliseconds requestTimeout, HubMetrics& metrics,
                QObject* parent = nullptr);

    // The socket has become a WebSocket session: it is no longer subject to the request
    // timeout.
    void release(QTcpSocket* socket);
    // The socket finished a request and may idle until the next one.
    void touch(QTcpSocket* socket);
    int openConnections() const { return m_open; }
    // Stop accepting and refuse what is still queued.
    void stopAccepting();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void sweep();
    void refuse(qintptr descriptor);

    int m_maxConnections;
    std::chrono::milliseconds m_requestTimeout;
    HubMetrics& m_metrics;
    QHash<QTcpSocket*, qint64> m_deadlines; // sockets still in their HTTP phase
    QTimer m_sweepTimer;
    int m_open = 0;
};

} // namespace switchboard
