#include "Session.h"

#include "../config/HubConfig.h"
#include "../handlers/MessageDispatcher.h"
#include "../hub/Hub.h"
#include "../monitor/HubMetrics.h"
#include "../protocol/dialects/Dialect.h"
#include "PeerAddress.h"
#include "SessionContext.h"
#include "WebSocketFrame.h"
#include "WriteScheduler.h"

#include <QSslSocket>
#include <QTimer>

#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>

namespace switchboard {

namespace {

// Time a closing client gets to answer our close frame before the socket is aborted.
constexpr int closeGraceMs = 2000;
constexpr int maxIoVectors = 64;
// A burst of publishes handled in one pass is written out early once this much is queued,
// so the outbound cap measures what the client has not read, not the size of the burst.
constexpr qint64 earlyFlushBytes = 256 * 1024;

} // namespace

Session::Session(QString id, QTcpSocket* transport, const QByteArray& handshakeResponse,
                 const Dialect* dialect, Identity identity, QString endpoint,
                 SessionContext& context, QObject* parent)
    : QObject(parent)
    , m_id(std::move(id))
    , m_transport(transport)
    , m_dialect(dialect)
    , m_identity(std::move(identity))
    , m_endpoint(std::move(endpoint))
    , m_context(context)
    , m_since(QDateTime::currentDateTimeUtc())
    , m_reader(context.config.maxMessageBytes)
{
    if (!qobject_cast<QSslSocket*>(transport))
        m_directDescriptor = int(transport->socketDescriptor());

    m_remoteAddress =
        displayAddress(transport->peerAddress()) + u':' + QString::number(transport->peerPort());

    m_lastSeenMs = QDateTime::currentMSecsSinceEpoch();
    m_lastPingMs = m_lastSeenMs;
    m_qtBufferedBytes = transport->bytesToWrite();
    queueFrame(handshakeResponse);
    flush();
    connect(transport, &QTcpSocket::readyRead, this, &Session::onReadyRead);
    connect(transport, &QTcpSocket::disconnected, this, &Session::onDisconnected);
    // Frames that came with the handshake are read after the dialect's greeting.
    if (transport->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &Session::onReadyRead, Qt::QueuedConnection);
}

Session::~Session()
{
    m_context.scheduler.cancel(this);
    // The listener's accounting of open connections ends when this socket is destroyed.
    if (m_transport)
        m_transport->deleteLater();
}

void Session::setIdentity(Identity identity)
{
    m_identity = std::move(identity);
    m_changed = true;
}

void Session::noteSubscribed(const QString& topic)
{
    if (!m_topics.contains(topic))
        m_topics.append(topic);
    m_changed = true;
}

void Session::noteUnsubscribed(const QString& topic)
{
    m_topics.removeOne(topic);
    m_changed = true;
}

bool Session::sendFrame(const QByteArray& frame)
{
    if (m_closing || m_cut)
        return false;
    queueFrame(frame);
    ++m_messagesOut;
    m_bytesOut += quint64(frame.size());
    ++m_context.metrics.messagesOut;
    m_context.metrics.bytesOut += quint64(frame.size());
    m_changed = true;
    if (m_pendingBytes >= earlyFlushBytes)
        flush();
    if (m_pendingBytes + m_qtBufferedBytes > m_context.config.outboundBufferCap && m_transport)
        m_qtBufferedBytes = m_transport->bytesToWrite(); // the last figure may be stale
    if (m_pendingBytes + m_qtBufferedBytes > m_context.config.outboundBufferCap) {
        cutSlowConsumer();
        return false;
    }
    return true;
}

void Session::queueFrame(const QByteArray& frame)
{
    m_pending.push_back(frame);
    m_pendingBytes += frame.size();
    if (!m_scheduled) {
        m_scheduled = true;
        m_context.scheduler.schedule(this);
    }
}

void Session::sendText(const QByteArray& json)
{
    if (!json.isEmpty())
        sendFrame(WebSocketFrame::text(json));
}

void Session::flush()
{
    if (beginFlush()) {
        writeToKernel();
        endFlush();
    }
}

bool Session::beginFlush()
{
    if (m_pending.empty() || !m_transport)
        return false;
    // Qt's buffer grows only through writeToQt(), which records its size, so a recorded zero
    // is still zero: asking the socket again would cost a few cold cache lines per client.
    if (m_qtBufferedBytes > 0)
        m_qtBufferedBytes = m_transport->bytesToWrite();
    if (m_directDescriptor >= 0 && m_qtBufferedBytes == 0) {
        m_writtenFrames = 0;
        m_writtenOffset = 0;
        m_writeFailed = false;
        return true;
    }
    // Qt already holds unsent bytes (or the socket is encrypted): append behind them so
    // that order is kept.
    writeToQt(0, 0);
    return false;
}

// Writes the queued frames with one gathering system call per batch, straight from the
// shared frame buffers. Qt's own write path would copy every frame into the socket's buffer
// and take a round trip through the write notifier per socket and pass, which measured at
// about 40% of a delivery's cost. What the kernel does not take, endFlush() hands to Qt.
void Session::writeToKernel()
{
    std::size_t index = 0;
    qsizetype offset = 0; // bytes of m_pending[index] already written
    while (index < m_pending.size()) {
        iovec vectors[maxIoVectors];
        int count = 0;
        std::size_t batchBytes = 0;
        for (std::size_t k = index; k < m_pending.size() && count < maxIoVectors; ++k, ++count) {
            const qsizetype skip = k == index ? offset : 0;
            vectors[count].iov_base = const_cast<char*>(m_pending[k].constData() + skip);
            vectors[count].iov_len = std::size_t(m_pending[k].size() - skip);
            batchBytes += vectors[count].iov_len;
        }
        msghdr message{};
        message.msg_iov = vectors;
        message.msg_iovlen = std::size_t(count);
        const ssize_t written =
            ::sendmsg(m_directDescriptor, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                m_writeFailed = true; // the peer is gone; the read side notices
            break;
        }
        std::size_t left = std::size_t(written);
        while (left > 0) {
            const std::size_t available = std::size_t(m_pending[index].size() - offset);
            if (left >= available) {
                left -= available;
                ++index;
                offset = 0;
            } else {
                offset += qsizetype(left);
                left = 0;
            }
        }
        if (std::size_t(written) < batchBytes)
            break; // the kernel's buffer is full
    }
    m_writtenFrames = index;
    m_writtenOffset = offset;
}

void Session::endFlush()
{
    if (m_writeFailed) {
        m_pending.clear();
        m_pendingBytes = 0;
        return;
    }
    writeToQt(m_writtenFrames, m_writtenOffset);
}

// Hands the queue from `firstFrame` (less `offset` bytes already sent) to Qt, which buffers
// it and writes it when the socket is writable again; later frames follow it there.
void Session::writeToQt(std::size_t firstFrame, qsizetype offset)
{
    if (firstFrame < m_pending.size()) {
        const QByteArray& partial = m_pending[firstFrame];
        m_transport->write(partial.constData() + offset, partial.size() - offset);
        for (std::size_t k = firstFrame + 1; k < m_pending.size(); ++k)
            m_transport->write(m_pending[k]);
        m_qtBufferedBytes = m_transport->bytesToWrite();
    }
    m_pending.clear();
    m_pendingBytes = 0;
}

void Session::cutSlowConsumer()
{
    ++m_context.metrics.droppedSlowConsumers;
    m_cut = true;
    m_pending.clear();
    m_pendingBytes = 0;
    // This runs inside the hub's fan-out loop over this topic's subscribers: closing now
    // would change that list under the loop, so close on the next pass.
    QMetaObject::invokeMethod(
        this,
        [this] {
            close(CloseCode::TryAgainLater, QStringLiteral("slow consumer: outbound buffer full"));
        },
        Qt::QueuedConnection);
}

void Session::close(quint16 code, const QString& reason)
{
    if (m_closing)
        return;
    flush(); // what was queued goes out before the close frame
    m_closing = true;
    leaveHub();
    sendClose(code, reason);
    // A client that does not read never answers the close frame: do not wait for it.
    QTimer::singleShot(closeGraceMs, this, [this] {
        if (m_transport)
            m_transport->abort();
    });
}

void Session::sendClose(quint16 code, const QString& reason)
{
    if (m_closeSent)
        return;
    m_closeSent = true;
    m_closeCode = code;
    m_closeReason = reason;
    queueFrame(WebSocketFrame::close(code, reason));
    flush();
}

void Session::leaveHub()
{
    m_dialect->onClose(*this, m_context.hub);
    m_context.hub.removeSession(this);
    m_topics.clear();
}

void Session::onReadyRead()
{
    if (!m_transport)
        return;
    if (m_readFailed) {
        m_transport->readAll(); // the stream is broken; the close is under way
        return;
    }
    m_inbound.append(m_transport->readAll());
    std::vector<WebSocketReader::Message> messages;
    const std::optional<WebSocketReader::Failure> failure = m_reader.read(m_inbound, messages);
    for (const WebSocketReader::Message& message : messages) {
        if (m_closeReceived || !m_transport)
            return;
        onMessage(message);
    }
    if (failure) {
        m_readFailed = true;
        m_inbound.clear();
        close(failure->code, failure->reason);
    }
}

void Session::onMessage(const WebSocketReader::Message& message)
{
    using Opcode = WebSocketFrame::Opcode;
    m_lastSeenMs = QDateTime::currentMSecsSinceEpoch();
    switch (message.opcode) {
    case Opcode::Text:
        onTextMessage(message.payload);
        break;
    case Opcode::Binary:
        onBinaryMessage(message.payload);
        break;
    case Opcode::Ping:
        if (!m_closeSent)
            queueFrame(WebSocketFrame::encode(Opcode::Pong, message.payload));
        break;
    case Opcode::Pong:
        break;
    case Opcode::Close:
        onCloseFrame(message.payload);
        break;
    case Opcode::Continuation:
        break; // the reader joins continuations into their message
    }
}

// RFC 6455 §5.5.1: a close frame is answered with one, and then the server ends the TCP
// connection; when it answers ours, the handshake is complete.
void Session::onCloseFrame(const QByteArray& payload)
{
    m_closeReceived = true;
    const auto close = WebSocketReader::parseClose(payload);
    if (!m_closing) {
        m_closing = true;
        leaveHub();
    }
    if (const auto* failure = std::get_if<WebSocketReader::Failure>(&close)) {
        sendClose(failure->code, failure->reason);
    } else {
        const quint16 code = std::get<WebSocketReader::Close>(close).code;
        sendClose(code == 1005 ? quint16(CloseCode::Normal) : code, QString());
    }
    if (m_transport)
        m_transport->disconnectFromHost();
}

void Session::onTextMessage(const QByteArray& utf8)
{
    ++m_messagesIn;
    m_bytesIn += quint64(utf8.size());
    ++m_context.metrics.messagesIn;
    m_context.metrics.bytesIn += quint64(utf8.size());
    m_changed = true;
    if (m_closing)
        return;
    m_context.dispatcher.dispatch(*this, utf8);
}

void Session::onBinaryMessage(const QByteArray& message)
{
    ++m_messagesIn;
    m_bytesIn += quint64(message.size());
    ++m_context.metrics.messagesIn;
    m_context.metrics.bytesIn += quint64(message.size());
    m_changed = true;
    if (m_closing)
        return;
    sendText(m_dialect->encodeError(
        {}, Error{ErrorCode::InvalidMessage, QStringLiteral("binary frames are not supported; "
                                                            "send JSON as text")}));
}

void Session::onDisconnected()
{
    if (!m_closing) {
        m_closing = true;
        leaveHub();
    }
    m_pending.clear();
    emit closed(this);
}

void Session::checkKeepAlive(qint64 nowMs, qint64 pingIntervalMs, qint64 pingTimeoutMs,
                             qint64 authenticateWithinMs)
{
    if (m_closing)
        return;
    if (authenticateWithinMs > 0 && !m_identity.isAuthenticated() &&
        nowMs - m_since.toMSecsSinceEpoch() > authenticateWithinMs) {
        close(CloseCode::Policy, QStringLiteral("not authenticated within %1 s")
                                     .arg(double(authenticateWithinMs) / 1000.0));
        return;
    }
    QByteArray heartbeat;
    if (const auto keepAlive = m_dialect->keepAlive()) {
        pingIntervalMs = keepAlive->interval.count();
        pingTimeoutMs = keepAlive->timeout.count();
        heartbeat = m_dialect->heartbeatMessage();
    }
    if (nowMs - m_lastSeenMs > pingTimeoutMs) {
        close(CloseCode::GoingAway,
              QStringLiteral("no pong within %1 s").arg(pingTimeoutMs / 1000.0));
        return;
    }
    if (nowMs - m_lastPingMs >= pingIntervalMs) {
        m_lastPingMs = nowMs;
        // A JSON heartbeat for the document's clients, and a WebSocket ping that any
        // client's library answers, so that a quiet but healthy client is never dropped.
        if (!heartbeat.isEmpty())
            sendText(heartbeat);
        queueFrame(WebSocketFrame::encode(WebSocketFrame::Opcode::Ping, {}));
    }
}

ConnectionInfo Session::info() const
{
    ConnectionInfo info;
    info.id = m_id;
    info.user = m_identity.subject;
    info.role = roleName(m_identity.role);
    info.tenant = m_identity.tenant;
    info.remoteAddress = m_remoteAddress;
    info.endpoint = m_endpoint;
    info.since = m_since;
    info.messagesIn = m_messagesIn;
    info.messagesOut = m_messagesOut;
    info.bytesIn = m_bytesIn;
    info.bytesOut = m_bytesOut;
    info.topics = m_topics;
    return info;
}

bool Session::takeChanged()
{
    const bool changed = m_changed;
    m_changed = false;
    return changed;
}

} // namespace switchboard
