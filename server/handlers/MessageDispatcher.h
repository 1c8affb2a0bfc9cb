#pragma once

// Runs what a client's connection asks of the hub: decodes each inbound text frame in the
// client's dialect, checks its rate, looks up its handler, checks access, runs it, and makes
// sure every request with an id gets exactly one reply. Also runs the dialect's connection
// hooks when a connection opens and closes. Knows the client only as a Subscriber.

#include <QByteArray>
#include <QHash>
#include <QLatin1String>
#include <QString>
#include <QStringList>

namespace switchboard {

class Dialect;
class HandlerContext;
class HandlerRegistry;
class RateLimiter;
class Subscriber;
struct ConnectionHooks;
struct Identity;
struct Services;

class MessageDispatcher {
public:
    // Every message counts against these before its handler runs (SPEC §7): `perUser` (per
    // user; per connection when anonymous; services and administrators are not limited), a
    // dialect's own limit (002's WS_MAX_MESSAGES per WS_RATE_WINDOW, counted the same way)
    // and, for anonymous clients, `perAddress`: the ceiling of everything the anonymous
    // connections of one address send, so that many clients behind one NAT or proxy each get a
    // client's allowance while a flood from one address stays bounded. Over a limit the
    // message is answered RATE_LIMIT_EXCEEDED; a client that gets blocked is closed with 1008,
    // and an anonymous connection blocked for flooding counts as a violation of its address.
    struct RateLimits {
        RateLimiter& perUser;
        QHash<QString, RateLimiter*> perDialect;
        RateLimiter* perAddress = nullptr;
    };

    MessageDispatcher(const HandlerRegistry& registry, Services& services, RateLimits limits);

    // Runs every dialect's install hook; once, when the hub starts.
    void installHooks();

    // A connection of `dialect` opened: its welcome, then its automatic topics.
    void opened(Subscriber& subscriber, const Dialect& dialect);
    // It closes: the dialect's goodbye, while it still has its identity and topics.
    void closed(Subscriber& subscriber, const Dialect& dialect);
    void dispatch(Subscriber& subscriber, const Dialect& dialect, const QByteArray& text);

    // The topics a connection on `path` gets without asking, for admission before the
    // handshake: a path whose topics the identity may not read is refused.
    QStringList autoTopics(const Dialect& dialect, const Identity& identity,
                           const QString& path) const;

private:
    bool admitRate(Subscriber& subscriber, const Dialect& dialect, HandlerContext& context);

    const HandlerRegistry& m_registry;
    Services& m_services;
    RateLimits m_limits;
};

} // namespace switchboard
