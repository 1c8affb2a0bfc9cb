#include "TcpListener.h"

#include "../auth/PeerAddress.h"
#include "../auth/TrustedProxies.h"

#include "../http/HttpResponse.h"
#include "../hub/HubMetrics.h"
#include "DestructionWatch.h"
#include "TlsSocket.h"
#include "UpgradeRequest.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

#include <algorithm>
#include <memory>
#include <utility>

namespace switchboard {

namespace {

constexpr int listenBacklog = 4096; // Qt's default of 50 made a 10k-client ramp take seconds

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

TcpListener::TcpListener(int maxConnections, std::chrono::milliseconds requestTimeout,
                         qint64 maxBodyBytes, HubMetrics& metrics, QObject* parent)
    : QTcpServer(parent)
    , m_maxConnections(maxConnections)
    , m_requestTimeout(requestTimeout)
    , m_maxBodyBytes(maxBodyBytes)
    , m_metrics(metrics)
{
    setListenBacklogSize(listenBacklog);
    setMaxPendingConnections(listenBacklog);
    const auto interval = std::clamp<qint64>(requestTimeout.count() / 4, 50, 1000);
    m_sweepTimer.setInterval(int(interval));
    connect(&m_sweepTimer, &QTimer::timeout, this, &TcpListener::sweep);
    m_sweepTimer.start();
}

TcpListener::~TcpListener()
{
    // Each socket's destruction watch updates this object's counters: delete them first.
    qDeleteAll(findChildren<QTcpSocket*>(Qt::FindDirectChildrenOnly));
}

void TcpListener::incomingConnection(qintptr descriptor)
{
    QTcpSocket* socket = m_tls ? new TlsSocket(m_tls, this) : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // No Nagle: the hub already writes each client's pending frames in one system call per
    // pass, and Nagle would hold a frame back until the client acknowledged the previous one
    // (up to its delayed-ACK time, ~40 ms, for a client that only reads).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_open >= m_maxConnections) {
        refuse(socket, QStringLiteral("server is at its connection limit, retry later"));
        return;
    }
    // A trusted proxy's connections are its clients': they are counted per client (Listener).
    const QString address = m_proxies && m_proxies->trusts(socket->peerAddress())
                                ? QString()
                                : displayAddress(socket->peerAddress());
    if (!address.isEmpty() && m_perAddress.value(address) >= m_maxPerAddress) {
        refuse(socket, QStringLiteral("too many connections from this address, retry later"));
        return;
    }
    ++m_open;
    if (!address.isEmpty())
        ++m_perAddress[address];
    m_phases.insert(socket, HttpPhase{nowMs() + m_requestTimeout.count(), false, {}});
    DestructionWatch::attach(socket, [this, socket, address] {
        --m_open;
        if (!address.isEmpty() && --m_perAddress[address] <= 0)
            m_perAddress.remove(address);
        m_phases.remove(socket); // only the key is used: the socket is being destroyed
    });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    // Connected before the HTTP server's own reader, so this sees each request head first.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { checkRequestHead(socket); });
    addPendingConnection(socket);
}

void TcpListener::refuse(QTcpSocket* socket, const QString& message)
{
    ++m_metrics.rejectedConnections;
    HttpResponse response = HttpResponse::error(503, QStringLiteral("OVERLOADED"), message);
    response.headers.emplaceBack("Retry-After", "5");
    const QByteArray answer = response.serialize(false);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(m_requestTimeout, socket, &QObject::deleteLater);
    if (auto* tls = qobject_cast<TlsSocket*>(socket)) {
        // The refusal is written once the client can read it: after the TLS handshake (a
        // failed one ends the connection).
        connect(tls, &TlsSocket::encrypted, tls, [tls, answer] {
            tls->write(answer);
            tls->disconnectFromHost();
        });
        return;
    }
    socket->write(answer);
    socket->disconnectFromHost();
}

void TcpListener::release(QTcpSocket* socket)
{
    m_phases.remove(socket);
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    // From now on the socket belongs to its Session, which decides when it goes (this also
    // ends Qt HTTP Server's own deleteLater on disconnect).
    disconnect(socket, &QTcpSocket::disconnected, socket, nullptr);
}

void TcpListener::extendDeadline(QTcpSocket* socket)
{
    auto it = m_phases.find(socket);
    if (it != m_phases.end())
        it->deadlineMs = nowMs() + m_requestTimeout.count();
}

void TcpListener::answer(QTcpSocket* socket, const HttpResponse& response, bool headRequest)
{
    socket->write(response.serialize(true, headRequest));
    touch(socket);
}

void TcpListener::touch(QTcpSocket* socket)
{
    auto it = m_phases.find(socket);
    if (it != m_phases.end())
        *it = HttpPhase{nowMs() + m_requestTimeout.count(), false, {}};
}

// Looks only at what a size check needs (the end of the head, Content-Length and
// Transfer-Encoding) and whether the request is a WebSocket upgrade; the HTTP server's own
// parser does everything else.
void TcpListener::checkRequestHead(QTcpSocket* socket)
{
    constexpr qint64 maxHeadBytes = 16 * 1024;
    auto it = m_phases.find(socket);
    if (it == m_phases.end() || it->headChecked)
        return;
    // The HTTP server reads what has arrived on every readyRead, inside a transaction it
    // commits once the request is complete; while one is open, this sees only the new bytes.
    const QByteArray fresh = socket->peek(maxHeadBytes);
    if (socket->isTransactionStarted())
        it->head += fresh;
    else
        it->head = fresh;
    const qsizetype end = it->head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (it->head.size() >= maxHeadBytes)
            answerAndClose(
                socket, HttpResponse::error(
                            431, QStringLiteral("MESSAGE_TOO_LARGE"),
                            QStringLiteral("request headers exceed %1 bytes").arg(maxHeadBytes)));
        return;
    }
    it->headChecked = true;
    const qsizetype consumedBefore = it->head.size() - fresh.size(); // by the HTTP server
    const QByteArray head = std::exchange(it->head, {}).left(end);
    if (m_upgradeHandler && UpgradeRequest::isUpgrade(head)) {
        m_upgradeHandler(socket, head, end + 4 - consumedBefore);
        return;
    }
    // The handler applies its own limits (an upload's cap is not a message's).
    if (m_requestHandler && m_requestHandler(socket, head, end + 4 - consumedBefore))
        return;
    const QList<QByteArray> lines = head.split('\n');
    for (const QByteArray& line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "transfer-encoding") {
            answerAndClose(socket, HttpResponse::error(
                                       411, QStringLiteral("INVALID_MESSAGE"),
                                       QStringLiteral("request bodies need a Content-Length")));
            return;
        }
        if (name == "content-length") {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            if (!ok || length < 0 || length > m_maxBodyBytes) {
                answerAndClose(socket, HttpResponse::error(
                                           413, QStringLiteral("MESSAGE_TOO_LARGE"),
                                           QStringLiteral("request body over the limit of %1 bytes")
                                               .arg(m_maxBodyBytes)));
                return;
            }
        }
    }
}

void TcpListener::answerAndClose(QTcpSocket* socket, const HttpResponse& response,
                                 qint64 unreadBodyBytes)
{
    m_phases.remove(socket);
    // Nothing more is read from this socket: the HTTP server must not see the rest.
    disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    socket->write(response.serialize(false));
    // A client that never reads its answer does not keep the socket.
    QTimer::singleShot(m_requestTimeout, socket, &QObject::deleteLater);
    if (unreadBodyBytes <= 0) {
        socket->disconnectFromHost();
        return;
    }
    // Closing with bytes unread makes the kernel reset the connection, and a client still
    // sending its body would lose the answer to the reset.
    auto left = std::make_shared<qint64>(unreadBodyBytes);
    const auto drop = [socket, left] {
        const qint64 skipped = socket->skip(std::min(*left, socket->bytesAvailable()));
        if (skipped > 0)
            *left -= skipped;
        if (*left > 0)
            return;
        disconnect(socket, &QTcpSocket::readyRead, socket, nullptr);
        socket->disconnectFromHost();
    };
    connect(socket, &QTcpSocket::readyRead, socket, drop);
    drop();
}

void TcpListener::stopAccepting()
{
    close();
}

void TcpListener::flushHttpSockets()
{
    for (auto it = m_phases.cbegin(); it != m_phases.cend(); ++it)
        it.key()->flush();
}

void TcpListener::sweep()
{
    const qint64 now = nowMs();
    QList<QTcpSocket*> expired;
    for (auto it = m_phases.cbegin(); it != m_phases.cend(); ++it) {
        if (it.value().deadlineMs < now)
            expired.append(it.key());
    }
    for (QTcpSocket* socket : expired) {
        m_phases.remove(socket);
        socket->abort();
        socket->deleteLater();
    }
}

} // namespace switchboard
