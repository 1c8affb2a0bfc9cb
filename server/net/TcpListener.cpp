#include "TcpListener.h"

#include "../http/HttpResponse.h"
#include "../monitor/HubMetrics.h"
#include "DestructionWatch.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
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
    QTcpSocket* socket = m_tls ? new QSslSocket(this) : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (m_open >= m_maxConnections) {
        refuse(socket, R"({"error":"server is at its connection limit, retry later",)"
                       R"("code":"OVERLOADED"})");
        return;
    }
    // IPv4 clients of a dual-stack socket arrive as ::ffff:a.b.c.d; count them as a.b.c.d.
    bool isIPv4 = false;
    const quint32 ipv4 = socket->peerAddress().toIPv4Address(&isIPv4);
    const QString address =
        isIPv4 ? QHostAddress(ipv4).toString() : socket->peerAddress().toString();
    if (m_perAddress.value(address) >= m_maxPerAddress) {
        refuse(socket, R"({"error":"too many connections from this address, retry later",)"
                       R"("code":"OVERLOADED"})");
        return;
    }
    ++m_open;
    ++m_perAddress[address];
    m_phases.insert(socket, HttpPhase{nowMs() + m_requestTimeout.count(), false});
    DestructionWatch::attach(socket, [this, socket, address] {
        --m_open;
        if (--m_perAddress[address] <= 0)
            m_perAddress.remove(address);
        m_phases.remove(socket); // only the key is used: the socket is being destroyed
    });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    // Connected before the HTTP server's own reader, so this sees each request head first.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { checkRequestHead(socket); });
    if (auto* tls = qobject_cast<QSslSocket*>(socket)) {
        tls->setSslConfiguration(*m_tls);
        // A failed TLS handshake (a plain-text client, a bad hello) ends the connection.
        connect(tls, &QSslSocket::sslErrors, tls, [tls] { tls->abort(); });
        tls->startServerEncryption();
    }
    addPendingConnection(socket);
}

void TcpListener::refuse(QTcpSocket* socket, const QByteArray& body)
{
    ++m_metrics.rejectedConnections;
    const QByteArray answer =
        QByteArray("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                   "Retry-After: 5\r\nConnection: close\r\n") +
        securityHeaderLines() + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" +
        body;
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(m_requestTimeout, socket, &QObject::deleteLater);
    if (auto* tls = qobject_cast<QSslSocket*>(socket)) {
        // The refusal is written once the client can read it: after the TLS handshake.
        connect(tls, &QSslSocket::encrypted, tls, [tls, answer] {
            tls->write(answer);
            tls->disconnectFromHost();
        });
        connect(tls, &QSslSocket::sslErrors, tls, [tls] { tls->abort(); });
        tls->setSslConfiguration(*m_tls);
        tls->startServerEncryption();
        return;
    }
    socket->write(answer);
    socket->disconnectFromHost();
}

void TcpListener::release(QTcpSocket* socket)
{
    m_phases.remove(socket);
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    // From now on the socket belongs to its QWebSocket, which decides when it goes.
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
}

void TcpListener::touch(QTcpSocket* socket)
{
    auto it = m_phases.find(socket);
    if (it != m_phases.end())
        *it = HttpPhase{nowMs() + m_requestTimeout.count(), false};
}

// Looks only at what a size check needs (the end of the head, Content-Length and
// Transfer-Encoding); the HTTP server's own parser does everything else.
void TcpListener::checkRequestHead(QTcpSocket* socket)
{
    constexpr qint64 maxHeadBytes = 16 * 1024;
    auto it = m_phases.find(socket);
    if (it == m_phases.end() || it->headChecked)
        return;
    const QByteArray head = socket->peek(maxHeadBytes);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() >= maxHeadBytes)
            answerAndClose(socket, "431 Request Header Fields Too Large",
                           QStringLiteral("MESSAGE_TOO_LARGE"),
                           QStringLiteral("request headers exceed %1 bytes").arg(maxHeadBytes));
        return;
    }
    it->headChecked = true;
    const QList<QByteArray> lines = head.left(end).split('\n');
    for (const QByteArray& line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "transfer-encoding") {
            answerAndClose(socket, "411 Length Required", QStringLiteral("INVALID_MESSAGE"),
                           QStringLiteral("request bodies need a Content-Length"));
            return;
        }
        if (name == "content-length") {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            if (!ok || length < 0 || length > m_maxBodyBytes) {
                answerAndClose(
                    socket, "413 Payload Too Large", QStringLiteral("MESSAGE_TOO_LARGE"),
                    QStringLiteral("request body over the limit of %1 bytes").arg(m_maxBodyBytes));
                return;
            }
        }
    }
}

void TcpListener::answerAndClose(QTcpSocket* socket, const QByteArray& status, const QString& code,
                                 const QString& message)
{
    m_phases.remove(socket);
    const QByteArray body =
        QJsonDocument(QJsonObject{{QLatin1String("error"), message}, {QLatin1String("code"), code}})
            .toJson(QJsonDocument::Compact);
    // Nothing more is read from this socket: the HTTP server must not see the rest.
    disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    socket->write("HTTP/1.1 " + status +
                  "\r\nContent-Type: application/json\r\nConnection: close\r\n" +
                  securityHeaderLines() + "Content-Length: " + QByteArray::number(body.size()) +
                  "\r\n\r\n" + body);
    socket->disconnectFromHost();
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
