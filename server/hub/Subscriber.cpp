#include "Subscriber.h"

#include "../wire/Codes.h"
#include "../wire/WebSocketFrame.h"

namespace switchboard {

Subscriber::Subscriber(Setup setup, SubscriberTransport& transport, WriteQueue& queue,
                       HubMetrics& metrics)
    : m_outboundCap(setup.outboundCap)
    , m_metrics(metrics)
    , m_writeQueue(queue)
    , m_transport(transport)
    , m_id(std::move(setup.id))
    , m_encoder(setup.encoder)
    , m_identity(std::move(setup.identity))
    , m_endpoint(std::move(setup.endpoint))
    , m_remoteAddress(std::move(setup.remoteAddress))
    , m_since(QDateTime::currentDateTimeUtc())
{
    Q_ASSERT(m_encoder);
}

Subscriber::~Subscriber()
{
    if (m_queued)
        m_writeQueue.remove(this);
}

void Subscriber::setIdentity(Identity identity)
{
    m_identity = std::move(identity);
    m_changed = true;
}

void Subscriber::sendText(QByteArray json)
{
    if (!json.isEmpty())
        sendFrame(WebSocketFrame::text(std::move(json)));
}

void Subscriber::queue(const QByteArray& bytes)
{
    m_outbox.frames.push_back(m_writeQueue.hold(bytes));
    m_outbox.bytes += bytes.size();
    queueForWriting();
}

void Subscriber::noteCloseSent(quint16 code, const QString& reason)
{
    m_closeCode = code;
    m_closeReason = reason;
    m_changed = true;
}

void Subscriber::clearOutbox()
{
    m_outbox.frames.clear();
    m_outbox.bytes = 0;
}

void Subscriber::noteReceived(qsizetype bytes)
{
    ++m_counters.messagesIn;
    m_counters.bytesIn += quint64(bytes);
    ++m_metrics.messagesIn;
    m_metrics.bytesIn += quint64(bytes);
    m_changed = true;
}

bool Subscriber::takeChanged()
{
    const bool changed = m_changed;
    m_changed = false;
    return changed;
}

bool Subscriber::overflow()
{
    // The transport's backlog is only recounted here: the figure it last reported may be stale.
    m_backlogBytes = m_transport.backlogBytes();
    if (m_outbox.bytes + m_backlogBytes <= m_outboundCap)
        return true;
    ++m_metrics.droppedSlowConsumers;
    m_state = State::Cut;
    clearOutbox();
    m_transport.closeSoon(CloseCode::TryAgainLater,
                          QStringLiteral("slow consumer: outbound buffer full"));
    return false;
}

} // namespace switchboard
