#include "ClientConnection.h"

#include <QMetaObject>
#include <QNetworkRequest>
#include <QThread>
#include <QWebSocket>

namespace switchboard {

namespace {
constexpr qint64 maxIncoming = 16 * 1024 * 1024;
}

ClientConnection::ClientConnection()
    : m_thread(new QThread)
{
    m_thread->setObjectName(QStringLiteral("console client"));
    moveToThread(m_thread);
    m_thread->start();
}

void ClientConnection::shutdown()
{
    QMetaObject::invokeMethod(
        this,
        [this] {
            delete m_socket;
            m_socket = nullptr;
            moveToThread(nullptr);
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void ClientConnection::open(const QUrl& url, const QString& token)
{
    QMetaObject::invokeMethod(this, [this, url, token] { openHere(url, token); });
}

void ClientConnection::openHere(const QUrl& url, const QString& token)
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(maxIncoming);
    m_socket->setMaxAllowedIncomingFrameSize(maxIncoming);
    QWebSocket* socket = m_socket;
    connect(socket, &QWebSocket::connected, this, &ClientConnection::connected);
    connect(socket, &QWebSocket::disconnected, this,
            [this, socket] { emit disconnected(int(socket->closeCode()), socket->closeReason()); });
    connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            [this, socket] { emit failed(socket->errorString()); });
    connect(socket, &QWebSocket::textMessageReceived, this, &ClientConnection::received);
    QNetworkRequest request(url);
    // A header rather than ?token=, so the token stays out of URLs.
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    socket->open(request);
}

void ClientConnection::close()
{
    QMetaObject::invokeMethod(this, [this] {
        if (m_socket)
            m_socket->close(QWebSocketProtocol::CloseCodeNormal);
    });
}

void ClientConnection::send(const QString& text)
{
    QMetaObject::invokeMethod(this, [this, text] {
        if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
            m_socket->sendTextMessage(text);
            emit sent(text);
        } else {
            emit failed(tr("Not connected."));
        }
    });
}

} // namespace switchboard
