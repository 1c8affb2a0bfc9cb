#pragma once

// One WebSocket client: its dialect, identity, subscriptions, counters and outbound queue.
// Inbound frames are read from the upgraded socket by a WebSocketReader; outbound frames are
// pre-encoded by the hub and written here, batched per event-loop pass, and capped so a
// client that stops reading is cut off (1013) instead of growing memory.

#include "../auth/Identity.h"
#include "../monitor/HubSnapshot.h"
#include "WebSocketReader.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>
#include <vector>

class QTcpSocket;

namespace switchboard {

class Dialect;
struct SessionContext;

class Session : public QObject {
    Q_OBJECT

public:
    // Takes over `transport`, whose upgrade request has been read, and answers it with
    // `handshakeResponse`.
    Session(QString id, QTcpSocket* transport, const QByteArray& handshakeResponse,
            const Dialect* dialect, Identity identity, QString endpoint, SessionContext& context,
            QObject* parent = nullptr);
    ~Session() override;

    const QString& id() const { return m_id; }
    const Dialect* dialect() const { return m_dialect; }
    const Identity& identity() const { return m_identity; }
    void setIdentity(Identity identity);
    const QString& endpoint() const { return m_endpoint; }
    const QString& remoteAddress() const { return m_remoteAddress; } // "a.b.c.d:port"
    bool isClosing() const { return m_closing; }
    // The code and reason of the close frame the hub sent (its echo of the client's, when the
    // client closed first); 1006 while none has been sent.
    quint16 closeCode() const { return m_closeCode; }
    const QString& closeReason() const { return m_closeReason; }

    // Topic bookkeeping (the Hub keeps the subscriber lists).
    const QStringList& topics() const { return m_topics; }
    bool isSubscribed(const QString& topic) const { return m_topics.contains(topic); }
    void noteSubscribed(const QString& topic);
    void noteUnsubscribed(const QString& topic);

    // Queues a complete, encoded frame. Returns false when the session no longer accepts
    // data (closing, or just cut off for exceeding its outbound cap).
    bool sendFrame(const QByteArray& frame);
    // Frames and queues one JSON text message.
    void sendText(const QByteArray& json);
    // Writes the queued frames now, on the hub thread.
    void flush();

    // The WriteScheduler takes the session off its list before flushing it.
    void clearScheduled() { m_scheduled = false; }
    // The WriteScheduler's three steps, which let the kernel writes of many sessions run on
    // several threads (FanoutPool):
    // 1. hub thread: true when the queued frames can go straight to the socket descriptor;
    //    otherwise the frames have been handed to Qt already.
    bool beginFlush();
    // 2. any thread: writes what the kernel takes; touches only the queue (read-only) and
    //    the write result.
    void writeToKernel();
    // 3. hub thread: hands what the kernel did not take to Qt, clears the queue.
    void endFlush();

    void close(quint16 code, const QString& reason);

    // Keep-alive: pings when due, drops the client when it has been silent too long, and
    // (when `authenticateWithinMs` > 0) closes an anonymous connection with 1008 once that
    // long has passed since it opened.
    void checkKeepAlive(qint64 nowMs, qint64 pingIntervalMs, qint64 pingTimeoutMs,
                        qint64 authenticateWithinMs);

    ConnectionInfo info() const;
    // True when counters or subscriptions changed since the last call.
    bool takeChanged();

signals:
    void closed(switchboard::Session* session);

private:
    void onReadyRead();
    void onMessage(const WebSocketReader::Message& message);
    void onCloseFrame(const QByteArray& payload);
    void onTextMessage(const QByteArray& utf8);
    void onBinaryMessage(const QByteArray& message);
    void onDisconnected();
    // Queues bytes for the socket without counting them as a message (handshake, control).
    void queueFrame(const QByteArray& frame);
    void sendClose(quint16 code, const QString& reason);
    // Ends the session's part in the hub: its dialect's goodbye, then its subscriptions.
    void leaveHub();
    void writeToQt(std::size_t firstFrame, qsizetype offset);
    void cutSlowConsumer();

    QString m_id;
    QPointer<QTcpSocket> m_transport;
    int m_directDescriptor = -1; // plain TCP: frames go straight to the kernel
    const Dialect* m_dialect;
    Identity m_identity;
    QString m_endpoint;
    QString m_remoteAddress; // "a.b.c.d:port", for the console and stats
    SessionContext& m_context;
    QDateTime m_since;
    QStringList m_topics;

    WebSocketReader m_reader;
    QByteArray m_inbound; // bytes of a frame not complete yet

    std::vector<QByteArray> m_pending;
    qint64 m_pendingBytes = 0;
    qint64 m_qtBufferedBytes = 0; // Qt's unsent bytes when last asked (zero stays zero)
    // Result of writeToKernel(): the first frame not fully written, and how much of it was.
    std::size_t m_writtenFrames = 0;
    qsizetype m_writtenOffset = 0;
    bool m_writeFailed = false;
    bool m_scheduled = false;
    bool m_closing = false;
    bool m_cut = false; // over the outbound cap; closes on the next pass
    bool m_closeSent = false;
    quint16 m_closeCode = 1006;
    QString m_closeReason;
    bool m_closeReceived = false;
    bool m_readFailed = false; // a protocol violation: nothing more is read
    bool m_changed = true;

    qint64 m_lastSeenMs = 0;
    qint64 m_lastPingMs = 0;
    quint64 m_messagesIn = 0;
    quint64 m_messagesOut = 0;
    quint64 m_bytesIn = 0;
    quint64 m_bytesOut = 0;
};

} // namespace switchboard
