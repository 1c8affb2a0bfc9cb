#pragma once

// Turns one inbound text frame into a handler call: decode in the session's dialect, look
// up the handler, check access, run it, and make sure every request with an id gets exactly
// one reply.

#include <QByteArray>
#include <QHash>
#include <QString>

namespace switchboard {

class Hub;
class JobEngine;
class RateLimiter;
class HandlerContext;
class HandlerRegistry;
class Session;
class TokenVerifier;
class TopicPolicy;
struct HubConfig;

class MessageDispatcher {
public:
    MessageDispatcher(const HandlerRegistry& registry, Hub& hub, const HubConfig& config,
                      const TopicPolicy& policy, const TokenVerifier& tokens);

    void dispatch(Session& session, const QByteArray& text);
    // The job engine is created after the dispatcher; handlers see it from then on.
    void setJobEngine(JobEngine* jobs) { m_jobs = jobs; }
    // Every message counts against this limiter before its handler runs (SPEC §7): over the
    // limit it is answered RATE_LIMIT_EXCEEDED; a client that gets blocked is closed with 1008.
    void setRateLimiter(RateLimiter* limiter) { m_rateLimiter = limiter; }
    // An extra limit for one dialect's messages only (002's WS_MAX_MESSAGES per WS_RATE_WINDOW).
    void setDialectRateLimiter(const QString& dialect, RateLimiter* limiter)
    {
        m_dialectLimiters.insert(dialect, limiter);
    }

private:
    bool admitRate(Session& session, HandlerContext& context);

    const HandlerRegistry& m_registry;
    Hub& m_hub;
    const HubConfig& m_config;
    const TopicPolicy& m_policy;
    const TokenVerifier& m_tokens;
    JobEngine* m_jobs = nullptr;
    RateLimiter* m_rateLimiter = nullptr;
    QHash<QString, RateLimiter*> m_dialectLimiters;
};

} // namespace switchboard
