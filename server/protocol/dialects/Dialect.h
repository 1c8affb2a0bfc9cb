#pragma once

// A dialect is one document's wire format: it decodes that document's client messages into
// requests (type, id, fields) and encodes hub events, replies and errors the way the document
// shows them. A pure codec: stateless, shared by every subscriber of its paths, and knowing
// nothing of sockets, handlers or hub state. What a connection does when it opens or closes
// (a welcome, automatic subscriptions) is the handlers' (handlers/ConnectionHooks.h).

#include "../../hub/EventEncoder.h"
#include "../../wire/Codes.h"

#include <QAnyStringView>
#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace switchboard {

// A decoded client message: its type, its request id (may be empty) and its parameters.
struct ClientMessage {
    // A publish read without building `data`, which is then left empty: what a dialect fills in
    // for the one request that comes once per published event, when the request is well formed
    // (building a QJsonObject costs more of the hub thread than the rest of the publish).
    struct Publication {
        QString topic;
        QString event;
        QByteArray data; // the event's data as the publisher wrote it, a compact JSON object;
                         // empty for none
    };

    QString type;
    QString id;
    QJsonObject data;
    QByteArray text = {}; // the frame as the client sent it (valid JSON once decoded)
    std::optional<Publication> publication = {};
};

// A message the server sends in a dialect: one row of the dialect's table, which both its
// encoders and the generated AsyncAPI description read.
struct ServerMessage {
    QLatin1String type;
    QLatin1String summary;
    // True when hub events go out as this message; false for what the dialect builds
    // itself (welcome, replies, errors, keep-alives).
    bool fromEvents = false;
};

class Dialect : public EventEncoder {
public:
    virtual ~Dialect() = default;

    // The name handlers register under ("native", ...).
    virtual QLatin1String name() const = 0;

    // Fills `message` from one text frame, or returns why it cannot. The request id is
    // filled in whenever it could be read, so that even an error reply carries it.
    virtual std::optional<Error> decode(const QByteArray& text, ClientMessage& message) const = 0;
    // The event as this dialect shows it, or empty when this dialect does not carry it.
    QByteArray encodeEvent(const Event& event) const override = 0;
    virtual QByteArray encodeReply(const ClientMessage& request, const QJsonObject& data) const = 0;
    // The same reply with `data` already written as a compact JSON object: for replies sent
    // once per request on a hot path (a publish's ack), where building a QJsonObject and
    // writing it out again costs more than the rest of the request. By default it is read
    // back and given to encodeReply().
    virtual QByteArray encodeReplyJson(const ClientMessage& request, const QByteArray& data) const;
    virtual QByteArray encodeError(const QString& requestId, const Error& error) const = 0;
    // Sent when history cannot serve a resume request, or the topic was numbered anew.
    QByteArray encodeResync(const QString& topic) const override = 0;
    // A server message of `type` that the dialect sends of its own accord (a welcome, a
    // keep-alive), with `fields` where the document puts a message's fields (in `data`, or
    // next to `type`). `type` must be a row of serverMessages().
    virtual QByteArray encodeMessage(QLatin1String type, const QJsonObject& fields) const = 0;

    // Every message type the server sends in this dialect: the one table that /asyncapi.json
    // lists and the encoders consult, so that what is documented and what is sent agree. A
    // row of type `anyType` stands for messages that services send under their own type.
    virtual const QList<ServerMessage>& serverMessages() const = 0;
    static constexpr QLatin1String anyType{"*"};

    // The row of `type`, or null.
    const ServerMessage* serverMessage(QAnyStringView type) const;
    // True when a hub event may go out as a message of `type`: its row says fromEvents.
    bool carriesEvent(QAnyStringView type) const;
    // True when a hub event named `type` goes out: its own row says fromEvents, or the table
    // has no row of that type and an `anyType` row passes services' own types on. A type the
    // dialect only builds itself (a welcome, pong) never comes from an event.
    bool passesEvent(QAnyStringView type) const;

    // The "dialect/type" of every message the dialects built themselves although their table
    // lacks it, since the program started: a programming error, which the tests look for.
    // Such a message is still sent, so that no client waits for a reply forever.
    static QStringList unlistedMessages();

    // True when the document lets a client connect first and authenticate with a message
    // (native, 002); otherwise the token must come with the upgrade.
    virtual bool acceptsAuthMessage() const { return false; }
    // How a connection the hub must refuse (no or bad token, forbidden topic) is turned away:
    // false refuses the upgrade with 401/403 before the handshake; true accepts the handshake
    // and closes with 1008 before any data, as documents 001 and 003 describe.
    virtual bool closesRefusedConnections() const { return false; }
    // True when the document puts a client message's fields next to `type` (002, 004)
    // rather than in `data`; both are read, this is how /asyncapi.json describes them.
    virtual bool fieldsAtTopLevel() const { return false; }

    // Keep-alive. By default the hub's WebSocket ping settings; a dialect whose document
    // defines its own heartbeat (000) overrides them and sends `heartbeatMessage()` with
    // every ping.
    struct KeepAlive {
        std::chrono::milliseconds interval;
        std::chrono::milliseconds timeout;
    };
    virtual std::optional<KeepAlive> keepAlive() const { return std::nullopt; }
    virtual QByteArray heartbeatMessage() const { return {}; }

protected:
    // Called by the encoders with the type of each message they build themselves: one
    // missing from the table is logged and remembered (unlistedMessages()).
    void checkListed(QAnyStringView type) const;
};

} // namespace switchboard
