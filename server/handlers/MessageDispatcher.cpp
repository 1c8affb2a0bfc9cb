#include "MessageDispatcher.h"

#include "../auth/PeerAddress.h"
#include "../auth/RateLimiter.h"
#include "../auth/TopicPolicy.h"
#include "../config/HubConfig.h"
#include "../hub/Hub.h"
#include "../hub/Subscriber.h"
#include "../hub/Subscribers.h"
#include "HandlerRegistry.h"

#include <QDateTime>

namespace switchboard {

HandlerContext::HandlerContext(Subscriber& subscriber_, const Dialect& dialect_,
                               const ClientMessage& message_, Services& services_,
                               const ConnectionHooks* hooks_)
    : subscriber(subscriber_)
    , dialect(dialect_)
    , message(message_)
    , services(services_)
    , hooks(hooks_)
{}

void HandlerContext::reply(const QJsonObject& data)
{
    if (m_answered)
        return;
    m_answered = true;
    subscriber.sendText(dialect.encodeReply(message, data));
}

void HandlerContext::fail(ErrorCode code, const QString& text)
{
    if (m_answered)
        return;
    m_answered = true;
    subscriber.sendText(dialect.encodeError(message.id, Error{code, text}));
}

PendingReply HandlerContext::defer()
{
    m_answered = true;
    return PendingReply(services.subscribers, subscriber.id(), dialect, message);
}

PendingReply::PendingReply(Subscribers& subscribers, QString subscriberId, const Dialect& dialect,
                           ClientMessage message)
    : m_subscribers(&subscribers)
    , m_subscriberId(std::move(subscriberId))
    , m_dialect(&dialect)
    , m_message(std::move(message))
{}

Subscriber* PendingReply::subscriber() const
{
    return m_subscribers->find(m_subscriberId);
}

void PendingReply::reply(const QJsonObject& data) const
{
    if (Subscriber* client = subscriber())
        client->sendText(m_dialect->encodeReply(m_message, data));
}

void PendingReply::replyJson(const QByteArray& data) const
{
    if (Subscriber* client = subscriber())
        client->sendText(m_dialect->encodeReplyJson(m_message, data));
}

void PendingReply::fail(ErrorCode code, const QString& text) const
{
    if (Subscriber* client = subscriber())
        client->sendText(m_dialect->encodeError(m_message.id, Error{code, text}));
}

void HandlerContext::send(QLatin1String type, const QJsonObject& fields)
{
    subscriber.sendText(dialect.encodeMessage(type, fields));
}

bool HandlerContext::refuseIfBlocked(const Identity& identity)
{
    if (!identity.isAuthenticated())
        return false;
    const qint64 left = services.rateLimiter.blockedFor(RateLimiter::userKey(identity.subject),
                                                        QDateTime::currentMSecsSinceEpoch());
    if (left <= 0)
        return false;
    const qint64 seconds = (left + 999) / 1000;
    fail(ErrorCode::RateLimitExceeded,
         QStringLiteral("blocked for repeated rate limit violations; retry in %1 s").arg(seconds));
    subscriber.close(CloseCode::Policy,
                     QStringLiteral("rate limit: blocked for %1 s").arg(seconds));
    return true;
}

void subscribeAutoTopics(HandlerContext& context)
{
    if (!context.hooks || !context.hooks->autoTopics)
        return;
    Subscriber& subscriber = context.subscriber;
    const QStringList topics =
        context.hooks->autoTopics(subscriber.identity(), subscriber.endpoint());
    for (const QString& topic : topics) {
        if (subscriber.isSubscribed(topic) ||
            !context.services.policy.canSubscribe(subscriber.identity(), topic))
            continue;
        context.services.hub.subscribe(subscriber, topic);
    }
}

MessageDispatcher::MessageDispatcher(const HandlerRegistry& registry, Services& services,
                                     RateLimits limits)
    : m_registry(registry)
    , m_services(services)
    , m_limits(std::move(limits))
{}

void MessageDispatcher::installHooks()
{
    for (const ConnectionHooks& hooks : m_registry.allHooks()) {
        if (hooks.install)
            hooks.install(m_services);
    }
}

void MessageDispatcher::opened(Subscriber& subscriber, const Dialect& dialect)
{
    const ClientMessage none;
    HandlerContext context(subscriber, dialect, none, m_services, m_registry.hooks(dialect.name()));
    if (context.hooks && context.hooks->opened)
        context.hooks->opened(context);
    subscribeAutoTopics(context);
}

void MessageDispatcher::closed(Subscriber& subscriber, const Dialect& dialect)
{
    // An anonymous connection's allowance ends with it (its address keeps its count).
    const QString connection = RateLimiter::connectionKey(subscriber.id());
    m_limits.perUser.forget(connection);
    for (RateLimiter* limiter : std::as_const(m_limits.perDialect))
        limiter->forget(connection);
    const ConnectionHooks* hooks = m_registry.hooks(dialect.name());
    if (!hooks || !hooks->closed)
        return;
    const ClientMessage none;
    HandlerContext context(subscriber, dialect, none, m_services, hooks);
    hooks->closed(context);
}

QStringList MessageDispatcher::autoTopics(const Dialect& dialect, const Identity& identity,
                                          const QString& path) const
{
    const ConnectionHooks* hooks = m_registry.hooks(dialect.name());
    return hooks && hooks->autoTopics ? hooks->autoTopics(identity, path) : QStringList();
}

void MessageDispatcher::dispatch(Subscriber& subscriber, const Dialect& dialect,
                                 const QByteArray& text)
{
    ClientMessage message;
    const std::optional<Error> decodeError = dialect.decode(text, message);
    message.text = text;
    HandlerContext context(subscriber, dialect, message, m_services,
                           m_registry.hooks(dialect.name()));
    // Every frame counts, including those that do not decode: a flood of garbage is limited
    // (and blocked) like a flood of requests. Decoding first keeps the request id in the reply.
    if (!admitRate(subscriber, dialect, context))
        return;
    if (context.hooks && context.hooks->signInFirst &&
        m_services.config.authMode == AuthMode::Required &&
        !subscriber.identity().isAuthenticated() &&
        (decodeError || message.type != QLatin1String("auth"))) {
        context.fail(ErrorCode::AuthenticationFailed,
                     QStringLiteral("sign in first: {\"type\":\"auth\",\"token\":\"...\"}"));
        subscriber.close(CloseCode::Policy, QStringLiteral("not signed in"));
        return;
    }
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
    const bool authOff = m_services.config.authMode == AuthMode::Off;
    const Identity& identity = subscriber.identity();
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

bool MessageDispatcher::admitRate(Subscriber& subscriber, const Dialect& dialect,
                                  HandlerContext& context)
{
    const Identity& identity = subscriber.identity();
    const bool anonymous = !identity.isAuthenticated();
    // Per user; per connection when anonymous: clients that share an address (a NAT, a
    // proxy, --auth off) do not share an allowance.
    const QString key = anonymous ? RateLimiter::connectionKey(subscriber.id())
                                  : RateLimiter::userKey(identity.subject);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    RateLimiter::Verdict verdict;
    // Services and administrators are the hub's publishers (thousands of events a second are
    // their normal load): the per-user limits are for people and anonymous clients.
    if (!identity.isServiceOrAdmin())
        verdict = m_limits.perUser.admit(key, now);
    if (anonymous && m_limits.perAddress) {
        // The address the client came from (a trusted proxy's forwarded one), without a port.
        const QString address =
            RateLimiter::addressKey(addressOfRemote(subscriber.remoteAddress()));
        if (verdict.kind == RateLimiter::Verdict::Allowed) {
            verdict = m_limits.perAddress->admit(address, now);
        } else if (verdict.kind == RateLimiter::Verdict::Blocked) {
            // Reconnecting does not reset a flood: each blocked connection is a strike against
            // its address, and repeated strikes block the address.
            m_limits.perAddress->addViolation(address, now);
        }
    }
    if (verdict.kind == RateLimiter::Verdict::Allowed) {
        if (RateLimiter* dialectLimiter = m_limits.perDialect.value(QString(dialect.name())))
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
        subscriber.close(CloseCode::Policy, QStringLiteral("rate limit: blocked for %1 s")
                                                .arg((verdict.retryAfterMs + 999) / 1000));
        return false;
    }
    return true;
}

} // namespace switchboard
