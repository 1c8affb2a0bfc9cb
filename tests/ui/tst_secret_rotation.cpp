// Settings → "Rotate token secret…" against a real hub and a real keychain (a gnome-keyring in
// a D-Bus session of its own: see tests/security/with-keyring.sh): after the operator confirms,
// the keychain holds a new secret, the hub restarts with it, a token issued before is refused
// (REST 401, WebSocket upgrade refused) and one issued after is accepted; a connected client is
// closed and cannot come back with its old token; the new secret is in no log line and no file.
// Cancel changes nothing, and so does a rotation when the keychain cannot be reached. The button is
// disabled, with the reason under it, when the secret comes from JWT_SECRET_KEY, when tokens
// are RS256 (and then the Tokens panel says it cannot issue), and when authentication is off.

#include "HubHost.h"
#include "SettingsPanel.h"
#include "TestHub.h"
#include "TokensPanel.h"
#include "UiTesting.h"
#include "auth/SecretStore.h"
#include "config/ConfigLoader.h"

#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace switchboard;
using namespace switchboard::test;
using namespace switchboard::testing;
using namespace Qt::StringLiterals;

namespace {

const QString service = u"SwitchboardRotationTest"_s;

HubConfig keychainConfig()
{
    HubConfig config = testConfig();
    config.jwtSecret.clear(); // read (or made) in the keychain by HubHost::start()
    config.keychainService = service;
    return config;
}

// A token issued the way the console issues them (HubHost::issueToken, on the hub thread).
CommandResult issue(HubHost& host, const QString& subject = u"alice"_s)
{
    std::optional<CommandResult> answer;
    host.issueToken(subject, u"user"_s, {}, std::chrono::hours(1),
                    [&answer](const CommandResult& result) { answer = result; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 10000))
        return {false, {}, u"no answer"_s};
    return *answer;
}

// True when the hub upgrades a WebSocket with `token`, false when it refuses it.
bool upgrades(TestHub& hub, const QByteArray& token)
{
    QWebSocket socket;
    QSignalSpy connected(&socket, &QWebSocket::connected);
    QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
    socket.open(hub.ws(u"/ws/v1"_s, token));
    if (!QTest::qWaitFor([&] { return !connected.isEmpty() || !disconnected.isEmpty(); }, 10000))
        return false;
    const bool upgraded = !connected.isEmpty();
    socket.abort();
    return upgraded;
}

// Every message logged while installed, so a test can show the secret is in none of them.
QStringList& loggedMessages()
{
    static QStringList messages;
    return messages;
}

QtMessageHandler previousHandler = nullptr;

void recordMessage(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    loggedMessages().append(message);
    if (previousHandler)
        previousHandler(type, context, message);
}

// The files under `root` that contain `secret` (the encrypted keyring itself excepted).
QStringList filesContaining(const QString& root, const QByteArray& secret)
{
    QStringList found;
    QDirIterator files(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString path = files.next();
        QFile file(path);
        if (!path.endsWith(u".keyring"_s) && file.open(QIODevice::ReadOnly) &&
            file.readAll().contains(secret))
            found.append(path);
    }
    return found;
}

QPushButton* rotateButton(SettingsPanel& panel)
{
    return panel.findChild<QPushButton*>(u"rotateSecret"_s);
}

QMessageBox* confirmation(SettingsPanel& panel)
{
    return panel.findChild<QMessageBox*>(u"rotateSecretConfirmation"_s);
}

} // namespace

class tst_SecretRotation : public QObject {
    Q_OBJECT

    // Set by the run that points D-Bus at nothing (see tests/ui/CMakeLists.txt).
    static bool keychainAbsent()
    {
        return qEnvironmentVariableIsSet("SWITCHBOARD_TEST_NO_KEYCHAIN");
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(useEnglish());
        if (keychainAbsent())
            return;
        // A keychain must be reachable (the wrapper provides one); start from no entry.
        QVERIFY2(!SecretStore(service).forgetJwtSecret(), "no keychain: run with with-keyring.sh");
    }

    void rotationRefusesEarlierTokensAndAcceptsNewOnes()
    {
        loggedMessages().clear();
        previousHandler = qInstallMessageHandler(recordMessage);
        const auto restoreHandler = qScopeGuard([] { qInstallMessageHandler(previousHandler); });
        TestHub hub(keychainConfig());
        QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
        HubHost& host = *hub.host;
        QVERIFY(host.config().jwtSecretInKeychain);
        const QByteArray oldSecret = host.config().jwtSecret;
        QCOMPARE(SecretStore(service).jwtSecret().secret, oldSecret);

        const CommandResult before = issue(host);
        QVERIFY2(before.ok, qPrintable(before.error));
        const QByteArray oldToken = before.value.toLatin1();
        QCOMPARE(hub.send("GET", u"/api/jobs"_s, {}, oldToken).status, 200);
        QVERIFY(upgrades(hub, oldToken));

        // A client connected with the old token, and a token shown in the Tokens panel.
        QWebSocket client;
        QSignalSpy clientConnected(&client, &QWebSocket::connected);
        QSignalSpy clientClosed(&client, &QWebSocket::disconnected);
        client.open(hub.ws(u"/ws/v1"_s, oldToken));
        QVERIFY(clientConnected.wait(10000));
        TokensPanel tokens(host);
        tokens.findChild<QPushButton*>(u"tokenIssue"_s)->click();
        QTRY_VERIFY(!tokens.token().isEmpty());

        SettingsPanel panel(host);
        QPushButton* rotate = rotateButton(panel);
        QVERIFY(rotate);
        QVERIFY(rotate->isEnabled());
        QCOMPARE(panel.rotationBlockedReason(), QString());
        QCOMPARE(panel.rotationStatus(), QString());

        QSignalSpy finished(&panel, &SettingsPanel::secretRotationFinished);
        rotate->click();
        QTRY_VERIFY(confirmation(panel));
        QVERIFY(confirmation(panel)->informativeText().contains(u"Every token issued so far"_s));
        confirmation(panel)->findChild<QPushButton*>(u"rotateSecretConfirm"_s)->click();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY2(panel.rotationStatus().startsWith(u"Rotated at"_s),
                 qPrintable(panel.rotationStatus()));
        QVERIFY(rotate->isEnabled());
        QVERIFY(host.isRunning());

        // The hub and the keychain hold the same new secret, read back by a fresh store.
        const QByteArray newSecret = host.config().jwtSecret;
        QVERIFY(!newSecret.isEmpty());
        QVERIFY(newSecret != oldSecret);
        QVERIFY(host.config().jwtSecretInKeychain);
        const SecretStore::Result stored = SecretStore(service).jwtSecret();
        QCOMPARE(stored.secret, newSecret);
        QVERIFY(!stored.created);
        // ... and nowhere else: no log line, no file in the data folder or in the private home
        // with-keyring.sh gives the test.
        for (const QString& message : std::as_const(loggedMessages()))
            QVERIFY2(!message.contains(QString::fromLatin1(newSecret)), qPrintable(message));
        QCOMPARE(filesContaining(hub.dataDir(), newSecret), QStringList());
        if (QDir::homePath().startsWith(QDir::tempPath()))
            QCOMPARE(filesContaining(QDir::homePath(), newSecret), QStringList());

        // The old token: refused on REST and at the upgrade; the client it signed was closed.
        QTRY_VERIFY(!clientClosed.isEmpty());
        QCOMPARE(hub.send("GET", u"/api/jobs"_s, {}, oldToken).status, 401);
        QVERIFY(!upgrades(hub, oldToken));

        // The Tokens panel dropped the token it showed; a token issued now is accepted.
        QCOMPARE(tokens.token(), QString());
        QVERIFY2(tokens.statusText().contains(u"no longer works"_s),
                 qPrintable(tokens.statusText()));
        tokens.findChild<QPushButton*>(u"tokenIssue"_s)->click();
        QTRY_VERIFY(!tokens.token().isEmpty());
        const QByteArray newToken = tokens.token().toLatin1();
        QCOMPARE(hub.send("GET", u"/api/jobs"_s, {}, newToken).status, 200);
        QVERIFY(upgrades(hub, newToken));
        const CommandResult after = issue(host, u"bob"_s);
        QVERIFY2(after.ok, qPrintable(after.error));
        QCOMPARE(hub.send("GET", u"/api/jobs"_s, {}, after.value.toLatin1()).status, 200);
    }

    // As in the console: the panels exist before the hub starts and reads the keychain.
    void panelsBuiltBeforeTheHubStartsFollowIt()
    {
        QTemporaryDir dataDir;
        QVERIFY(dataDir.isValid());
        HubConfig config = keychainConfig();
        config.dataDir = dataDir.path();
        HubHost host(config);
        SettingsPanel panel(host);
        TokensPanel tokens(host);
        QVERIFY(!rotateButton(panel)->isEnabled());
        const std::optional<QString> error = host.start();
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        QVERIFY(rotateButton(panel)->isEnabled());
        QCOMPARE(panel.rotationStatus(), QString());
        QVERIFY(tokens.findChild<QPushButton*>(u"tokenIssue"_s)->isEnabled());
        QCOMPARE(tokens.statusText(), QString());
    }

    void cancelChangesNothing()
    {
        TestHub hub(keychainConfig());
        QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
        const QByteArray secret = hub.host->config().jwtSecret;
        const quint16 port = hub.host->port();
        SettingsPanel panel(*hub.host);
        QSignalSpy finished(&panel, &SettingsPanel::secretRotationFinished);
        QSignalSpy restarted(hub.host.get(), &HubHost::restarted);
        rotateButton(panel)->click();
        QTRY_VERIFY(confirmation(panel));
        confirmation(panel)->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!confirmation(panel));
        QCOMPARE(finished.size(), 0);
        QCOMPARE(restarted.size(), 0);
        QCOMPARE(hub.host->port(), port);
        QCOMPARE(hub.host->config().jwtSecret, secret);
        QCOMPARE(SecretStore(service).jwtSecret().secret, secret);
        QCOMPARE(panel.rotationStatus(), QString());
    }

    void disabledWhenTheSecretComesFromTheEnvironment()
    {
        // As the console gets it: JWT_SECRET_KEY through the settings loader.
        QProcessEnvironment environment;
        environment.insert(u"JWT_SECRET_KEY"_s, u"from-the-environment-0123456789abcdef"_s);
        const ConfigLoadResult loaded =
            ConfigLoader(u"switchboard"_s, {})
                .load({u"switchboard"_s, u"--port"_s, u"0"_s, u"--bind"_s, u"127.0.0.1"_s},
                      environment);
        QCOMPARE(loaded.kind, ConfigLoadResult::Kind::Run);
        HubConfig config = loaded.config;
        config.keychainService = service;
        config.dataDir.clear(); // the test hub's own
        TestHub hub(config);
        QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
        QVERIFY(!hub.host->config().jwtSecretInKeychain);

        SettingsPanel panel(*hub.host);
        QVERIFY(!rotateButton(panel)->isEnabled());
        QVERIFY2(panel.rotationStatus().contains(u"JWT_SECRET_KEY"_s),
                 qPrintable(panel.rotationStatus()));
        QCOMPARE(panel.rotationStatus(), panel.rotationBlockedReason());
        // Asked anyway (no button), it does nothing.
        QSignalSpy finished(&panel, &SettingsPanel::secretRotationFinished);
        panel.rotateSecret();
        QVERIFY(!confirmation(panel));
        QCOMPARE(finished.size(), 0);
        QCOMPARE(hub.host->config().jwtSecret, QByteArray("from-the-environment-0123456789abcdef"));
    }

    void disabledWithRs256AndTheTokensPanelSaysWhy()
    {
        QTemporaryDir keys;
        QVERIFY(keys.isValid());
        QProcess openssl;
        openssl.setWorkingDirectory(keys.path());
        openssl.start(u"openssl"_s, {u"genpkey"_s, u"-algorithm"_s, u"RSA"_s, u"-pkeyopt"_s,
                                     u"rsa_keygen_bits:2048"_s, u"-out"_s, u"private.pem"_s});
        QVERIFY(openssl.waitForFinished(30000));
        QCOMPARE(openssl.exitCode(), 0);
        openssl.start(u"openssl"_s, {u"pkey"_s, u"-in"_s, u"private.pem"_s, u"-pubout"_s});
        QVERIFY(openssl.waitForFinished(30000));
        QCOMPARE(openssl.exitCode(), 0);
        HubConfig config = keychainConfig();
        config.jwtPublicKey = openssl.readAllStandardOutput();
        QVERIFY(config.jwtPublicKey.contains("BEGIN PUBLIC KEY"));
        TestHub hub(config);
        QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));

        SettingsPanel panel(*hub.host);
        QVERIFY(!rotateButton(panel)->isEnabled());
        QVERIFY2(panel.rotationStatus().contains(u"RS256"_s), qPrintable(panel.rotationStatus()));

        // No token instead of an empty one: the panel says why, and so does the command.
        TokensPanel tokens(*hub.host);
        QVERIFY(!tokens.findChild<QPushButton*>(u"tokenIssue"_s)->isEnabled());
        QVERIFY2(tokens.statusText().contains(u"RS256"_s), qPrintable(tokens.statusText()));
        tokens.issue();
        QCOMPARE(tokens.token(), QString());
        QVERIFY(tokens.statusText().contains(u"RS256"_s));
        const CommandResult result = issue(*hub.host);
        QVERIFY(!result.ok);
        QCOMPARE(result.value, QString());
        QVERIFY(!result.error.isEmpty());
    }

    void disabledWhenAuthenticationIsOff()
    {
        HubConfig config = keychainConfig();
        config.authMode = AuthMode::Off;
        TestHub hub(config);
        QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
        SettingsPanel panel(*hub.host);
        QVERIFY(!rotateButton(panel)->isEnabled());
        QVERIFY2(panel.rotationStatus().contains(u"Authentication is off"_s),
                 qPrintable(panel.rotationStatus()));
        TokensPanel tokens(*hub.host);
        QVERIFY(!tokens.findChild<QPushButton*>(u"tokenIssue"_s)->isEnabled());
        QVERIFY(!tokens.statusText().isEmpty());

        // Turned on in Settings, the hub takes the keychain's secret and rotation is possible.
        QVERIFY(panel.findChild<QComboBox*>(u"setting_auth"_s));
        HubConfig on = hub.host->config();
        on.authMode = AuthMode::Required;
        QVERIFY(!hub.host->restart(on));
        QVERIFY(hub.host->config().jwtSecretInKeychain);
        QVERIFY(rotateButton(panel)->isEnabled());
        QCOMPARE(panel.rotationStatus(), QString());
        QVERIFY(tokens.findChild<QPushButton*>(u"tokenIssue"_s)->isEnabled());
        QCOMPARE(tokens.statusText(), QString());
    }

    // The keychain that held the secret at start is gone (no D-Bus session): the rotation is
    // refused with the keychain's reason next to the button, and nothing changes.
    void anUnreachableKeychainChangesNothing()
    {
        if (!keychainAbsent())
            QSKIP("runs as tst_secret_rotation_no_keychain, with no D-Bus session");
        HubConfig config = testConfig();
        config.keychainService = service;
        config.jwtSecretInKeychain = true; // as read at start, before the keychain went away
        TestHub hub(config);
        QVERIFY2(!hub.startError, qPrintable(hub.startError.value_or(QString())));
        const QByteArray token = hub.token(u"alice"_s, Role::User);
        const quint16 port = hub.host->port();
        SettingsPanel panel(*hub.host);
        QVERIFY(rotateButton(panel)->isEnabled());
        QSignalSpy finished(&panel, &SettingsPanel::secretRotationFinished);
        QSignalSpy restarted(hub.host.get(), &HubHost::restarted);
        rotateButton(panel)->click();
        QTRY_VERIFY(confirmation(panel));
        confirmation(panel)->findChild<QPushButton*>(u"rotateSecretConfirm"_s)->click();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(panel.rotationStatus().startsWith(u"Not rotated: the keychain"_s),
                 qPrintable(panel.rotationStatus()));
        QVERIFY(rotateButton(panel)->isEnabled()); // to try again once the keychain is back
        QCOMPARE(restarted.size(), 0);
        QCOMPARE(hub.host->port(), port);
        QCOMPARE(hub.host->config().jwtSecret, testSecret);
        QCOMPARE(hub.send("GET", u"/api/jobs"_s, {}, token).status, 200);
    }
};

QTEST_MAIN(tst_SecretRotation)
#include "tst_secret_rotation.moc"
