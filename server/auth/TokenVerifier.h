#pragma once

// Verifies HS256 JWTs (libjwt) and turns their claims into an Identity. libjwt checks the
// signature only; the algorithm, `exp` and `nbf` are checked here.

#include "Identity.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <variant>

namespace switchboard {

class TokenVerifier {
public:
    explicit TokenVerifier(QByteArray secret);

    bool hasKey() const { return !m_secret.isEmpty(); }
    // The identity, or a sentence saying why the token was refused.
    std::variant<Identity, QString> verify(const QByteArray& token) const;

    // Signs a token with the same secret (tests, and the token command of a later issue).
    QByteArray issue(const Identity& identity, std::chrono::seconds ttl) const;

private:
    QByteArray m_secret;
};

} // namespace switchboard
