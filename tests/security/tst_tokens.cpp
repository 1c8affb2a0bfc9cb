// SPEC §4: which tokens the hub accepts, on every carrier (?token=, Authorization: Bearer, a
// first `auth` message, REST). HS256 with the secret; RS256 with --jwt-public-key (a key pair
// made with openssl at test time); refused: alg none, a bad signature, expired, not yet
// valid, and a token of another algorithm than the configured one.

#include "SecurityTesting.h"
#include "TestClient.h"
#include "TestHub.h"
#include "config/ConfigLoader.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

enum class Carrier { Query, BearerHeader, AuthMessage, Rest };

struct KeyPair {
    QByteArray privatePem;
    QByteArray publicPem;
};

} // namespace

Q_DECLARE_METATYPE(Carrier)

class tst_Tokens : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void hs256_data();
    void hs256();
    void rs256_data();
    void rs256();
    void configuredKeyFileIsRead();

private:
    void addCarrierRows(const QString& name, const QByteArray& token, bool accepted);
    // Presents `token` to `hub` on `carrier`; true when the hub took it as authenticated.
    bool accepted(TestHub& hub, Carrier carrier, const QByteArray& token, QString* why);

    QTemporaryDir m_keys;
    KeyPair m_rsa;
    KeyPair m_otherRsa;
};

void tst_Tokens::initTestCase()
{
    QVERIFY(m_keys.isValid());
    for (const QString& name : {QStringLiteral("hub"), QStringLiteral("other")}) {
        const QString privateFile = name + QStringLiteral("-private.pem");
        const QString publicFile = name + QStringLiteral("-public.pem");
        QString problem =
            openssl({QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("RSA"),
                     QStringLiteral("-pkeyopt"), QStringLiteral("rsa_keygen_bits:2048"),
                     QStringLiteral("-out"), privateFile},
                    m_keys.path());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        problem = openssl({QStringLiteral("pkey"), QStringLiteral("-in"), privateFile,
                           QStringLiteral("-pubout"), QStringLiteral("-out"), publicFile},
                          m_keys.path());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        KeyPair& pair = name == QLatin1String("hub") ? m_rsa : m_otherRsa;
        pair.privatePem = readAll(m_keys.filePath(privateFile));
        pair.publicPem = readAll(m_keys.filePath(publicFile));
        QVERIFY(pair.publicPem.contains("BEGIN PUBLIC KEY"));
    }
}

void tst_Tokens::addCarrierRows(const QString& name, const QByteArray& token, bool accepted)
{
    const std::pair<Carrier, const char*> carriers[] = {{Carrier::Query, "?token="},
                                                        {Carrier::BearerHeader, "Bearer upgrade"},
                                                        {Carrier::AuthMessage, "auth message"},
                                                        {Carrier::Rest, "REST Bearer"}};
    for (const auto& [carrier, label] : carriers)
        QTest::newRow(qPrintable(name + QStringLiteral(" / ") + QLatin1String(label)))
            << carrier << token << accepted;
}

bool tst_Tokens::accepted(TestHub& hub, Carrier carrier, const QByteArray& token, QString* why)
{
    switch (carrier) {
    case Carrier::Query:
    case Carrier::BearerHeader: {
        TestClient client;
        const bool open =
            carrier == Carrier::Query
                ? openOrRefused(client.socket, hub.ws(QStringLiteral("/ws/v1"), token))
                : openOrRefused(client.socket, hub.ws(), token);
        if (!open) {
            *why = QStringLiteral("upgrade refused");
            return false;
        }
        // An authenticated connection may list jobs; an anonymous one may not.
        const QJsonObject reply = client.request(QStringLiteral("jobs_list"), QStringLiteral("j"));
        *why = QString::fromUtf8(compactJson(reply));
        return reply.value(QLatin1String("type")).toString() != QLatin1String("error");
    }
    case Carrier::AuthMessage: {
        TestClient client;
        if (!client.open(hub.ws())) {
            *why = QStringLiteral("anonymous upgrade refused");
            return false;
        }
        const QJsonObject reply =
            client.request(QStringLiteral("auth"), QStringLiteral("a"),
                           {{QLatin1String("token"), QString::fromLatin1(token)}});
        *why = QString::fromUtf8(compactJson(reply));
        return reply.value(QLatin1String("type")).toString() != QLatin1String("error");
    }
    case Carrier::Rest: {
        const TestHub::Reply reply = hub.send("GET", QStringLiteral("/api/jobs"), {}, token);
        *why = QString::number(reply.status) + u' ' + QString::fromUtf8(reply.body);
        return reply.status == 200;
    }
    }
    return false;
}

void tst_Tokens::hs256_data()
{
    QTest::addColumn<Carrier>("carrier");
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("accepted");
    const qint64 now = QDateTime::currentSecsSinceEpoch();

    addCarrierRows(QStringLiteral("valid"), hs256Token(validClaims(), testSecret), true);
    addCarrierRows(QStringLiteral("alg none"), unsignedToken(validClaims()), false);
    QByteArray tampered = hs256Token(validClaims(), testSecret);
    tampered[tampered.size() - 2] = tampered.at(tampered.size() - 2) == 'A' ? 'B' : 'A';
    addCarrierRows(QStringLiteral("bad signature"), tampered, false);
    addCarrierRows(QStringLiteral("another secret"), hs256Token(validClaims(), "not-the-secret"),
                   false);
    QJsonObject expired = validClaims();
    expired.insert(QLatin1String("exp"), now - 3600);
    addCarrierRows(QStringLiteral("expired"), hs256Token(expired, testSecret), false);
    QJsonObject early = validClaims();
    early.insert(QLatin1String("nbf"), now + 3600);
    addCarrierRows(QStringLiteral("not yet valid"), hs256Token(early, testSecret), false);
    QJsonObject noExpiry = validClaims();
    noExpiry.remove(QLatin1String("exp"));
    addCarrierRows(QStringLiteral("no exp"), hs256Token(noExpiry, testSecret), false);
    // An RS256 token to a hub configured for HS256.
    addCarrierRows(QStringLiteral("RS256 token"),
                   TokenVerifier(TokenAlgorithm::RS256, m_rsa.publicPem, m_rsa.privatePem)
                       .issue(Identity{QStringLiteral("alice"), {}, {}, Role::User, {}},
                              std::chrono::hours(1)),
                   false);
    addCarrierRows(
        QStringLiteral("HS384 header"),
        hmacToken({{QLatin1String("alg"), QLatin1String("HS384")}}, validClaims(), testSecret),
        false);
    addCarrierRows(QStringLiteral("garbage"), QByteArray("eyJhbGciOiJIUzI1NiJ9.e30.x"), false);
}

void tst_Tokens::hs256()
{
    QFETCH(Carrier, carrier);
    QFETCH(QByteArray, token);
    QFETCH(bool, accepted);
    TestHub hub;
    QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
    QString why;
    QVERIFY2(this->accepted(hub, carrier, token, &why) == accepted, qPrintable(why));
}

void tst_Tokens::rs256_data()
{
    QTest::addColumn<Carrier>("carrier");
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("accepted");
    const Identity alice{QStringLiteral("alice"), {}, {}, Role::User, {}};

    addCarrierRows(QStringLiteral("signed with the private key"),
                   TokenVerifier(TokenAlgorithm::RS256, m_rsa.publicPem, m_rsa.privatePem)
                       .issue(alice, std::chrono::hours(1)),
                   true);
    addCarrierRows(QStringLiteral("signed with another private key"),
                   TokenVerifier(TokenAlgorithm::RS256, m_otherRsa.publicPem, m_otherRsa.privatePem)
                       .issue(alice, std::chrono::hours(1)),
                   false);
    addCarrierRows(QStringLiteral("expired"),
                   TokenVerifier(TokenAlgorithm::RS256, m_rsa.publicPem, m_rsa.privatePem)
                       .issue(alice, std::chrono::hours(-1)),
                   false);
    // The algorithm-confusion forgery: HS256 keyed with the (public) RS256 key.
    addCarrierRows(QStringLiteral("HS256 keyed with the public key"),
                   hs256Token(validClaims(), m_rsa.publicPem), false);
    addCarrierRows(QStringLiteral("HS256 with the test secret"),
                   hs256Token(validClaims(), testSecret), false);
    addCarrierRows(QStringLiteral("alg none"), unsignedToken(validClaims()), false);
}

void tst_Tokens::rs256()
{
    QFETCH(Carrier, carrier);
    QFETCH(QByteArray, token);
    QFETCH(bool, accepted);
    QVERIFY(!token.isEmpty());
    HubConfig config = testConfig();
    config.jwtPublicKey = m_rsa.publicPem;
    TestHub hub(config);
    QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
    QString why;
    QVERIFY2(this->accepted(hub, carrier, token, &why) == accepted, qPrintable(why));
}

void tst_Tokens::configuredKeyFileIsRead()
{
    // --jwt-public-key names a file; the loader reads it, and a file that is not a public
    // key is a one-line error.
    const ConfigLoader loader(QStringLiteral("switchboard-server"), {});
    const QString publicFile = m_keys.filePath(QStringLiteral("hub-public.pem"));
    ConfigLoadResult loaded = loader.load(
        {QStringLiteral("switchboard-server"), QStringLiteral("--jwt-public-key"), publicFile},
        QProcessEnvironment());
    QCOMPARE(int(loaded.kind), int(ConfigLoadResult::Kind::Run));
    QCOMPARE(loaded.config.jwtPublicKey, m_rsa.publicPem);

    loaded = loader.load({QStringLiteral("switchboard-server"), QStringLiteral("--jwt-public-key"),
                          m_keys.filePath(QStringLiteral("hub-private.pem"))},
                         QProcessEnvironment());
    QCOMPARE(loaded.exitCode, 2);
    QVERIFY2(loaded.output.startsWith(QStringLiteral("switchboard-server: --jwt-public-key: ")),
             qPrintable(loaded.output));
    loaded = loader.load({QStringLiteral("switchboard-server"), QStringLiteral("--jwt-public-key"),
                          m_keys.filePath(QStringLiteral("missing.pem"))},
                         QProcessEnvironment());
    QCOMPARE(loaded.exitCode, 2);
    QCOMPARE(loaded.output.count(u'\n'), 1);
}

QTEST_MAIN(tst_Tokens)
#include "tst_tokens.moc"
