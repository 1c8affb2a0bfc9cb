#pragma once

// One client as the hub sees it: who it is, how it reads events (its encoder), the topics it
// is subscribed to, what it has been sent, and the frames waiting for its transport, capped so
// that a client that stops reading is cut off (1013) instead of growing memory. It knows no
// socket: net/Session owns one and drains its outbox to the kernel; a test holds one in
// memory and reads the outbox itself. Delivery (sendFrame) is inline and makes no virtual
// call; the transport is called only to close, to write early when a burst piles up, and to
// recount its backlog when the cap is near.

#include "../auth/Identity.h"
#include "HubMetrics.h"
#include "WriteQueue.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <vector>

namespace switchboard {

class EventEncoder;
class Hub;

// What a subscriber asks of whatever carries its frames.
class SubscriberTransport {
public:
    // Sends what is queued, then a close frame with `code`, and ends the connection.
    virtual void close(quint16 code, const QString& reason) = 0;
    // The same, on the next pass of the event loop: for a subscriber cut off in the middle of
    // a fan-out over its topic's subscribers, whose list must not change under the loop.
    virtual void closeSoon(quint16 code, const QString& reason) = 0;
    // Writes the queued frames now, before the writer's pass.
    virtual void flushNow() = 0;
    // Bytes the transport took from the outbox that the kernel has not taken yet.
    virtual qint64 backlogBytes() const = 0;

protected:
    ~SubscriberTransport() = default;
};

class Subscriber {
public:
    struct Setup {
        QString id;
        const EventEncoder* encoder = nullptr;
        Identity identity;
        QString endpoint;      // the path it connected to, parameters filled in
        QString remoteAddress; // "a.b.c.d:port"
        qint64 outboundCap = 4 * 1024 * 1024;
    };
    struct Counters {
        quint64 messagesIn = 0;
        quint64 messagesOut = 0;
        quint64 bytesIn = 0;
        quint64 bytesOut = 0;
    };
    // The frames waiting for the transport, oldest first: frames the write queue holds for the
    // pass (shared bytes, not even a reference each). A transport that keeps any beyond the
    // pass takes references to them.
    struct Outbox {
        std::vector<WriteQueue::Frame> frames;
        qint64 bytes = 0;
    };

    Subscriber(Setup setup, SubscriberTransport& transport, WriteQueue& queue, HubMetrics& metrics);
    ~Subscriber();
    Subscriber(const Subscriber&) = delete;
    Subscriber& operator=(const Subscriber&) = delete;

    const QString& id() const { return m_id; }
    const EventEncoder& encoder() const { return *m_encoder; }
    const Identity& identity() const { return m_identity; }
    void setIdentity(Identity identity);
    const QString& endpoint() const { return m_endpoint; }
    const QString& remoteAddress() const { return m_remoteAddress; }
    const QDateTime& since() const { return m_since; }
    qint64 outboundCap() const { return m_outboundCap; }

    // Kept by the Hub as it subscribes and unsubscribes.
    const QStringList& topics() const { return m_topics; }
    bool isSubscribed(const QString& topic) const { return m_topics.contains(topic); }

    // Queues one encoded message frame. False when the subscriber no longer takes data
    // (closing, or just cut off for exceeding its outbound cap).
    bool sendFrame(const QByteArray& frame) { return sendFrame(m_writeQueue.hold(frame)); }
    // The same for a frame already held for the pass: the fan-out holds each event's frame
    // once and hands it to every subscriber of the group.
    bool sendFrame(WriteQueue::Frame frame);
    // Frames and queues one JSON text message.
    void sendText(QByteArray json);
    // Queues transport bytes that are not a message (the handshake answer, control frames),
    // also while closing; they do not count as sent messages.
    void queue(const QByteArray& bytes);

    void close(quint16 code, const QString& reason) { m_transport.close(code, reason); }
    SubscriberTransport& transport() const { return m_transport; }
    // False once the subscriber is closing or was cut off: nothing more is sent to it.
    bool isOpen() const { return m_state == State::Open; }
    void markClosing() { m_state = m_state == State::Open ? State::Closing : m_state; }
    // The close frame's code and reason, once one was sent (1006 until then).
    quint16 closeCode() const { return m_closeCode; }
    const QString& closeReason() const { return m_closeReason; }
    void noteCloseSent(quint16 code, const QString& reason);

    // For the transport: the queued frames, the bytes it still holds of them, and the end
    // of a write pass.
    Outbox& outbox() { return m_outbox; }
    const Outbox& outbox() const { return m_outbox; }
    void clearOutbox();
    void setBacklogBytes(qint64 bytes) { m_backlogBytes = bytes; }
    qint64 backlogBytes() const { return m_backlogBytes; }
    bool isQueuedForWriting() const { return m_queued; }
    void noteWritePass() { m_queued = false; }
    // Brings the subscriber to the writer's next pass without a new frame: for a transport
    // whose connection has room again for frames it kept.
    void requestWritePass() { queueForWriting(); }

    void noteReceived(qsizetype bytes);
    const Counters& counters() const { return m_counters; }
    // True when counters or subscriptions changed since the last call.
    bool takeChanged();

private:
    friend class Hub;
    enum class State { Open, Closing, Cut };

    void queueForWriting()
    {
        if (!m_queued) {
            m_queued = true;
            m_writeQueue.add(this);
        }
    }
    bool overflow();

    // What a delivery touches, first and together (two cache lines rather than three spread
    // over the object): with a thousand subscribers per event these are cache misses.
    State m_state = State::Open;
    bool m_queued = false;
    bool m_changed = true;
    quint16 m_closeCode = 1006; // not hot, but fills the gap before the outbox
    Outbox m_outbox;
    qint64 m_backlogBytes = 0; // the transport's, when last asked (zero stays zero)
    qint64 m_outboundCap;
    Counters m_counters;
    HubMetrics& m_metrics;
    WriteQueue& m_writeQueue;
    SubscriberTransport& m_transport;

    QString m_id;
    const EventEncoder* m_encoder;
    Identity m_identity;
    QString m_endpoint;
    QString m_remoteAddress;
    QDateTime m_since;
    QStringList m_topics;
    QString m_closeReason;
};

// A burst of publishes handled in one pass is written out early once this much is queued, so
// the outbound cap measures what the client has not read, not the size of the burst.
inline constexpr qint64 earlyFlushBytes = 256 * 1024;

inline bool Subscriber::sendFrame(WriteQueue::Frame frame)
{
    if (m_state != State::Open)
        return false;
    const qsizetype size = frame.bytes().size();
    m_outbox.frames.push_back(frame);
    m_outbox.bytes += size;
    queueForWriting();
    ++m_counters.messagesOut;
    m_counters.bytesOut += quint64(size);
    ++m_metrics.messagesOut;
    m_metrics.bytesOut += quint64(size);
    m_changed = true;
    if (m_outbox.bytes >= earlyFlushBytes)
        m_transport.flushNow();
    if (m_outbox.bytes + m_backlogBytes > m_outboundCap)
        return overflow();
    return true;
}

} // namespace switchboard
