// How the generator's clients sign in: the HS256 tokens it signs itself must be ones the hub's
// JWT library (libjwt, as TokenVerifier uses it) accepts, with the claims the hub reads.

#include "Token.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cstdlib>
#include <jwt.h>
#include <memory>

using namespace loadgen;

namespace {

struct JwtDeleter {
    void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};

// The token's claims if libjwt verifies it with key, else an empty object.
QJsonObject verifiedClaims(const std::string& token, const QByteArray& key)
{
    jwt_t* raw = nullptr;
    if (jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(key.constData()),
                   int(key.size())) != 0)
        return {};
    std::unique_ptr<jwt_t, JwtDeleter> jwt(raw);
    if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256)
        return {};
    char* json = jwt_get_grants_json(jwt.get(), nullptr);
    const QJsonObject claims = QJsonDocument::fromJson(QByteArray(json)).object();
    std::free(json);
    return claims;
}

} // namespace

class TestLoadgenSignIn : public QObject {
    Q_OBJECT

private slots:
    void signsTheWellKnownExample()
    {
        // jwt.io's example token: header and payload in that byte order, and its secret.
        const std::string token =
            signHs256(R"({"sub":"1234567890","name":"John Doe","iat":1516239022})",
                      QByteArrayLiteral("your-256-bit-secret"));
        QCOMPARE(QString::fromStdString(token),
                 QStringLiteral("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                                "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2"
                                "MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"));
    }

    void makesTokensTheHubAccepts()
    {
        const QByteArray secret("switchboard-bench-only-not-a-secret-0123456789abcdef");
        const std::string token = benchToken(secret, "bench-user", "user", 1'800'000'000, 3600);
        const QJsonObject claims = verifiedClaims(token, secret);
        QCOMPARE(claims.value(QStringLiteral("sub")).toString(), QStringLiteral("bench-user"));
        QCOMPARE(claims.value(QStringLiteral("role")).toString(), QStringLiteral("user"));
        QCOMPARE(claims.value(QStringLiteral("iat")).toInteger(), qint64(1'800'000'000));
        QCOMPARE(claims.value(QStringLiteral("exp")).toInteger(), qint64(1'800'003'600));
        // Base64url without padding: safe in ?token= as it is.
        QVERIFY(token.find_first_of("+/=") == std::string::npos);
    }

    void aWrongSecretIsRefused()
    {
        const std::string token = benchToken("one secret", "bench-user", "user", 0, 60);
        QVERIFY(verifiedClaims(token, "another secret").isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestLoadgenSignIn)
#include "tst_loadgen_signin.moc"
