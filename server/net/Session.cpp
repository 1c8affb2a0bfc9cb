#include "Session.h"

#include "../config/HubConfig.h"
#include "../handlers/MessageDispatcher.h"
#include "../hub/Hub.h"
#include "../hub/Subscribers.h"
#include "../protocol/dialects/Dialect.h"
#include "../wire/WebSocketFrame.h"
#include "SessionContext.h"
#include "TlsSocket.h"

#include <QDateTime>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <climits>
#include <sys/socket.h>
#include <sys/uio.h>

namespace switchboard {

namespace {

// Time a closing client gets to answer our close frame before the socket is aborted.
constexpr int closeGraceMs = 2000;
// A pass's frames for one client go to the kernel in as few calls as the system allows
// (IOV_MAX, 1024 on Linux). Fewer, larger sends mean fewer segments for the client's side of
// the kernel to take in, and that, not the system call, is most of a large fan-out's cost: at
// 64 frames per call S2 reached 9.25-10 M deliveries/s, at 1024 11.5-14 M with less CPU
// (docs/performance.md, *One system call per client and pass*).
constexpr int maxIoVectors = IOV_MAX;
// A read at least this large is a busy sender's batch (a publisher's): see readBatch().
constexpr qint64 batchReadBytes = 2048;

// The two kinds of frame list writeToKernel() writes: the outbox's (held by the write queue
// for the pass) and the kept ones (references of the session's own).
const QByteArray& bytesOf(const QByteArray& frame)
{
    return frame;
}

const QByteArray& bytesOf(WriteQueue::Frame frame)
{
    return frame.bytes();
}

// A pass's frames as one plain text (in a buffer of the calling thread's when there are
// several), so that an encrypted pass becomes as few TLS records (of up to 16 KiB) as it
// fills, not one per frame.
QByteArrayView plainTextOf(const std::vector<WriteQueue::Frame>& frames)
{
    if (frames.size() == 1)
        return frames.front().bytes();
    thread_local std::vector<char> joined;
    joined.clear();
    for (WriteQueue::Frame frame : frames)
        joined.insert(joined.end(), frame.bytes().cbegin(), frame.bytes().cend());
    return QByteArrayView(joined.data(), qsizetype(joined.size()));
}

} // namespace

// Frames the kernel did not take when they were written (its buffer for this socket was full),
// oldest first, from `head` on: references to the bytes the outbox pointed at, so a client
// that reads slowly costs a reference per frame, not a copy. Later frames wait behind them,
// and the write notifier brings the session back to the writer when the kernel has room. Made
// the first time the kernel refuses a session something, so a connection that keeps up never
// pays for it.
struct Session::Unsent {
    Unsent(qintptr descriptor, Session* session)
        : writable(descriptor, QSocketNotifier::Write)
    {
        writable.setEnabled(false);
        QObject::connect(&writable, &QSocketNotifier::activated, session, &Session::onWritable);
    }
    bool isEmpty() const { return head == frames.size(); }
    void clear()
    {
        frames.clear();
        head = 0;
        offset = 0;
        bytes = 0;
    }

    std::vector<QByteArray> frames;
    std::size_t head = 0;
    qsizetype offset = 0; // bytes of frames[head] already written
    qint64 bytes = 0;     // of frames from head on, less offset
    QSocketNotifier writable;
};

Session::Session(QString id, QTcpSocket* transport, const QByteArray& handshakeResponse,
                 const Dialect& dialect, Identity identity, QString endpoint, QString remoteAddress,
                 SessionContext& context, QObject* parent)
    : QObject(parent)
    , m_context(context)
    , m_dialect(dialect)
    , m_subscriber({std::move(id), &dialect, std::move(identity), std::move(endpoint),
                    std::move(remoteAddress), context.config.outboundBufferCap},
                   *this, context.writeQueue, context.metrics)
    , m_transport(transport)
    , m_reader(context.config.maxMessageBytes)
{
    m_tls = qobject_cast<TlsSocket*>(transport);
    if (!m_tls)
        m_directDescriptor = int(transport->socketDescriptor());
    // Bytes already in the socket's buffer keep the connection on Qt's write path, behind them
    // (a TlsSocket's queue is asked on every pass instead: canWriteDirectly()).
    m_qtWrites = !m_tls && transport->bytesToWrite() > 0;

    m_lastSeenMs = QDateTime::currentMSecsSinceEpoch();
    m_lastPingMs = m_lastSeenMs;
    m_subscriber.setBacklogBytes(transport->bytesToWrite());
    // Leaves with the pass's flush, together with the dialect's greeting that open() queues:
    // one system call and one wake-up of the client instead of two.
    m_subscriber.queue(handshakeResponse);
    m_context.subscribers.add(&m_subscriber);
    m_registered = true;
    connect(transport, &QTcpSocket::readyRead, this, &Session::onReadyRead);
    connect(transport, &QTcpSocket::disconnected, this, &Session::onDisconnected);
    if (m_tls) {
        // The kernel took some of the ciphertext the socket kept: a smaller backlog.
        connect(m_tls, &TlsSocket::cipherTextSent, this,
                [this] { m_subscriber.setBacklogBytes(m_tls->bytesToWrite()); });
    }
    // Frames that came with the handshake are read after the dialect's greeting.
    if (transport->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &Session::onReadyRead, Qt::QueuedConnection);
}

Session::~Session()
{
    // Torn down with the listener while still open (the hub is stopping): the hub must not
    // keep pointers to this subscriber.
    leaveHub();
    if (m_registered)
        m_context.subscribers.remove(&m_subscriber);
    // The listener's accounting of open connections ends when this socket is destroyed.
    if (m_transport)
        m_transport->deleteLater();
}

Session& Session::of(Subscriber& subscriber)
{
    return static_cast<Session&>(subscriber.transport());
}

void Session::open()
{
    m_context.dispatcher.opened(m_subscriber, m_dialect);
}

void Session::flushNow()
{
    if (beginFlush()) {
        writeToKernel();
        endFlush();
    }
}

qint64 Session::backlogBytes() const
{
    return (m_unsent ? m_unsent->bytes : 0) + (m_transport ? m_transport->bytesToWrite() : 0);
}

bool Session::hasUnsent() const
{
    return m_unsent && !m_unsent->isEmpty();
}

bool Session::beginFlush()
{
    Subscriber::Outbox& outbox = m_subscriber.outbox();
    const bool unsent = hasUnsent();
    if (!m_transport) {
        m_subscriber.clearOutbox(); // the connection is gone
        return false;
    }
    if (outbox.frames.empty() && !unsent)
        return false;
    if (m_tls) {
        if (!m_qtWrites && m_tls->canWriteDirectly())
            return true;
        writeToQt(); // behind ciphertext the kernel did not take, or the connection is ending
        return false;
    }
    if (m_qtWrites) {
        writeToQt();
        return false;
    }
    m_writtenFrames = 0;
    m_writtenOffset = 0;
    m_writtenBytes = 0;
    m_writeFailed = false;
    if (!unsent)
        return true;
    // New frames queue behind the ones the kernel has not taken yet, and are written with
    // them once it has room.
    keepUnsent(0, 0, 0);
    return !m_unsent->writable.isEnabled();
}

// Writes the queued frames with one gathering system call per batch, straight from the
// shared frame buffers. Qt's own write path would copy every frame into the socket's buffer
// and take a round trip through the write notifier per socket and pass, which measured at
// about 40% of a delivery's cost. What the kernel does not take, endFlush() keeps.
void Session::writeToKernel()
{
    if (m_tls)
        encryptToKernel();
    else if (hasUnsent())
        writeFrames(m_unsent->frames, m_unsent->head, m_unsent->offset);
    else
        writeFrames(m_subscriber.outbox().frames, 0, 0);
}

// `offset`: bytes of frames[index] already written.
template <typename Frames>
void Session::writeFrames(const Frames& frames, std::size_t index, qsizetype offset)
{
    while (index < frames.size()) {
        iovec vectors[maxIoVectors];
        int count = 0;
        std::size_t batchBytes = 0;
        for (std::size_t k = index; k < frames.size() && count < maxIoVectors; ++k, ++count) {
            const QByteArray& frame = bytesOf(frames[k]);
            const qsizetype skip = k == index ? offset : 0;
            vectors[count].iov_base = const_cast<char*>(frame.constData() + skip);
            vectors[count].iov_len = std::size_t(frame.size() - skip);
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
        m_writtenBytes += written;
        std::size_t left = std::size_t(written);
        while (left > 0) {
            const std::size_t available = std::size_t(bytesOf(frames[index]).size() - offset);
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

// An encrypted connection's pass, encrypted here on a writer thread and sent at once. What the
// kernel does not take waits in the TlsSocket, already encrypted.
void Session::encryptToKernel()
{
    m_tls->writeDirectly(plainTextOf(m_subscriber.outbox().frames));
}

void Session::endFlush()
{
    if (m_tls) {
        m_tls->endDirectWrite();
        m_subscriber.clearOutbox();
        m_subscriber.setBacklogBytes(m_tls->bytesToWrite());
        return;
    }
    if (m_writeFailed) {
        if (m_unsent)
            m_unsent->clear();
        m_subscriber.setBacklogBytes(0);
        m_subscriber.clearOutbox();
        return;
    }
    if (hasUnsent()) {
        Unsent& unsent = *m_unsent;
        unsent.bytes -= m_writtenBytes;
        unsent.head = m_writtenFrames;
        unsent.offset = m_writtenOffset;
        if (unsent.isEmpty()) {
            Q_ASSERT(unsent.bytes == 0);
            unsent.clear();
        } else if (unsent.head > unsent.frames.size() / 2) {
            // Written frames are dropped from the front now and then, not on every write.
            unsent.frames.erase(unsent.frames.begin(),
                                unsent.frames.begin() + qsizetype(unsent.head));
            unsent.head = 0;
        }
    } else {
        keepUnsent(m_writtenFrames, m_writtenOffset, m_writtenBytes);
    }
    m_subscriber.clearOutbox();
    m_subscriber.setBacklogBytes(m_unsent ? m_unsent->bytes : 0);
    if (hasUnsent())
        m_unsent->writable.setEnabled(true);
}

void Session::keepUnsent(std::size_t first, qsizetype offset, qint64 written)
{
    Subscriber::Outbox& outbox = m_subscriber.outbox();
    if (first >= outbox.frames.size())
        return;
    if (!m_unsent)
        m_unsent = std::make_unique<Unsent>(m_directDescriptor, this);
    Unsent& unsent = *m_unsent;
    if (unsent.isEmpty()) {
        unsent.clear();
        unsent.offset = offset;
    } else {
        Q_ASSERT(written == 0);
    }
    unsent.bytes += outbox.bytes - written;
    for (std::size_t k = first; k < outbox.frames.size(); ++k)
        unsent.frames.push_back(outbox.frames[k].bytes());
    m_subscriber.clearOutbox();
    m_subscriber.setBacklogBytes(unsent.bytes);
}

// The kernel has room again: the kept frames, and whatever queued behind them, are written in
// the writer's next pass, together with every other session's.
void Session::onWritable()
{
    m_unsent->writable.setEnabled(false);
    m_subscriber.requestWritePass();
}

// Hands the outbox to the socket's buffer, which writes it when the connection is writable;
// later frames follow it. For the kept frames and the last ones of a connection being shut
// down, and for an encrypted connection whose socket still holds ciphertext.
void Session::writeToQt()
{
    Subscriber::Outbox& outbox = m_subscriber.outbox();
    if (m_tls) {
        if (!outbox.frames.empty()) {
            const QByteArrayView plainText = plainTextOf(outbox.frames);
            m_tls->write(plainText.data(), plainText.size());
        }
        m_subscriber.clearOutbox();
        m_subscriber.setBacklogBytes(m_tls->bytesToWrite());
        return;
    }
    if (m_unsent) {
        m_unsent->writable.setEnabled(false); // Qt's own write notifier takes over
        if (!m_unsent->isEmpty()) {
            const QByteArray& partial = m_unsent->frames[m_unsent->head];
            m_transport->write(partial.constData() + m_unsent->offset,
                               partial.size() - m_unsent->offset);
            for (std::size_t k = m_unsent->head + 1; k < m_unsent->frames.size(); ++k)
                m_transport->write(m_unsent->frames[k]);
        }
        m_unsent->clear();
    }
    for (WriteQueue::Frame frame : outbox.frames)
        m_transport->write(frame.bytes());
    m_subscriber.clearOutbox();
    m_subscriber.setBacklogBytes(m_transport->bytesToWrite());
}

void Session::disconnectWhenSent()
{
    if (!m_transport)
        return;
    m_qtWrites = true;
    writeToQt();
    m_transport->disconnectFromHost();
}

void Session::closeSoon(quint16 code, const QString& reason)
{
    QMetaObject::invokeMethod(
        this, [this, code, reason] { close(code, reason); }, Qt::QueuedConnection);
}

void Session::close(quint16 code, const QString& reason)
{
    if (m_closing)
        return;
    flushNow(); // what was queued goes out before the close frame
    m_closing = true;
    m_subscriber.markClosing();
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
    m_subscriber.noteCloseSent(code, reason);
    m_subscriber.queue(WebSocketFrame::close(code, reason));
    flushNow();
}

void Session::leaveHub()
{
    if (m_leftHub)
        return;
    m_leftHub = true;
    m_context.dispatcher.closed(m_subscriber, m_dialect);
    m_context.hub.unsubscribeAll(m_subscriber);
}

void Session::onReadyRead()
{
    if (!m_transport)
        return;
    if (m_readFailed) {
        m_transport->readAll(); // the stream is broken; the close is under way
        return;
    }
    std::vector<WebSocketReader::Message> messages;
    std::optional<WebSocketReader::Failure> failure;
    const qint64 available = m_transport->bytesAvailable();
    if (m_inbound.isEmpty() && available >= batchReadBytes) {
        failure = readBatch(available, messages);
    } else {
        // What arrived, as Qt's own read block when it holds nothing else (read() then hands
        // the block over instead of copying it), released below once its frames are read: an
        // idle connection keeps no read buffer, neither Qt's 16 KiB block nor readAll()'s
        // larger one.
        QByteArray fresh = m_transport->read(available);
        if (m_inbound.isEmpty())
            m_inbound = std::move(fresh);
        else
            m_inbound.append(fresh);
        failure = m_reader.read(m_inbound, messages);
        if (m_inbound.isEmpty())
            m_inbound = QByteArray();
    }
    for (const WebSocketReader::Message& message : messages) {
        if (m_closeReceived || !m_transport)
            return;
        onMessage(message);
    }
    if (failure) {
        m_readFailed = true;
        m_inbound.clear();
        close(failure->code, failure->reason);
        // RFC 6455 §7.1.7: failing the connection ends it once our close frame is out; the
        // client's reply is not waited for (nothing more is read), so neither is the grace.
        disconnectWhenSent();
    }
}

// A busy sender's batch is read into one buffer that the thread's sessions share and keep,
// so that Qt keeps its read block for the socket's next read: handing the block over, as
// onReadyRead() does for small reads, makes Qt allocate a new 16 KiB block per read, and
// each such allocation makes the allocator merge its free lists (under S4, 6.5 % of the
// server's samples were that merging, half of it for Qt's next block). Only an incomplete
// frame at the batch's end is copied into the session.
std::optional<WebSocketReader::Failure>
Session::readBatch(qint64 available, std::vector<WebSocketReader::Message>& messages)
{
    thread_local std::vector<char> shared;
    if (shared.size() < std::size_t(available))
        shared.resize(std::size_t(available));
    const qint64 read = qMax(m_transport->read(shared.data(), available), qint64(0));
    QByteArray batch = QByteArray::fromRawData(shared.data(), qsizetype(read));
    std::optional<WebSocketReader::Failure> failure = m_reader.read(batch, messages);
    if (!batch.isEmpty())
        m_inbound = QByteArray(batch.constData(), batch.size()); // never a view of `shared`
    return failure;
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
            m_subscriber.queue(WebSocketFrame::encode(Opcode::Pong, message.payload));
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
        m_subscriber.markClosing();
        leaveHub();
    }
    if (const auto* failure = std::get_if<WebSocketReader::Failure>(&close)) {
        sendClose(failure->code, failure->reason);
    } else {
        const quint16 code = std::get<WebSocketReader::Close>(close).code;
        sendClose(code == 1005 ? quint16(CloseCode::Normal) : code, QString());
    }
    disconnectWhenSent();
}

void Session::onTextMessage(const QByteArray& utf8)
{
    m_subscriber.noteReceived(utf8.size());
    if (m_closing)
        return;
    m_context.dispatcher.dispatch(m_subscriber, m_dialect, utf8);
}

void Session::onBinaryMessage(const QByteArray& message)
{
    m_subscriber.noteReceived(message.size());
    if (m_closing)
        return;
    m_subscriber.sendText(m_dialect.encodeError(
        {}, Error{ErrorCode::InvalidMessage, QStringLiteral("binary frames are not supported; "
                                                            "send JSON as text")}));
}

void Session::onDisconnected()
{
    if (!m_closing) {
        m_closing = true;
        m_subscriber.markClosing();
    }
    leaveHub();
    m_subscriber.clearOutbox();
    if (m_unsent) {
        m_unsent->writable.setEnabled(false);
        m_unsent->clear();
    }
    if (m_registered) {
        m_registered = false;
        m_context.subscribers.remove(&m_subscriber);
    }
    deleteLater();
}

void Session::checkKeepAlive(qint64 nowMs, qint64 pingIntervalMs, qint64 pingTimeoutMs,
                             qint64 authenticateWithinMs)
{
    if (m_closing)
        return;
    if (authenticateWithinMs > 0 && !m_subscriber.identity().isAuthenticated() &&
        nowMs - m_subscriber.since().toMSecsSinceEpoch() > authenticateWithinMs) {
        close(CloseCode::Policy, QStringLiteral("not authenticated within %1 s")
                                     .arg(double(authenticateWithinMs) / 1000.0));
        return;
    }
    QByteArray heartbeat;
    if (const auto keepAlive = m_dialect.keepAlive()) {
        pingIntervalMs = keepAlive->interval.count();
        pingTimeoutMs = keepAlive->timeout.count();
        heartbeat = m_dialect.heartbeatMessage();
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
            m_subscriber.sendText(heartbeat);
        m_subscriber.queue(WebSocketFrame::encode(WebSocketFrame::Opcode::Ping, {}));
    }
}

} // namespace switchboard
