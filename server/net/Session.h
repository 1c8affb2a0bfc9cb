#pragma once

// One WebSocket connection: the transport of one Subscriber. It reads the client's frames
// (WebSocketReader), hands its text messages to the dispatcher, answers pings and the close
// handshake, keeps the connection alive, and drains the subscriber's outbox to the kernel:
// straight from the shared frame buffers with one gathering system call per batch, spread over
// the FanoutPool's threads by the WriteScheduler; an encrypted connection's pass is encrypted
// on those threads too (TlsSocket). What the kernel does not take waits in the session, still
// as shared frames, until the descriptor is writable again (for an encrypted connection, as
// ciphertext in its TlsSocket); the last bytes of a connection that is being shut down go
// through the socket's own buffer instead. It registers its subscriber with the hub's Subscribers
// while it is open and deletes itself once the connection is gone.

#include "../hub/Subscriber.h"
#include "../wire/WebSocketReader.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <memory>

class QTcpSocket;

namespace switchboard {

class Dialect;
class TlsSocket;
struct SessionContext;

class Session final : public QObject, private SubscriberTransport {
    Q_OBJECT

public:
    // Takes over `transport`, whose upgrade request has been read, answers it with
    // `handshakeResponse` and registers its subscriber with the context's Subscribers.
    // `remoteAddress`: the client's, as the connections view shows it (a trusted proxy's
    // client rather than the proxy).
    Session(QString id, QTcpSocket* transport, const QByteArray& handshakeResponse,
            const Dialect& dialect, Identity identity, QString endpoint, QString remoteAddress,
            SessionContext& context, QObject* parent = nullptr);
    ~Session() override;

    Subscriber& subscriber() { return m_subscriber; }
    const Dialect& dialect() const { return m_dialect; }
    // The session behind a subscriber that a Session created (every one in net/'s write
    // queue): how the writer gets from the hub's view of a client back to its socket.
    static Session& of(Subscriber& subscriber);

    // The dialect's welcome and automatic topics; once, right after construction, unless the
    // connection is refused at once (close()).
    void open();
    void close(quint16 code, const QString& reason) override;

    // Keep-alive: pings when due, drops the client when it has been silent too long, and
    // (when `authenticateWithinMs` > 0) closes an anonymous connection with 1008 once that
    // long has passed since it opened.
    void checkKeepAlive(qint64 nowMs, qint64 pingIntervalMs, qint64 pingTimeoutMs,
                        qint64 authenticateWithinMs);

private:
    friend class WriteScheduler;
    friend class FanoutPool;

    // SubscriberTransport
    void closeSoon(quint16 code, const QString& reason) override;
    void flushNow() override;
    qint64 backlogBytes() const override;

    // The writer's three steps, which let the kernel writes of many sessions run on several
    // threads (FanoutPool):
    // 1. hub thread: true when there are frames to write straight to the socket descriptor
    //    now (encrypted on the way for a TlsSocket). Otherwise they wait for the descriptor to
    //    be writable (behind earlier ones the kernel did not take), or went to the socket's
    //    buffer (shutting down, or encrypted behind ciphertext the kernel did not take).
    bool beginFlush();
    // 2. any thread: writes what the kernel takes; touches only the frames to write
    //    (read-only) and the write result (and, encrypted, the TlsSocket's TLS state).
    void writeToKernel();
    void encryptToKernel();
    template <typename Frames>
    void writeFrames(const Frames& frames, std::size_t index, qsizetype offset);
    // 3. hub thread: keeps what the kernel did not take and waits for the descriptor to be
    //    writable; clears the outbox.
    void endFlush();

    void onReadyRead();
    std::optional<WebSocketReader::Failure>
    readBatch(qint64 available, std::vector<WebSocketReader::Message>& messages);
    void onMessage(const WebSocketReader::Message& message);
    void onCloseFrame(const QByteArray& payload);
    void onTextMessage(const QByteArray& utf8);
    void onBinaryMessage(const QByteArray& message);
    void onDisconnected();
    void sendClose(quint16 code, const QString& reason);
    // Ends the subscriber's part in the hub: its dialect's goodbye, then its subscriptions.
    void leaveHub();
    void writeToQt();
    // Moves the outbox's frames from `first` on (less `offset` bytes of it; `written` bytes of
    // the outbox in all were written) behind any the kernel did not take before.
    void keepUnsent(std::size_t first, qsizetype offset, qint64 written);
    void onWritable();
    bool hasUnsent() const;
    // Ends the connection once everything queued is sent: kept frames go to the socket's
    // buffer first, which Qt drains before it closes.
    void disconnectWhenSent();

    SessionContext& m_context;
    const Dialect& m_dialect;
    Subscriber m_subscriber;
    QPointer<QTcpSocket> m_transport;
    int m_directDescriptor = -1; // plain TCP: frames go straight to the kernel
    TlsSocket* m_tls = nullptr;  // m_transport, when it is encrypted

    WebSocketReader m_reader;
    QByteArray m_inbound; // bytes of a frame not complete yet

    // Frames the kernel did not take, kept until it has room (see Session.cpp).
    struct Unsent;
    std::unique_ptr<Unsent> m_unsent;

    // Result of writeToKernel() (which writes m_unsent when it holds frames, else the outbox):
    // the first frame not fully written, how much of it was, and the bytes written in all.
    std::size_t m_writtenFrames = 0;
    qsizetype m_writtenOffset = 0;
    qint64 m_writtenBytes = 0;
    bool m_writeFailed = false;
    bool m_qtWrites = false; // everything goes through the socket's buffer now
    bool m_closing = false;  // the close has started (by either side)
    bool m_leftHub = false;
    bool m_closeSent = false;
    bool m_closeReceived = false;
    bool m_readFailed = false; // a protocol violation: nothing more is read
    bool m_registered = false; // in the context's Subscribers

    qint64 m_lastSeenMs = 0;
    qint64 m_lastPingMs = 0;
};

} // namespace switchboard
