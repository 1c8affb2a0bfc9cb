// SPEC §1, §7: the JWT secret is generated on first start and kept in the OS keychain
// (QtKeychain, here a real gnome-keyring in a private D-Bus session: see with-keyring.sh);
// JWT_SECRET_KEY overrides it; it appears in no file and no log line; without a reachable
// keychain the program says so in one line and does not start. `switchboard-server token
// issue` signs with the same secret.

#include "SecurityTesting.h"
#include "TestHub.h"
#include "auth/SecretStore.h"

#include <QDirIterator>
#include <QProcess>
#include <QtTest>

using namespace switchboard;
using namespace switchboard::test;

namespace {

const QString service = QStringLiteral("Switchboard");

HubConfig keychainConfig()
{
    HubConfig config = testConfig();
    config.jwtSecret.clear(); // from the keychain
    return config;
}

Identity alice()
{
    Identity identity;
    identity.subject = QStringLiteral("alice");
    identity.role = Role::Admin;
    identity.tenant = QStringLiteral("acme");
    return identity;
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runServer(const QStringList& arguments, const QProcessEnvironment& environment,
              int timeoutMs = 20000)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(SWITCHBOARD_SERVER_PATH), arguments);
    Run run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("JWT_SECRET_KEY"));
    return environment;
}

} // namespace

class tst_Keychain : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void firstStartGeneratesAndKeepsTheSecret();
    void environmentOverridesTheKeychain();
    void tokenCommandSignsWithTheKeychainSecret();
    void tokenCommandRejectsBadArguments();
    void secretIsInNoFileAndNoLog();
    void noKeychainIsOneClearLine();
};

void tst_Keychain::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "run through with-keyring.sh (a D-Bus session with gnome-keyring)");
    QVERIFY(!SecretStore(service).forgetJwtSecret());
}

void tst_Keychain::firstStartGeneratesAndKeepsTheSecret()
{
    QVERIFY(!SecretStore(service).forgetJwtSecret());
    QByteArray token;
    {
        TestHub hub(keychainConfig());
        QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
        const SecretStore::Result stored = SecretStore(service).jwtSecret();
        QVERIFY2(stored.error.isEmpty(), qPrintable(stored.error));
        QVERIFY(!stored.created); // the hub made it
        QVERIFY(stored.secret.size() >= 32);
        token = TokenVerifier(stored.secret).issue(alice(), std::chrono::hours(1));
        QCOMPARE(hub.send("GET", QStringLiteral("/api/v1/ws/stats"), {}, token).status, 200);
        // The test secret is not what the hub verifies with.
        QCOMPARE(hub.send("GET", QStringLiteral("/api/v1/ws/stats"), {},
                          hub.token(QStringLiteral("x"), Role::Admin))
                     .status,
                 401);
    }
    // A restart reads the same secret back: tokens issued before stay valid.
    TestHub again(keychainConfig());
    QVERIFY(!again.startError);
    QCOMPARE(again.send("GET", QStringLiteral("/api/v1/ws/stats"), {}, token).status, 200);
}

void tst_Keychain::environmentOverridesTheKeychain()
{
    const SecretStore::Result stored = SecretStore(service).jwtSecret();
    QVERIFY(!stored.secret.isEmpty());
    HubConfig config = testConfig(); // JWT_SECRET_KEY given
    TestHub hub(config);
    QVERIFY(!hub.startError);
    const QByteArray keychainToken =
        TokenVerifier(stored.secret).issue(alice(), std::chrono::hours(1));
    QCOMPARE(hub.send("GET", QStringLiteral("/api/v1/ws/stats"), {}, keychainToken).status, 401);
    QCOMPARE(hub.send("GET", QStringLiteral("/api/v1/ws/stats"), {},
                      hub.token(QStringLiteral("x"), Role::Admin))
                 .status,
             200);
}

void tst_Keychain::tokenCommandSignsWithTheKeychainSecret()
{
    const Run run =
        runServer({QStringLiteral("token"), QStringLiteral("issue"), QStringLiteral("--sub"),
                   QStringLiteral("alice"), QStringLiteral("--role"), QStringLiteral("admin"),
                   QStringLiteral("--tenant"), QStringLiteral("acme"), QStringLiteral("--ttl"),
                   QStringLiteral("24h")},
                  cleanEnvironment());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QByteArray token = run.out.trimmed();
    QCOMPARE(run.out.count('\n'), 1);
    const SecretStore::Result stored = SecretStore(service).jwtSecret();
    const auto verified = TokenVerifier(stored.secret).verify(token);
    QVERIFY2(
        std::holds_alternative<Identity>(verified),
        qPrintable(std::get_if<QString>(&verified) ? *std::get_if<QString>(&verified) : QString()));
    const Identity identity = std::get<Identity>(verified);
    QCOMPARE(identity.subject, QStringLiteral("alice"));
    QCOMPARE(identity.role, Role::Admin);
    QCOMPARE(identity.tenant, QStringLiteral("acme"));
    const QJsonObject claims =
        QJsonDocument::fromJson(
            QByteArray::fromBase64(token.split('.').at(1), QByteArray::Base64UrlEncoding))
            .object();
    const qint64 ttl = qint64(claims.value(QLatin1String("exp")).toDouble()) -
                       qint64(claims.value(QLatin1String("iat")).toDouble());
    QCOMPARE(ttl, qint64(24 * 3600));

    // With JWT_SECRET_KEY it signs with that instead.
    QProcessEnvironment environment = cleanEnvironment();
    environment.insert(QStringLiteral("JWT_SECRET_KEY"), QString::fromLatin1(testSecret));
    const Run withSecret = runServer({QStringLiteral("token"), QStringLiteral("issue"),
                                      QStringLiteral("--sub"), QStringLiteral("bob")},
                                     environment);
    QCOMPARE(withSecret.exitCode, 0);
    QVERIFY(std::holds_alternative<Identity>(
        TokenVerifier(testSecret).verify(withSecret.out.trimmed())));
}

void tst_Keychain::tokenCommandRejectsBadArguments()
{
    const QList<QStringList> bad = {
        {QStringLiteral("token"), QStringLiteral("issue")},
        {QStringLiteral("token"), QStringLiteral("issue"), QStringLiteral("--sub"),
         QStringLiteral("a"), QStringLiteral("--role"), QStringLiteral("root")},
        {QStringLiteral("token"), QStringLiteral("issue"), QStringLiteral("--sub"),
         QStringLiteral("a"), QStringLiteral("--ttl"), QStringLiteral("soon")},
        {QStringLiteral("token"), QStringLiteral("revoke")},
    };
    for (const QStringList& arguments : bad) {
        const Run run = runServer(arguments, cleanEnvironment());
        QVERIFY2(run.exitCode == 2, qPrintable(arguments.join(u' ')));
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY(run.out.isEmpty());
    }
}

void tst_Keychain::secretIsInNoFileAndNoLog()
{
    QTemporaryDir dataDir;
    QProcess server;
    server.setProcessEnvironment(cleanEnvironment());
    server.start(QStringLiteral(SWITCHBOARD_SERVER_PATH),
                 {QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                  QStringLiteral("0"), QStringLiteral("--data-dir"), dataDir.path()});
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += server.readAllStandardError()).contains("listening on"),
                             20000);
    const SecretStore::Result stored = SecretStore(service).jwtSecret();
    QVERIFY(!stored.secret.isEmpty());
    server.terminate();
    QVERIFY(server.waitForFinished(10000));
    err += server.readAllStandardError();
    const QByteArray out = server.readAllStandardOutput();
    QVERIFY(!err.contains(stored.secret));
    QVERIFY(!out.contains(stored.secret));
    // Nowhere under the data dir or the (private) home either.
    for (const QString& root : {dataDir.path(), QDir::homePath()}) {
        QDirIterator files(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString path = files.next();
            if (path.endsWith(QLatin1String(".keyring")))
                continue; // the keyring itself (encrypted)
            QVERIFY2(!readAll(path).contains(stored.secret), qPrintable(path));
        }
    }
}

void tst_Keychain::noKeychainIsOneClearLine()
{
    QProcessEnvironment environment = cleanEnvironment();
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    environment.remove(QStringLiteral("DISPLAY"));
    QTemporaryDir dataDir;
    const Run server =
        runServer({QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                   QStringLiteral("0"), QStringLiteral("--data-dir"), dataDir.path()},
                  environment);
    QCOMPARE(server.exitCode, 2);
    QCOMPARE(server.err.count('\n'), 1);
    QVERIFY2(server.err.contains("JWT_SECRET_KEY") && server.err.contains("keychain"),
             server.err.constData());

    const Run token = runServer({QStringLiteral("token"), QStringLiteral("issue"),
                                 QStringLiteral("--sub"), QStringLiteral("alice")},
                                environment);
    QCOMPARE(token.exitCode, 2);
    QCOMPARE(token.err.count('\n'), 1);
    QVERIFY(token.out.isEmpty());

    // --auth off needs no secret at all.
    QProcess open;
    open.setProcessEnvironment(environment);
    open.start(QStringLiteral(SWITCHBOARD_SERVER_PATH),
               {QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                QStringLiteral("0"), QStringLiteral("--data-dir"), dataDir.path(),
                QStringLiteral("--auth"), QStringLiteral("off")});
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += open.readAllStandardError()).contains("listening on"), 20000);
    open.terminate();
    QVERIFY(open.waitForFinished(10000));
}

QTEST_MAIN(tst_Keychain)
#include "tst_keychain.moc"
