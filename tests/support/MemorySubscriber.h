#pragma once

// A subscriber held in memory, for tests of the hub, the dialects, the handlers and the
// monitor without a socket or an event loop: a SubscriberTransport that records what it is
// asked (closes, early flushes, backlog queries) and lets the test read what was sent as
// decoded messages. MemoryHub is a Hub with its WriteQueue and HubMetrics, and a writer pass
// that empties the queue the way net/WriteScheduler does.

#include "hub/Hub.h"
#include "hub/HubMetrics.h"
#include "hub/Subscriber.h"
#include "hub/WriteQueue.h"
#include "wire/WebSocketFrame.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QtEndian>

#include <functional>
#include <memory>
#include <vector>

namespace switchboard::test {

// One frame the server wrote: never masked, always final (the hub sends no fragments).
struct ServerFrame {
    WebSocketFrame::Opcode opcode = WebSocketFrame::Opcode::Text;
    QByteArray payload;
};

// Splits server-to-client bytes into their frames (RFC 6455 §5.2: 7-, 16- or 64-bit
// lengths). `ok` becomes false when the bytes end inside a frame or a frame is masked.
inline QList<ServerFrame> serverFrames(const QByteArray& bytes, bool* ok = nullptr)
{
    QList<ServerFrame> frames;
    const auto* data = reinterpret_cast<const uchar*>(bytes.constData());
    const qsizetype size = bytes.size();
    qsizetype at = 0;
    bool complete = true;
    while (at < size) {
        if (size - at < 2 || (data[at + 1] & 0x80) != 0) {
            complete = false;
            break;
        }
        const auto opcode = WebSocketFrame::Opcode(data[at] & 0x0F);
        quint64 length = data[at + 1] & 0x7F;
        qsizetype header = 2;
        if (length == 126) {
            header = 4;
            if (size - at < header) {
                complete = false;
                break;
            }
            length = qFromBigEndian<quint16>(data + at + 2);
        } else if (length == 127) {
            header = 10;
            if (size - at < header) {
                complete = false;
                break;
            }
            length = qFromBigEndian<quint64>(data + at + 2);
        }
        if (quint64(size - at - header) < length) {
            complete = false;
            break;
        }
        frames.append({opcode, bytes.mid(at + header, qsizetype(length))});
        at += header + qsizetype(length);
    }
    if (ok)
        *ok = complete;
    return frames;
}

class MemorySubscriber final : public SubscriberTransport {
public:
    // A close the subscriber asked its transport for; `soon` for closeSoon().
    struct Close {
        quint16 code = 0;
        QString reason;
        bool soon = false;
    };

    MemorySubscriber(Subscriber::Setup setup, WriteQueue& queue, HubMetrics& metrics)
        : m_subscriber(std::move(setup), *this, queue, metrics)
    {}
    MemorySubscriber(const MemorySubscriber&) = delete;
    MemorySubscriber& operator=(const MemorySubscriber&) = delete;

    Subscriber& subscriber() { return m_subscriber; }
    const Subscriber& subscriber() const { return m_subscriber; }
    Subscriber* operator->() { return &m_subscriber; }

    // SubscriberTransport. close() does what a socket transport does to the subscriber (it
    // stops taking data and knows its close frame), then runs `onClose`.
    void close(quint16 code, const QString& reason) override
    {
        m_closes.append({code, reason, false});
        m_subscriber.markClosing();
        m_subscriber.noteCloseSent(code, reason);
        if (m_onClose)
            m_onClose(code, reason);
    }
    void closeSoon(quint16 code, const QString& reason) override
    {
        m_closes.append({code, reason, true});
    }
    void flushNow() override
    {
        ++m_flushes;
        if (m_drainOnFlush)
            drain();
    }
    qint64 backlogBytes() const override
    {
        ++m_backlogQueries;
        return m_backlog;
    }

    // What the transport is asked to do when the subscriber closes it (the handler fixture
    // leaves the hub there, as net/Session does).
    void setOnClose(std::function<void(quint16, const QString&)> onClose)
    {
        m_onClose = std::move(onClose);
    }
    // What the pretend kernel has not taken yet (backlogBytes()).
    void setBacklog(qint64 bytes) { m_backlog = bytes; }
    // Whether flushNow() takes the outbox, as a socket whose kernel buffer has room does.
    void setDrainOnFlush(bool drain) { m_drainOnFlush = drain; }

    const QList<Close>& closes() const { return m_closes; }
    int flushes() const { return m_flushes; }
    int backlogQueries() const { return m_backlogQueries; }

    // Moves the outbox to what was written, as a writer's pass does.
    void drain()
    {
        for (WriteQueue::Frame frame : m_subscriber.outbox().frames)
            m_written.append(frame.bytes());
        m_subscriber.clearOutbox();
    }
    // What a socket whose kernel takes nothing does in a writer's pass: keeps the outbox
    // (references to its frames), and reports it as its backlog.
    void keepOutbox()
    {
        for (WriteQueue::Frame frame : m_subscriber.outbox().frames)
            m_kept.push_back(frame.bytes());
        m_backlog += m_subscriber.outbox().bytes;
        m_subscriber.clearOutbox();
        m_subscriber.setBacklogBytes(m_backlog);
    }
    // Forgets everything sent: what was written, kept and what is in the outbox.
    void clear()
    {
        m_written.clear();
        m_kept.clear();
        m_subscriber.clearOutbox();
    }

    // Every frame sent so far, written or still in the outbox, oldest first.
    QList<ServerFrame> frames() const
    {
        QByteArray bytes = m_written;
        for (const QByteArray& frame : m_kept)
            bytes += frame;
        // The subscriber lends its outbox to its transport only, and not as const.
        for (WriteQueue::Frame frame : const_cast<Subscriber&>(m_subscriber).outbox().frames)
            bytes += frame.bytes();
        bool ok = false;
        QList<ServerFrame> frames = serverFrames(bytes, &ok);
        Q_ASSERT_X(ok, "MemorySubscriber::frames", "the server wrote a malformed frame");
        return frames;
    }
    // The text messages sent so far, as sent.
    QList<QByteArray> texts() const
    {
        QList<QByteArray> texts;
        for (const ServerFrame& frame : frames()) {
            if (frame.opcode == WebSocketFrame::Opcode::Text)
                texts.append(frame.payload);
        }
        return texts;
    }
    // The text messages sent so far as JSON objects (empty for a text that is not one).
    QList<QJsonObject> messages() const
    {
        QList<QJsonObject> messages;
        for (const QByteArray& text : texts())
            messages.append(QJsonDocument::fromJson(text).object());
        return messages;
    }
    QList<QJsonObject> messagesOfType(const QString& type) const
    {
        QList<QJsonObject> result;
        for (const QJsonObject& message : messages()) {
            if (message.value(QLatin1String("type")).toString() == type)
                result.append(message);
        }
        return result;
    }
    // messages(), then clear().
    QList<QJsonObject> take()
    {
        const QList<QJsonObject> taken = messages();
        clear();
        return taken;
    }

private:
    Subscriber m_subscriber;
    QByteArray m_written;
    std::vector<QByteArray> m_kept; // keepOutbox()
    QList<Close> m_closes;
    std::function<void(quint16, const QString&)> m_onClose;
    qint64 m_backlog = 0;
    mutable int m_backlogQueries = 0;
    int m_flushes = 0;
    bool m_drainOnFlush = true;
};

// A Hub with what it works with, and the writer that empties its WriteQueue.
class MemoryHub {
public:
    explicit MemoryHub(Hub::Limits limits = {})
        : writeQueue([this] { ++wakes; })
        , hub(limits, metrics, writeQueue)
    {}

    std::unique_ptr<MemorySubscriber> subscriber(const QString& id, const EventEncoder& encoder,
                                                 Identity identity = {},
                                                 qint64 outboundCap = 4 * 1024 * 1024)
    {
        return std::make_unique<MemorySubscriber>(
            Subscriber::Setup{id, &encoder, std::move(identity), QStringLiteral("/memory"),
                              QStringLiteral("127.0.0.1:40000"), outboundCap},
            writeQueue, metrics);
    }

    // One pass of the writer: takes the queue and drains every subscriber in it (all must be
    // MemorySubscribers); returns them in the order they were queued.
    std::vector<Subscriber*> writePass()
    {
        WriteQueue::Pass pass = writeQueue.take();
        for (Subscriber* subscriber : pass.subscribers) {
            subscriber->noteWritePass();
            static_cast<MemorySubscriber&>(subscriber->transport()).drain();
        }
        return std::move(pass.subscribers);
    }

    HubMetrics metrics;
    int wakes = 0; // how often the queue woke its writer
    WriteQueue writeQueue;
    Hub hub;
};

} // namespace switchboard::test
