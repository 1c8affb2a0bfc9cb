#pragma once

// Document 000 (CashCow): `/ws/calculations`, `/ws/entities` and `/ws/status`. A client is
// greeted with `connected`, subscribed to the topic its path names, and may add or drop the
// topics calculations, entities, status and jobs with {"type":"subscribe","data":{"topic"}}.
// Server messages are {"type", "timestamp", "data"}; a `heartbeat` message goes out every
// --heartbeat-interval and a client silent for --heartbeat-timeout is dropped.

#include "Dialect.h"

namespace switchboard {

class CalculationsDialect final : public Dialect {
public:
    // `keepAlive`: the document's heartbeat interval and the silence after which a client is
    // dropped (--heartbeat-interval, --heartbeat-timeout).
    explicit CalculationsDialect(KeepAlive keepAlive);

    // The paths this dialect serves.
    static QStringList paths();
    // The topics a client may subscribe to (SPEC §2.2).
    static bool isDocumentTopic(const QString& topic);
    // The topic a path names ("/ws/status" -> "status"), or empty.
    static QString topicOfPath(const QString& path);

    QLatin1String name() const override { return QLatin1String("calculations"); }
    std::optional<Error> decode(const QByteArray& text, ClientMessage& message) const override;
    QByteArray encodeEvent(const Event& event) const override;
    QByteArray encodeReply(const ClientMessage& request, const QJsonObject& data) const override;
    QByteArray encodeError(const QString& requestId, const Error& error) const override;
    QByteArray encodeResync(const QString& topic) const override;
    QByteArray encodeMessage(QLatin1String type, const QJsonObject& fields) const override;
    const QList<ServerMessage>& serverMessages() const override;
    std::optional<KeepAlive> keepAlive() const override;
    QByteArray heartbeatMessage() const override;

private:
    KeepAlive m_keepAlive;
};

} // namespace switchboard
