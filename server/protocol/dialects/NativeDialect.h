#pragma once

// The native protocol of `/ws/v1` (SPEC §3): {"type", "id"?, "data"?} envelopes, acks and
// errors carrying the request id, and events with topic, seq, event name and timestamp.

#include "Dialect.h"

namespace switchboard {

class NativeDialect final : public Dialect {
public:
    QLatin1String name() const override { return QLatin1String("native"); }
    std::optional<Error> decode(const QByteArray& text, ClientMessage& message) const override;
    QByteArray encodeEvent(const Event& event) const override;
    QByteArray encodeReply(const ClientMessage& request, const QJsonObject& data) const override;
    QByteArray encodeReplyJson(const ClientMessage& request, const QByteArray& data) const override;
    QByteArray encodeError(const QString& requestId, const Error& error) const override;
    QByteArray encodeResync(const QString& topic) const override;
    QByteArray encodeMessage(QLatin1String type, const QJsonObject& fields) const override;
    const QList<ServerMessage>& serverMessages() const override;
    bool acceptsAuthMessage() const override { return true; }

    static constexpr int protocolVersion = 1;
};

} // namespace switchboard
