#pragma once

// A client message handler: its dialect, message type, who may send it, a one-line summary
// and a JSON schema of its `data` (both feed /asyncapi.json), and the function that runs
// it. Each handler lives in its own file and registers itself there with
// SWITCHBOARD_REGISTER_HANDLER, so adding a message type is a one-file change.

#include "../protocol/dialects/Dialect.h"
#include "../wire/Codes.h"
#include "Services.h"

#include <QJsonObject>
#include <QLatin1String>

#include <optional>

namespace switchboard {

class Subscriber;
class Subscribers;
struct ConnectionHooks;
struct Identity;

enum class Access {
    Anyone,        // also before authentication
    Authenticated, // any valid token (anyone when auth is off)
    Admin,
};

// The reply a handler gives after it has returned, when what it answers with comes later (a
// cluster's sequence number, a row from Redis). Copyable; it finds the client again by id and
// answers nothing when the client has gone meanwhile. Exactly one of reply() and fail() is
// called, once.
class PendingReply {
public:
    PendingReply(Subscribers& subscribers, QString subscriberId, const Dialect& dialect,
                 ClientMessage message);

    void reply(const QJsonObject& data = {}) const;
    // `data` already written as a compact JSON object (Dialect::encodeReplyJson).
    void replyJson(const QByteArray& data) const;
    void fail(ErrorCode code, const QString& text) const;
    void fail(const Error& error) const { fail(error.code, error.message); }
    // The client, while it is still connected.
    Subscriber* subscriber() const;

private:
    Subscribers* m_subscribers;
    QString m_subscriberId;
    const Dialect* m_dialect;
    ClientMessage m_message;
};

// What a handler works with while it runs (the client, its dialect, the message, the hub's
// services), and how it answers.
class HandlerContext {
public:
    HandlerContext(Subscriber& subscriber, const Dialect& dialect, const ClientMessage& message,
                   Services& services, const ConnectionHooks* hooks = nullptr);

    Subscriber& subscriber;
    const Dialect& dialect;
    const ClientMessage& message;
    Services& services;
    // What the connection's path does beyond its messages (its automatic topics); may be null.
    const ConnectionHooks* hooks;

    void reply(const QJsonObject& data = {});
    void fail(ErrorCode code, const QString& text);
    void fail(const Error& error) { fail(error.code, error.message); }
    bool answered() const { return m_answered; }
    // The handler answers later, through the PendingReply (the dispatcher then sends no
    // reply of its own for it).
    PendingReply defer();
    // A message of the dialect's own table (a welcome, a `connection`), not a reply.
    void send(QLatin1String type, const QJsonObject& fields);
    // For handlers that authenticate a connection: a user the rate limiter has blocked is
    // answered RATE_LIMIT_EXCEEDED and closed with 1008, as at the upgrade. True if refused.
    bool refuseIfBlocked(const Identity& identity);

private:
    bool m_answered = false;
};

struct MessageHandler {
    QLatin1String dialect;
    QLatin1String type;
    Access access;
    QLatin1String summary;
    QJsonObject (*schema)(); // JSON Schema of `data`
    void (*handle)(HandlerContext& context);
};

} // namespace switchboard
