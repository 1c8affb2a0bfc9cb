#include "TcpListener.h"

#include "../monitor/HubMetrics.h"

#include <QDateTime>
#include <QTcpSocket>

#include <algorithm>

namespace switchboard {

namespace {

constexpr int listenBacklog = 4096; // Qt's default of 50 made a 10k-client ramp take seconds

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

TcpListener::TcpListener(int maxConnections, std::chrono::milliseconds requestTimeout,
                         HubMetrics& metrics, QObject* parent)
    : QTcpServer(parent)
    , m_maxConnections(maxConnections)
    , m_requestTimeout(requestTimeout)
    , m_metrics(metrics)
{
    setListenBacklogSize(listenBacklog);
    setMaxPendingConnections(listenBacklog);
    const auto interval = std::clamp<qint64>(requestTimeout.count() / 4, 50, 1000);
    m_sweepTimer.setInterval(int(interval));
    connect(&m_sweepTimer, &QTimer::timeout, this, &TcpListener::sweep);
    m_sweepTimer.start();
}

void TcpListener::incomingConnection(qintptr descriptor)
{
    if (m_open >= m_maxConnections) {
        refuse(descriptor);
        return;
    }
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    ++m_open;
    m_deadlines.insert(socket, nowMs() + m_requestTimeout.count());
    connect(socket, &QObject::destroyed, this, [this](QObject* object) {
        --m_open;
        // Only the key is used: the object is already gone.
        m_deadlines.remove(static_cast<QTcpSocket*>(object));
    });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    addPendingConnection(socket);
}

void TcpListener::refuse(qintptr descriptor)
{
    ++m_metrics.rejectedConnections;
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    static const QByteArray body =
        R"({"error":"server is at its connection limit, retry later","code":"OVERLOADED"})";
    socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                  "Retry-After: 5\r\nConnection: close\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    socket->disconnectFromHost();
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(m_requestTimeout, socket, &QObject::deleteLater);
}

void TcpListener::release(QTcpSocket* socket)
{
    m_deadlines.remove(socket);
    // From now on the socket belongs to its QWebSocket, which decides when it goes.
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
}

void TcpListener::touch(QTcpSocket* socket)
{
    auto it = m_deadlines.find(socket);
    if (it != m_deadlines.end())
        *it = nowMs() + m_requestTimeout.count();
}

void TcpListener::stopAccepting()
{
    close();
}

void TcpListener::sweep()
{
    const qint64 now = nowMs();
    QList<QTcpSocket*> expired;
    for (auto it = m_deadlines.cbegin(); it != m_deadlines.cend(); ++it) {
        if (it.value() < now)
            expired.append(it.key());
    }
    for (QTcpSocket* socket : expired) {
        m_deadlines.remove(socket);
        socket->abort();
        socket->deleteLater();
    }
}

} // namespace switchboard
