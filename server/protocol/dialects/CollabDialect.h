#pragma once

// Document 004's dialect (`/api/v1/ws`): flat JSON messages whose fields sit next to
// `type`, no welcome, JSON ping -> pong, errors {type:"error", error, code, timestamp}.
// Events are shown as {type: event name, ...event data}.

#include "Dialect.h"

namespace switchboard {

class CollabDialect final : public Dialect {
public:
    QLatin1String name() const override { return QLatin1String("collab"); }
    std::optional<Error> decode(const QByteArray& text, ClientMessage& message) const override;
    QByteArray encodeEvent(const Event& event) const override;
    QByteArray encodeReply(const ClientMessage& request, const QJsonObject& data) const override;
    QByteArray encodeError(const QString& requestId, const Error& error) const override;
    QByteArray encodeResync(const QString& topic) const override;
    QByteArray encodeMessage(QLatin1String type, const QJsonObject& fields) const override;
    const QList<ServerMessage>& serverMessages() const override;
    bool fieldsAtTopLevel() const override { return true; }

    // An error with more fields than code and text (VERSION_CONFLICT carries the cell).
    static QByteArray encodeError(const Error& error, const QJsonObject& extra);
};

} // namespace switchboard
