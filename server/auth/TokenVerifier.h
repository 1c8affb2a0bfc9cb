#pragma once

// Verifies JWTs (libjwt) and turns their claims into an Identity: HS256 with a shared secret,
// or RS256 with a public key. libjwt checks the signature only, and takes the algorithm from
// the token itself; so the header's algorithm is checked here against the configured one
// before libjwt sees the token (an HS256 token "signed" with the RS256 public key as its
// secret, or an unsigned "alg": "none" token, never reaches the signature check), and `exp`
// and `nbf` are checked after it.

#include "Identity.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <variant>

namespace switchboard {

enum class TokenAlgorithm { HS256, RS256 };

QString tokenAlgorithmName(TokenAlgorithm algorithm);

class TokenVerifier {
public:
    // HS256 with `secret`, which both signs and verifies.
    explicit TokenVerifier(QByteArray secret);
    // `verifyKey`: the HS256 secret or the RS256 public key (PEM). `signingKey`: what issue()
    // signs with: the secret again, or the RS256 private key (PEM); empty for RS256 means this
    // verifier cannot issue.
    TokenVerifier(TokenAlgorithm algorithm, QByteArray verifyKey, QByteArray signingKey = {});

    TokenAlgorithm algorithm() const { return m_algorithm; }
    bool hasKey() const { return !m_verifyKey.isEmpty(); }
    bool canIssue() const { return !m_signingKey.isEmpty(); }

    // The identity, or a sentence saying why the token was refused.
    std::variant<Identity, QString> verify(const QByteArray& token) const;
    // Tokens verify() refused so far (sign-ins refused, for the hub's log); counted on the
    // thread that verifies, the hub's.
    quint64 refusedCount() const { return m_refused; }

    // A token for `identity` valid for `ttl`; empty when this verifier has no signing key or
    // libjwt refuses the key.
    QByteArray issue(const Identity& identity, std::chrono::seconds ttl) const;

    // Longest token looked at; anything longer is refused unread.
    static constexpr qsizetype MaxTokenBytes = 8192;

private:
    TokenAlgorithm m_algorithm;
    QByteArray m_verifyKey;
    QByteArray m_signingKey;
    mutable quint64 m_refused = 0;

    std::variant<Identity, QString> check(const QByteArray& token) const;
};

} // namespace switchboard
