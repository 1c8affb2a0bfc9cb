#pragma once

// A dialect maps hub events and replies to one document's wire format and decodes that
// document's client messages. Dialects are stateless and shared by all their sessions.

#include "../../hub/Event.h"
#include "../Codes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace switchboard {

class Session;
class Hub;

// A decoded client message: its type, its request id (may be empty) and its parameters.
struct ClientMessage {
    QString type;
    QString id;
    QJsonObject data;
};

// A message the server sends in a dialect, for the generated AsyncAPI description.
struct ServerMessage {
    QLatin1String type;
    QLatin1String summary;
};

class Dialect {
public:
    virtual ~Dialect() = default;

    // The name handlers register under ("native", ...).
    virtual QLatin1String name() const = 0;

    // Fills `message` from one text frame, or returns why it cannot. The request id is
    // filled in whenever it could be read, so that even an error reply carries it.
    virtual std::optional<Error> decode(const QByteArray& text, ClientMessage& message) const = 0;
    // The event as this dialect shows it, or empty when this dialect does not carry it.
    virtual QByteArray encodeEvent(const Event& event) const = 0;
    virtual QByteArray encodeReply(const ClientMessage& request, const QJsonObject& data) const = 0;
    virtual QByteArray encodeError(const QString& requestId, const Error& error) const = 0;
    // Sent when history cannot serve a resume request.
    virtual QByteArray encodeResync(const QString& topic) const = 0;

    // Every message type the server sends in this dialect.
    virtual QList<ServerMessage> serverMessages() const = 0;

    // Called once the session is registered: welcome message, automatic subscriptions.
    virtual void onOpen(Session& session, Hub& hub) const = 0;
};

} // namespace switchboard
