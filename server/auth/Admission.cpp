#include "Admission.h"

#include "../config/HubConfig.h"
#include "OriginPolicy.h"
#include "PeerAddress.h"
#include "RateLimiter.h"
#include "TokenVerifier.h"
#include "TrustedProxies.h"

#include <QDateTime>

namespace switchboard {

Admission::Admission(AuthMode authMode, const TokenVerifier& tokens, const OriginPolicy& origins,
                     const RateLimiter& users, const RateLimiter& addresses,
                     const TrustedProxies& proxies)
    : m_authMode(authMode)
    , m_tokens(tokens)
    , m_origins(origins)
    , m_rateLimiter(users)
    , m_addressRateLimiter(addresses)
    , m_proxies(proxies)
{}

QHostAddress Admission::clientAddress(const Request& request) const
{
    return m_proxies.clientOf(request.peer, request.forwardedFor, request.forwarded);
}

std::variant<Admission::Admitted, Admission::Refusal> Admission::admit(const Request& request,
                                                                       Checks checks) const
{
    Admitted admitted;
    admitted.client = clientAddress(request);
    admitted.originAllowed =
        request.origin.isEmpty() || m_origins.allows(request.origin, request.host);
    if (checks.refuseForeignOrigin && !admitted.originAllowed)
        return forbidden(QStringLiteral("origin %1 is not allowed (see --allow-origin)")
                             .arg(QString::fromLatin1(request.origin.left(200))));
    if (!m_origins.allowsHost(request.host))
        return forbidden(OriginPolicy::hostRefusal(request.host));

    // A token may come as a bearer header or, where the transport takes one, in the query
    // (browsers cannot set headers on a WebSocket).
    QByteArray token = request.queryToken;
    if (token.isEmpty() && !request.authorization.isEmpty()) {
        if (request.authorization.startsWith("Bearer "))
            token = request.authorization.mid(7).trimmed();
        else
            admitted.tokenError = QStringLiteral("Authorization header must be \"Bearer <token>\"");
        admitted.tokenGiven = true;
    }
    if (!token.isEmpty() && m_authMode != AuthMode::Off) {
        admitted.tokenGiven = true;
        auto verified = m_tokens.verify(token);
        if (auto* reason = std::get_if<QString>(&verified))
            admitted.tokenError = *reason;
        else
            admitted.identity = std::get<Identity>(verified);
    }

    if (checks.refuseBlocked) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 left =
            admitted.identity.isAuthenticated()
                ? m_rateLimiter.blockedFor(RateLimiter::userKey(admitted.identity.subject), now)
                : m_addressRateLimiter.blockedFor(
                      RateLimiter::addressKey(displayAddress(admitted.client)), now);
        if (left > 0) {
            const qint64 seconds = (left + 999) / 1000;
            return Refusal{
                429,
                QStringLiteral("RATE_LIMIT_EXCEEDED"),
                QStringLiteral("blocked for repeated rate limit violations; retry in %1 s")
                    .arg(seconds),
                {{"Retry-After", QByteArray::number(seconds)}}};
        }
    }
    return admitted;
}

Admission::Refusal Admission::unauthorized(const QString& message, bool tokenGiven)
{
    return Refusal{401,
                   QStringLiteral("AUTHENTICATION_FAILED"),
                   message,
                   {{"WWW-Authenticate",
                     tokenGiven ? QByteArray(R"(Bearer realm="switchboard", error="invalid_token")")
                                : QByteArray(R"(Bearer realm="switchboard")")}}};
}

Admission::Refusal Admission::forbidden(const QString& message)
{
    return Refusal{403, QStringLiteral("PERMISSION_DENIED"), message, {}};
}

} // namespace switchboard
