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

jwt_alg_t libjwtAlgorithm(TokenAlgorithm algorithm)
{
    return algorithm == TokenAlgorithm::RS256 ? JWT_ALG_RS256 : JWT_ALG_HS256;
}

const unsigned char* keyBytes(const QByteArray& key)
{
    return reinterpret_cast<const unsigned char*>(key.constData());
}

// The `alg` of the token's header, read without libjwt; empty when the header is not a
// base64url JSON object.
QString headerAlgorithm(const QByteArray& token)
{
    const qsizetype dot = token.indexOf('.');
    if (dot <= 0)
        return {};
    const auto decoded = QByteArray::fromBase64Encoding(
        token.left(dot), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return {};
    const QJsonDocument header = QJsonDocument::fromJson(*decoded);
    if (!header.isObject())
        return {};
    return header.object().value(QLatin1String("alg")).toString();
}

} // namespace

QString tokenAlgorithmName(TokenAlgorithm algorithm)
{
    return algorithm == TokenAlgorithm::RS256 ? QStringLiteral("RS256") : QStringLiteral("HS256");
}

TokenVerifier::TokenVerifier(QByteArray secret)
    : m_algorithm(TokenAlgorithm::HS256)
    , m_verifyKey(secret)
    , m_signingKey(std::move(secret))
{}

TokenVerifier::TokenVerifier(TokenAlgorithm algorithm, QByteArray verifyKey, QByteArray signingKey)
    : m_algorithm(algorithm)
    , m_verifyKey(std::move(verifyKey))
    , m_signingKey(std::move(signingKey))
{
    if (m_algorithm == TokenAlgorithm::HS256 && m_signingKey.isEmpty())
        m_signingKey = m_verifyKey;
}

std::variant<Identity, QString> TokenVerifier::verify(const QByteArray& token) const
{
    auto result = check(token);
    if (std::holds_alternative<QString>(result))
        ++m_refused;
    return result;
}

std::variant<Identity, QString> TokenVerifier::check(const QByteArray& token) const
{
    if (m_verifyKey.isEmpty())
        return QStringLiteral("no signing key is configured");
    if (token.isEmpty())
        return QStringLiteral("token missing");
    if (token.size() > MaxTokenBytes)
        return QStringLiteral("token too long");
    if (token.count('.') != 2)
        return QStringLiteral("token is not a JWT");
    // Checked before libjwt, which would otherwise verify with whatever algorithm the token
    // names: "none" with no key at all, or HS256 keyed with the RS256 public key.
    const QString algorithm = headerAlgorithm(token);
    if (algorithm.isEmpty())
        return QStringLiteral("token header is not valid");
    if (algorithm != tokenAlgorithmName(m_algorithm))
        return QStringLiteral("token algorithm %1 not accepted (the hub expects %2)")
            .arg(algorithm.left(16), tokenAlgorithmName(m_algorithm));

    jwt_t* raw = nullptr;
    // Always pass the key: libjwt accepts an unsigned ("alg": "none") token when the key is
    // NULL.
    const int rc =
        jwt_decode(&raw, token.constData(), keyBytes(m_verifyKey), int(m_verifyKey.size()));
    JwtPtr jwt(raw);
    if (rc != 0 || !jwt)
        return QStringLiteral("invalid token signature");
    if (jwt_get_alg(jwt.get()) != libjwtAlgorithm(m_algorithm))
        return QStringLiteral("token algorithm not accepted");

    char* json = jwt_get_grants_json(jwt.get(), nullptr);
    const QJsonObject claims =
        QJsonDocument::fromJson(json ? QByteArray(json) : QByteArray()).object();
    std::free(json);

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonValue exp = claims.value(QLatin1String("exp"));
    if (!exp.isDouble())
        return QStringLiteral("token has no expiry");
    if (exp.toDouble() + double(clockSkewSeconds) < double(now))
        return QStringLiteral("token expired");
    const QJsonValue nbf = claims.value(QLatin1String("nbf"));
    if (!nbf.isUndefined() && !nbf.isDouble())
        return QStringLiteral("token nbf is not a number");
    if (nbf.isDouble() && nbf.toDouble() - double(clockSkewSeconds) > double(now))
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
    identity.expiresAt = qint64(exp.toDouble()) * 1000;
    return identity;
}

QByteArray TokenVerifier::issue(const Identity& identity, std::chrono::seconds ttl) const
{
    if (m_signingKey.isEmpty())
        return {};
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
    if (jwt_set_alg(jwt.get(), libjwtAlgorithm(m_algorithm), keyBytes(m_signingKey),
                    int(m_signingKey.size())) != 0)
        return {};
    char* encoded = jwt_encode_str(jwt.get());
    if (!encoded)
        return {};
    QByteArray result(encoded);
    std::free(encoded);
    return result;
}

} // namespace switchboard
