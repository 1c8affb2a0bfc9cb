#pragma once

// Document 002 (nscale Assist): `/ws/connect`. The token comes with the upgrade (?token=)
// or in a first {"type":"auth","token"} message. A client is greeted with `connection`,
// joined to its own room `document_updates_{user_id}` (and `admin` when it is one), and
// joins the special rooms of the document with join_room or the subscribe_* messages.
// Server messages are {"type", "timestamp", "data"}; job events arrive as `job_updates`,
// room presence as `room_event`.
//
// Replies: a handler names the reply's message type in its data's "type" field (for
// example `room_event` for join_room); the rest of its data becomes the reply's `data`.

#include "Dialect.h"

namespace switchboard {

class AssistDialect final : public Dialect {
public:
    QLatin1String name() const override { return QLatin1String("assist"); }
    std::optional<Error> decode(const QByteArray& text, ClientMessage& message) const override;
    QByteArray encodeEvent(const Event& event) const override;
    QByteArray encodeReply(const ClientMessage& request, const QJsonObject& data) const override;
    QByteArray encodeError(const QString& requestId, const Error& error) const override;
    QByteArray encodeResync(const QString& topic) const override;
    QByteArray encodeMessage(QLatin1String type, const QJsonObject& fields) const override;
    const QList<ServerMessage>& serverMessages() const override;
    bool acceptsAuthMessage() const override { return true; }
    bool fieldsAtTopLevel() const override { return true; }
};

} // namespace switchboard
