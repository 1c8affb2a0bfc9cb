#include "MessageDispatcher.h"

#include "../auth/RateLimiter.h"
#include "../auth/TopicPolicy.h"
#include "../config/HubConfig.h"
#include "../net/Session.h"
#include "HandlerRegistry.h"

#include <QDateTime>

namespace switchboard {

HandlerContext::HandlerContext(Session& session_, Hub& hub_, const HubConfig& config_,
                               const TopicPolicy& policy_, const TokenVerifier& tokens_,
                               JobEngine* jobs_, const ClientMessage& message_)
    : session(session_)
    , hub(hub_)
    , config(config_)
    , policy(policy_)
    , tokens(tokens_)
    , jobs(jobs_)
    , message(message_)
{}

void HandlerContext::reply(const QJsonObject& data)
{
    if (m_answered)
        return;
    m_answered = true;
    session.sendText(session.dialect()->encodeReply(message, data));
}

void HandlerContext::fail(ErrorCode code, const QString& text)
{
    if (m_answered)
        return;
    m_answered = true;
    session.sendText(session.dialect()->encodeError(message.id, Error{code, text}));
}

MessageDispatcher::MessageDispatcher(const HandlerRegistry& registry, Hub& hub,
                                     const HubConfig& config, const TopicPolicy& policy,
                                     const TokenVerifier& tokens)
    : m_registry(registry)
    , m_hub(hub)
    , m_config(config)
    , m_policy(policy)
    , m_tokens(tokens)
{}

bool HandlerContext::refuseIfBlocked(const Identity& identity)
{
    if (!rateLimiter || !identity.isAuthenticated())
        return false;
    const qint64 left = rateLimiter->blockedFor(RateLimiter::userKey(identity.subject),
                                                QDateTime::currentMSecsSinceEpoch());
    if (left <= 0)
        return false;
    const qint64 seconds = (left + 999) / 1000;
    fail(ErrorCode::RateLimitExceeded,
         QStringLiteral("blocked for repeated rate limit violations; retry in %1 s").arg(seconds));
    session.close(CloseCode::Policy, QStringLiteral("rate limit: blocked for %1 s").arg(seconds));
    return true;
}

void MessageDispatcher::dispatch(Session& session, const QByteArray& text)
{
    const Dialect& dialect = *session.dialect();
    ClientMessage message;
    const std::optional<Error> decodeError = dialect.decode(text, message);
    HandlerContext context(session, m_hub, m_config, m_policy, m_tokens, m_jobs, message);
    context.rateLimiter = m_rateLimiter;
    // Every frame counts, including those that do not decode: a flood of garbage is limited
    // (and blocked) like a flood of requests. Decoding first keeps the request id in the reply.
    if (!admitRate(session, context))
        return;
    if (decodeError) {
        context.fail(*decodeError);
        return;
    }

    const MessageHandler* handler = m_registry.find(dialect.name(), message.type);
    if (!handler) {
        context.fail(ErrorCode::UnknownMessageType,
                     QStringLiteral("unknown message type \"%1\"").arg(message.type.left(64)));
        return;
    }
    const bool authOff = m_config.authMode == AuthMode::Off;
    const Identity& identity = session.identity();
    if (handler->access == Access::Authenticated && !authOff && !identity.isAuthenticated()) {
        context.fail(ErrorCode::AuthenticationFailed,
                     QStringLiteral("%1 needs an authenticated connection").arg(message.type));
        return;
    }
    if (handler->access == Access::Admin && !authOff && !identity.isAdmin()) {
        context.fail(ErrorCode::PermissionDenied,
                     QStringLiteral("%1 is for administrators only").arg(message.type));
        return;
    }
    handler->handle(context);
    // A request with an id gets exactly one reply, even from a handler that had nothing to say.
    if (!context.answered() && !message.id.isEmpty())
        context.reply();
}

bool MessageDispatcher::admitRate(Session& session, HandlerContext& context)
{
    if (!m_rateLimiter && m_dialectLimiters.isEmpty())
        return true;
    const Identity& identity = session.identity();
    // Per user; per IP address when anonymous ("a.b.c.d:port" without the port).
    const QString& remote = session.remoteAddress();
    const QString key = identity.isAuthenticated()
                            ? RateLimiter::userKey(identity.subject)
                            : RateLimiter::addressKey(remote.left(remote.lastIndexOf(u':')));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    RateLimiter::Verdict verdict;
    // Services and administrators are the hub's publishers (thousands of events a second are
    // their normal load): the per-user limits are for people and anonymous clients.
    if (m_rateLimiter && !identity.isServiceOrAdmin())
        verdict = m_rateLimiter->admit(key, now);
    if (verdict.kind == RateLimiter::Verdict::Allowed) {
        if (RateLimiter* dialectLimiter =
                m_dialectLimiters.value(QString(session.dialect()->name())))
            verdict = dialectLimiter->admit(key, now);
    }
    switch (verdict.kind) {
    case RateLimiter::Verdict::Allowed:
        return true;
    case RateLimiter::Verdict::Limited:
        context.fail(ErrorCode::RateLimitExceeded, verdict.reason);
        return false;
    case RateLimiter::Verdict::Blocked:
        context.fail(ErrorCode::RateLimitExceeded, QStringLiteral("%1 for %2 s")
                                                       .arg(verdict.reason)
                                                       .arg((verdict.retryAfterMs + 999) / 1000));
        session.close(CloseCode::Policy, QStringLiteral("rate limit: blocked for %1 s")
                                             .arg((verdict.retryAfterMs + 999) / 1000));
        return false;
    }
    return true;
}

} // namespace switchboard
