#pragma once

// A client message handler: its dialect, message type, who may send it, a one-line summary
// and a JSON schema of its `data` (both feed /asyncapi.json), and the function that runs
// it. Each handler lives in its own file and registers itself there with
// SWITCHBOARD_REGISTER_HANDLER, so adding a message type is a one-file change.

#include "../protocol/Codes.h"
#include "../protocol/dialects/Dialect.h"

#include <QJsonObject>
#include <QLatin1String>

#include <optional>

namespace switchboard {

class Hub;
class JobEngine;
class RateLimiter;
class Session;
struct Identity;
class TokenVerifier;
class TopicPolicy;
struct HubConfig;

enum class Access {
    Anyone,        // also before authentication
    Authenticated, // any valid token (anyone when auth is off)
    Admin,
};

// What a handler works with while it runs, and how it answers.
class HandlerContext {
public:
    HandlerContext(Session& session, Hub& hub, const HubConfig& config, const TopicPolicy& policy,
                   const TokenVerifier& tokens, JobEngine* jobs, const ClientMessage& message);

    Session& session;
    Hub& hub;
    const HubConfig& config;
    const TopicPolicy& policy;
    const TokenVerifier& tokens;
    JobEngine* jobs; // null when the hub runs without a job engine
    const ClientMessage& message;

    void reply(const QJsonObject& data = {});
    void fail(ErrorCode code, const QString& text);
    void fail(const Error& error) { fail(error.code, error.message); }
    bool answered() const { return m_answered; }
    // For handlers that authenticate a connection: a user the rate limiter has blocked is
    // answered RATE_LIMIT_EXCEEDED and closed with 1008, as at the upgrade. True if refused.
    bool refuseIfBlocked(const Identity& identity);

    const RateLimiter* rateLimiter = nullptr; // set by the dispatcher

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
