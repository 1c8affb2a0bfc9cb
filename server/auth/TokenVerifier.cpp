#include "TokenVerifier.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdlib>
#include <jwt.h>
#include <memory>

namespace switchboard {

namespace {

struct JwtDeleter {
    void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

constexpr qint64 clockSkewSeconds = 30;

} // namespace

TokenVerifier::TokenVerifier(QByteArray secret)
    : m_secret(std::move(secret))
{}

std::variant<Identity, QString> TokenVerifier::verify(const QByteArray& token) const
{
    if (m_secret.isEmpty())
        return QStringLiteral("no signing key is configured");
    if (token.isEmpty())
        return QStringLiteral("token missing");
    jwt_t* raw = nullptr;
    // Always pass the key: libjwt accepts an unsigned ("alg": "none") token when the key is
    // NULL.
    const int rc = jwt_decode(&raw, token.constData(),
                              reinterpret_cast<const unsigned char*>(m_secret.constData()),
                              int(m_secret.size()));
    JwtPtr jwt(raw);
    if (rc != 0 || !jwt)
        return QStringLiteral("invalid token signature");
    if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256)
        return QStringLiteral("token algorithm not accepted");

    char* json = jwt_get_grants_json(jwt.get(), nullptr);
    const QJsonObject claims =
        QJsonDocument::fromJson(json ? QByteArray(json) : QByteArray()).object();
    std::free(json);

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonValue exp = claims.value(QLatin1String("exp"));
    if (!exp.isDouble())
        return QStringLiteral("token has no expiry");
    if (qint64(exp.toDouble()) + clockSkewSeconds < now)
        return QStringLiteral("token expired");
    const QJsonValue nbf = claims.value(QLatin1String("nbf"));
    if (nbf.isDouble() && qint64(nbf.toDouble()) - clockSkewSeconds > now)
        return QStringLiteral("token not yet valid");
    const QString subject = claims.value(QLatin1String("sub")).toString();
    if (subject.isEmpty())
        return QStringLiteral("token has no subject");

    Identity identity;
    identity.subject = subject;
    identity.name = claims.value(QLatin1String("name")).toString();
    identity.email = claims.value(QLatin1String("email")).toString();
    identity.role = roleFromName(claims.value(QLatin1String("role")).toString());
    identity.tenant = claims.value(QLatin1String("tenant")).toString();
    return identity;
}

QByteArray TokenVerifier::issue(const Identity& identity, std::chrono::seconds ttl) const
{
    jwt_t* raw = nullptr;
    if (jwt_new(&raw) != 0)
        return {};
    JwtPtr jwt(raw);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject claims{{QLatin1String("sub"), identity.subject},
                       {QLatin1String("role"), roleName(identity.role)},
                       {QLatin1String("iat"), now},
                       {QLatin1String("exp"), now + qint64(ttl.count())}};
    if (!identity.tenant.isEmpty())
        claims.insert(QLatin1String("tenant"), identity.tenant);
    if (!identity.name.isEmpty())
        claims.insert(QLatin1String("name"), identity.name);
    if (!identity.email.isEmpty())
        claims.insert(QLatin1String("email"), identity.email);
    jwt_add_grants_json(jwt.get(),
                        QJsonDocument(claims).toJson(QJsonDocument::Compact).constData());
    jwt_set_alg(jwt.get(), JWT_ALG_HS256,
                reinterpret_cast<const unsigned char*>(m_secret.constData()), int(m_secret.size()));
    char* encoded = jwt_encode_str(jwt.get());
    QByteArray result(encoded);
    std::free(encoded);
    return result;
}

} // namespace switchboard
