#pragma once

// Document 004's dialect (`/api/v1/ws`): flat JSON messages whose fields sit next to
// `type`, no welcome, JSON ping -> pong, errors {type:"error", error, code, timestamp}.
// Events are shown as {type: event name, ...event data}. Its sessions share the rooms,
// presence and notification filters kept by Collab, which the 004 handlers reach through
// the dialect of the session they serve.

#include "Dialect.h"

namespace switchboard {

class Collab;

class CollabDialect final : public Dialect {
public:
    explicit CollabDialect(Collab& collab);

    QLatin1String name() const override { return QLatin1String("collab"); }
    std::optional<Error> decode(const QByteArray& text, ClientMessage& message) const override;
    QByteArray encodeEvent(const Event& event) const override;
    QByteArray encodeReply(const ClientMessage& request, const QJsonObject& data) const override;
    QByteArray encodeError(const QString& requestId, const Error& error) const override;
    QByteArray encodeResync(const QString& topic) const override;
    const QList<ServerMessage>& serverMessages() const override;
    void onOpen(Session& session, Hub& hub) const override;
    bool fieldsAtTopLevel() const override { return true; }

    Collab& collab() const { return m_collab; }

    // An error with more fields than code and text (VERSION_CONFLICT carries the cell).
    static QByteArray encodeError(const Error& error, const QJsonObject& extra);

private:
    Collab& m_collab;
};

} // namespace switchboard
