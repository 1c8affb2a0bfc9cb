#pragma once

// The one gate every request passes before the hub serves it, whatever carries it: a REST
// call (HttpRouter), a WebSocket upgrade (net/Listener) or an upload (net/UploadIntake). It
// checks, in this order and each in one place: the Host header (DNS rebinding, when
// authentication is not required), the browser Origin, the bearer token (an Authorization
// header, or for upgrades a ?token= query), and whether the client is blocked for repeated
// rate limit violations. It also says who the client is when trusted proxies stand between
// (X-Forwarded-For / Forwarded, believed only from --trusted-proxy peers): that address is
// the one limits, blocks, logs and the connections view use. What it cannot decide alone
// (which routes need which role, whether a dialect refuses before or after the handshake) its
// callers decide from what it found.

#include "Identity.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>
#include <variant>

namespace switchboard {

class OriginPolicy;
class RateLimiter;
class TokenVerifier;
class TrustedProxies;
enum class AuthMode;

class Admission {
public:
    // What the gate reads of a request.
    struct Request {
        QByteArray host;
        QByteArray origin;
        QByteArray authorization; // the Authorization header
        QByteArray queryToken;    // ?token=, where a transport takes one (upgrades)
        QHostAddress peer;        // the TCP peer
        QByteArray forwardedFor;  // X-Forwarded-For, every line joined with commas
        QByteArray forwarded;     // Forwarded (RFC 7239), the same
    };
    // What a caller may refuse: a foreign browser origin (upgrades; REST answers it without
    // CORS headers instead) and a blocked client (upgrades).
    struct Checks {
        bool refuseForeignOrigin = false;
        bool refuseBlocked = false;
    };
    // An answer that turns the request away: an HTTP status, a SPEC §3 code, the reason and
    // any headers it needs (Retry-After, WWW-Authenticate).
    struct Refusal {
        int status = 403;
        QString code;
        QString message;
        QList<QPair<QByteArray, QByteArray>> headers;
    };
    // Who is asking. A token that was given but is not valid leaves the identity anonymous
    // and says why in `tokenError`; the caller decides whether that refuses the request.
    struct Admitted {
        Identity identity;
        std::optional<QString> tokenError;
        bool tokenGiven = false;
        bool originAllowed = true; // false: a browser page of an origin not on the list
        QHostAddress client;       // the peer, or the client a trusted proxy forwarded
    };

    // Blocks are looked up in `users` for a signed-in client and in `addresses` (anonymous
    // clients, by address) otherwise.
    Admission(AuthMode authMode, const TokenVerifier& tokens, const OriginPolicy& origins,
              const RateLimiter& users, const RateLimiter& addresses,
              const TrustedProxies& proxies);

    std::variant<Admitted, Refusal> admit(const Request& request, Checks checks) const;
    // Who sent `request`: its peer, or what a trusted proxy forwarded (also for refusals).
    QHostAddress clientAddress(const Request& request) const;
    const TrustedProxies& proxies() const { return m_proxies; }

    // The refusals callers build from an Admitted: 401 (with RFC 6750's challenge) and 403.
    static Refusal unauthorized(const QString& message, bool tokenGiven);
    static Refusal forbidden(const QString& message);

    AuthMode authMode() const { return m_authMode; }
    const OriginPolicy& origins() const { return m_origins; }

private:
    AuthMode m_authMode;
    const TokenVerifier& m_tokens;
    const OriginPolicy& m_origins;
    const RateLimiter& m_rateLimiter;
    const RateLimiter& m_addressRateLimiter;
    const TrustedProxies& m_proxies;
};

} // namespace switchboard
