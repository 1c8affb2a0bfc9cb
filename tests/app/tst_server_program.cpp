// The headless program as SPEC §1 and §8 promise it: the real switchboard-server executable,
// started with QProcess. Its command line (--help, --version, one-line errors with exit code
// 2) and its graceful shutdown (SIGTERM, SIGINT, POST /api/v1/ws/shutdown: clients closed
// with 1001, exit 0 within 5 s).

#include "TestClient.h"
#include "auth/TokenVerifier.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#if defined(Q_OS_UNIX)
#include <csignal>
#include <sys/types.h>
#include <unistd.h>
#endif

#ifndef SWITCHBOARD_SERVER_PATH
#error "SWITCHBOARD_SERVER_PATH names the program under test (tests/app/CMakeLists.txt)"
#endif

using namespace switchboard;
using namespace switchboard::test;

namespace {

const QByteArray secret = "program-test-secret-0123456789abcdef";
constexpr int startTimeoutMs = 10000;
constexpr int gracefulStopMs = 5000; // SPEC §8

// One run of the real program, with an environment of its own: nothing of the caller's
// Switchboard settings leaks in, and a temporary HOME and data dir keep it off real files.
class ServerProcess {
public:
    ServerProcess()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const QStringList keys = environment.keys();
        for (const QString& key : keys) {
            if (key.startsWith(QLatin1String("SWITCHBOARD_")) ||
                key.startsWith(QLatin1String("WEBSOCKET_")) ||
                key == QLatin1String("JWT_SECRET_KEY"))
                environment.remove(key);
        }
        environment.insert(QStringLiteral("HOME"), home.path());
        environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                           home.filePath(QStringLiteral("config")));
        process.setProcessEnvironment(environment);
        process.setProgram(QStringLiteral(SWITCHBOARD_SERVER_PATH));
        QObject::connect(&process, &QProcess::readyReadStandardError, &process,
                         [this] { errors += process.readAllStandardError(); });
        QObject::connect(&process, &QProcess::readyReadStandardOutput, &process,
                         [this] { output += process.readAllStandardOutput(); });
    }

    ~ServerProcess()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill(); // only this test's own child, by its pid
            process.waitForFinished(5000);
        }
    }

    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    void setEnvironment(const QString& name, const QString& value)
    {
        QProcessEnvironment environment = process.processEnvironment();
        environment.insert(name, value);
        process.setProcessEnvironment(environment);
    }

    void withSecret()
    {
        setEnvironment(QStringLiteral("JWT_SECRET_KEY"), QString::fromLatin1(secret));
    }

    // Loopback, any free port, a temporary data dir; `extra` comes last and so wins.
    QStringList serverArguments(const QStringList& extra = {}) const
    {
        return QStringList{QStringLiteral("--bind"),     QStringLiteral("127.0.0.1"),
                           QStringLiteral("--port"),     QStringLiteral("0"),
                           QStringLiteral("--data-dir"), dataDir.path()} +
               extra;
    }

    void start(const QStringList& arguments)
    {
        process.setArguments(arguments);
        process.start();
    }

    // Runs to the end; false when it did not end within `timeoutMs`.
    bool waitFinished(int timeoutMs = startTimeoutMs)
    {
        if (process.state() == QProcess::NotRunning)
            return collect();
        QSignalSpy finished(&process, &QProcess::finished);
        return (finished.wait(timeoutMs) || process.state() == QProcess::NotRunning) && collect();
    }

    // Waits for "listening on http://ADDRESS:PORT" and returns the port; 0 when the program
    // ended or did not say it in time.
    quint16 waitListening(int timeoutMs = startTimeoutMs)
    {
        static const QRegularExpression line(
            QStringLiteral("listening on http://([^\\s/]+):(\\d+)"));
        // The outcome is read from `errors` below, whichever way the wait ended.
        // The hub's own log line also says "listening on"; only the program's line with the
        // scheme counts, so wait for that one.
        [[maybe_unused]] const bool settled = QTest::qWaitFor(
            [this] {
                return line.match(QString::fromLocal8Bit(errors)).hasMatch() ||
                       process.state() == QProcess::NotRunning;
            },
            timeoutMs);
        const QRegularExpressionMatch match = line.match(QString::fromLocal8Bit(errors));
        port = match.hasMatch() ? quint16(match.captured(2).toUInt()) : 0;
        return port;
    }

    QByteArray token(Role role) const
    {
        Identity identity;
        identity.subject = QStringLiteral("program-test-") + roleName(role);
        identity.role = role;
        return TokenVerifier(secret).issue(identity, std::chrono::seconds(600));
    }

    QUrl url(const QString& scheme, const QString& path, const QByteArray& token = {}) const
    {
        QUrl result(QStringLiteral("%1://127.0.0.1:%2%3").arg(scheme).arg(port).arg(path));
        if (!token.isEmpty())
            result.setQuery(QStringLiteral("token=") + QString::fromLatin1(token));
        return result;
    }

    // What a failure message should show.
    QByteArray describe() const
    {
        return "exit code " + QByteArray::number(process.exitCode()) + ", status " +
               QByteArray(process.exitStatus() == QProcess::NormalExit ? "normal" : "crashed") +
               ", stdout: \"" + output + "\", stderr: \"" + errors + '"';
    }

    QTemporaryDir home;
    QTemporaryDir dataDir;
    QProcess process;
    QByteArray output;
    QByteArray errors;
    quint16 port = 0;

private:
    bool collect()
    {
        errors += process.readAllStandardError();
        output += process.readAllStandardOutput();
        return true;
    }
};

struct HttpReply {
    int status = 0;
    QByteArray body;
};

HttpReply httpSend(QNetworkAccessManager& network, const QByteArray& method, const QUrl& url,
                   const QByteArray& body = {}, const QByteArray& bearer = {})
{
    QNetworkRequest request(url);
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    QNetworkReply* reply = network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    HttpReply result{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                     reply->readAll()};
    reply->deleteLater();
    return result;
}

// The entries of --help: each starts on a line indented by two spaces ("  --port N"), its
// description lines are indented further. Returns {head line, the entry's text on one line}.
QList<QPair<QString, QString>> helpEntries(const QString& help)
{
    static const QRegularExpression entryStart(QStringLiteral("^  (\\S.*)$"),
                                               QRegularExpression::MultilineOption);
    QList<qsizetype> starts;
    for (const auto& match : entryStart.globalMatch(help))
        starts.append(match.capturedStart());
    starts.append(help.size());
    QList<QPair<QString, QString>> entries;
    for (qsizetype i = 0; i + 1 < starts.size(); ++i) {
        const QString text = help.mid(starts[i], starts[i + 1] - starts[i]);
        entries.append({text.section(u'\n', 0, 0).trimmed(), text.simplified()});
    }
    return entries;
}

// Empty when `errors` is exactly one line that names `setting`.
QString oneLineProblem(const QByteArray& errors, const QString& setting)
{
    if (errors.count('\n') != 1 || !errors.endsWith('\n'))
        return QStringLiteral("not exactly one line on stderr");
    if (!QString::fromLocal8Bit(errors).contains(setting))
        return QStringLiteral("the line does not name %1").arg(setting);
    return {};
}

} // namespace

class tst_ServerProgram : public QObject {
    Q_OBJECT

private slots:
    void versionPrintsTheVersion();
    void helpListsEverySettingWithItsDefault();
    void servesHealthAndItsVersion();
    void badSettingIsOneLineAndExitCode2_data();
    void badSettingIsOneLineAndExitCode2();
    void portInUseIsOneLineAndExitCode2();
    void requiredAuthWithoutSecretRefusesToStart_data();
    void requiredAuthWithoutSecretRefusesToStart();
    void authOffNeedsNoSecret();
    void gracefulShutdown_data();
    void gracefulShutdown();
    void connectionLogNeverShowsTokens();
};

void tst_ServerProgram::versionPrintsTheVersion()
{
    ServerProcess server;
    server.start({QStringLiteral("--version")});
    QVERIFY(server.waitFinished());
    QVERIFY2(server.process.exitStatus() == QProcess::NormalExit, server.describe().constData());
    QCOMPARE(server.process.exitCode(), 0);
    QCOMPARE(server.output, QByteArray("switchboard-server " SWITCHBOARD_VERSION "\n"));
    QCOMPARE(server.errors, QByteArray());
}

void tst_ServerProgram::helpListsEverySettingWithItsDefault()
{
    ServerProcess server;
    server.start({QStringLiteral("--help")});
    QVERIFY(server.waitFinished());
    QVERIFY2(server.process.exitStatus() == QProcess::NormalExit, server.describe().constData());
    QCOMPARE(server.process.exitCode(), 0);
    QCOMPARE(server.errors, QByteArray());
    const QString help = QString::fromLocal8Bit(server.output);

    // --help and --version aside, every entry states its default.
    const QList<QPair<QString, QString>> entries = helpEntries(help);
    QVERIFY(entries.size() >= 10);
    for (const auto& [head, text] : entries) {
        if (head.contains(QLatin1String("--help")) || head.contains(QLatin1String("--version")))
            continue;
        QVERIFY2(text.contains(QLatin1String("Default:")), qPrintable(head));
    }

    // The settings of SPEC §1 this build has, with the spec's defaults.
    const QList<QPair<QString, QString>> expected{
        {QStringLiteral("--bind"), QStringLiteral("Default: any")},
        {QStringLiteral("--port"), QStringLiteral("Default: 8000")},
        {QStringLiteral("--auth"), QStringLiteral("Default: required")},
        {QStringLiteral("--data-dir"), QStringLiteral("Default: ")},
        {QStringLiteral("--max-connections"), QStringLiteral("Default: 20000")},
        {QStringLiteral("--max-message-bytes"), QStringLiteral("Default: 1048576")},
        {QStringLiteral("--ping-interval"), QStringLiteral("WEBSOCKET_PING_INTERVAL")},
        {QStringLiteral("--ping-interval"), QStringLiteral("Default: 25")},
        {QStringLiteral("--ping-timeout"), QStringLiteral("WEBSOCKET_PING_TIMEOUT")},
        {QStringLiteral("--ping-timeout"), QStringLiteral("Default: 60")},
        {QStringLiteral("JWT_SECRET_KEY"), QStringLiteral("Default:")},
        {QStringLiteral("--demo"), QStringLiteral("Default: off")},
        {QStringLiteral("--config"), QStringLiteral("Default:")},
    };
    for (const auto& [setting, fragment] : expected) {
        bool found = false;
        for (const auto& [head, text] : entries) {
            if (head.section(u' ', 0, 0) == setting) {
                found = true;
                QVERIFY2(text.contains(fragment), qPrintable(setting + u": " + text));
            }
        }
        QVERIFY2(found, qPrintable(setting + QStringLiteral(" is not in --help")));
    }
}

void tst_ServerProgram::servesHealthAndItsVersion()
{
    ServerProcess server;
    server.withSecret();
    server.start(server.serverArguments());
    QVERIFY2(server.waitListening() != 0, server.describe().constData());
    QNetworkAccessManager network;
    const HttpReply health =
        httpSend(network, "GET", server.url(QStringLiteral("http"), QStringLiteral("/health")));
    QCOMPARE(health.status, 200);
    QCOMPARE(
        QJsonDocument::fromJson(health.body).object().value(QStringLiteral("status")).toString(),
        QStringLiteral("healthy"));
    const HttpReply info =
        httpSend(network, "GET", server.url(QStringLiteral("http"), QStringLiteral("/")));
    QCOMPARE(
        QJsonDocument::fromJson(info.body).object().value(QStringLiteral("version")).toString(),
        QStringLiteral(SWITCHBOARD_VERSION));
}

void tst_ServerProgram::badSettingIsOneLineAndExitCode2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("variable"); // NAME=value for the environment; empty: none
    QTest::addColumn<QString>("setting");  // what the line must name
    QTest::addColumn<QString>("config");   // a config file to create: "missing", "dir", "0000"

    QTest::newRow("unknown flag") << QStringList{QStringLiteral("--frobnicate")} << QString()
                                  << QStringLiteral("--frobnicate") << QString();
    QTest::newRow("port abc") << QStringList{QStringLiteral("--port"), QStringLiteral("abc")}
                              << QString() << QStringLiteral("--port") << QString();
    QTest::newRow("port 70000") << QStringList{QStringLiteral("--port"), QStringLiteral("70000")}
                                << QString() << QStringLiteral("--port") << QString();
    QTest::newRow("port -1") << QStringList{QStringLiteral("--port=-1")} << QString()
                             << QStringLiteral("--port") << QString();
    QTest::newRow("auth maybe") << QStringList{QStringLiteral("--auth"), QStringLiteral("maybe")}
                                << QString() << QStringLiteral("--auth") << QString();
    QTest::newRow("bind nonsense")
        << QStringList{QStringLiteral("--bind"), QStringLiteral("not-an-address")} << QString()
        << QStringLiteral("--bind") << QString();
    QTest::newRow("port abc in the environment")
        << QStringList() << QStringLiteral("SWITCHBOARD_PORT=abc")
        << QStringLiteral("SWITCHBOARD_PORT") << QString();
    QTest::newRow("redis not a redis URL")
        << QStringList{QStringLiteral("--redis"), QStringLiteral("http://127.0.0.1:6379")}
        << QString() << QStringLiteral("--redis") << QString();
    QTest::newRow("redis port out of range")
        << QStringList{QStringLiteral("--redis"), QStringLiteral("redis://127.0.0.1:70000")}
        << QString() << QStringLiteral("--redis") << QString();
    QTest::newRow("REDIS_URL bad in the environment")
        << QStringList() << QStringLiteral("REDIS_URL=redis://:secret@")
        << QStringLiteral("REDIS_URL") << QString();
    QTest::newRow("config file missing")
        << QStringList() << QString() << QStringLiteral("--config") << QStringLiteral("missing");
    QTest::newRow("config file is a directory")
        << QStringList() << QString() << QStringLiteral("--config") << QStringLiteral("dir");
    QTest::newRow("config file unreadable")
        << QStringList() << QString() << QStringLiteral("--config") << QStringLiteral("0000");
}

void tst_ServerProgram::badSettingIsOneLineAndExitCode2()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, variable);
    QFETCH(QString, setting);
    QFETCH(QString, config);

    ServerProcess server;
    server.withSecret();
    if (!variable.isEmpty())
        server.setEnvironment(variable.section(u'=', 0, 0), variable.section(u'=', 1));
    if (!config.isEmpty()) {
        QString path = server.dataDir.filePath(QStringLiteral("switchboard.ini"));
        if (config == QLatin1String("dir")) {
            path = server.dataDir.path();
        } else if (config == QLatin1String("0000")) {
#if defined(Q_OS_UNIX)
            if (::geteuid() == 0)
                QSKIP("root reads any file whatever its mode");
#endif
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("port=9000\n");
            file.close();
            QVERIFY(file.setPermissions(QFileDevice::Permissions()));
        }
        arguments << QStringLiteral("--config") << path;
    }
    server.start(server.serverArguments(arguments));
    QVERIFY2(server.waitFinished(), "it started anyway");
    QVERIFY2(server.process.exitStatus() == QProcess::NormalExit, server.describe().constData());
    QVERIFY2(server.process.exitCode() == 2, server.describe().constData());
    const QString problem = oneLineProblem(server.errors, setting);
    QVERIFY2(problem.isEmpty(),
             qPrintable(problem + u' ' + QString::fromLocal8Bit(server.describe())));
    QCOMPARE(server.output, QByteArray());
    // A Redis URL's password is never echoed.
    QVERIFY2(!server.errors.contains(":secret@"), server.errors.constData());
}

void tst_ServerProgram::portInUseIsOneLineAndExitCode2()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    ServerProcess server;
    server.withSecret();
    server.start(
        server.serverArguments({QStringLiteral("--port"), QString::number(occupant.serverPort())}));
    QVERIFY2(server.waitFinished(), "it started on a port already in use");
    QVERIFY2(server.process.exitStatus() == QProcess::NormalExit, server.describe().constData());
    QVERIFY2(server.process.exitCode() == 2, server.describe().constData());
    const QString problem = oneLineProblem(server.errors, QStringLiteral("--port"));
    QVERIFY2(problem.isEmpty(),
             qPrintable(problem + u' ' + QString::fromLocal8Bit(server.describe())));
}

void tst_ServerProgram::requiredAuthWithoutSecretRefusesToStart_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("--auth required")
        << QStringList{QStringLiteral("--auth"), QStringLiteral("required")};
    QTest::newRow("the default auth mode") << QStringList();
}

void tst_ServerProgram::requiredAuthWithoutSecretRefusesToStart()
{
    // Without JWT_SECRET_KEY no token can ever be verified, so a hub that requires tokens
    // would refuse everyone: it must say so and not start.
    QFETCH(QStringList, arguments);
    ServerProcess server; // no withSecret()
    server.start(server.serverArguments(arguments));
    if (!server.waitFinished(gracefulStopMs)) {
        // Say what it does instead: where it listens and how it answers a signed token.
        QString answer;
        if (server.waitListening(1) != 0) {
            QNetworkAccessManager network;
            answer = QStringLiteral("; listening on port %1, a token signed with a key a client "
                                    "could hold gets %2")
                         .arg(server.port)
                         .arg(httpSend(network, "GET",
                                       server.url(QStringLiteral("http"),
                                                  QStringLiteral("/api/v1/ws/stats")),
                                       {}, server.token(Role::Admin))
                                  .status);
        }
        QFAIL(qPrintable(QStringLiteral("it started without JWT_SECRET_KEY%1; stderr: \"%2\"")
                             .arg(answer, QString::fromLocal8Bit(server.errors))));
    }
    QVERIFY2(server.process.exitStatus() == QProcess::NormalExit, server.describe().constData());
    QVERIFY2(server.process.exitCode() == 2, server.describe().constData());
    const QString problem = oneLineProblem(server.errors, QStringLiteral("JWT_SECRET_KEY"));
    QVERIFY2(problem.isEmpty(),
             qPrintable(problem + u' ' + QString::fromLocal8Bit(server.describe())));
}

void tst_ServerProgram::authOffNeedsNoSecret()
{
    ServerProcess server; // no withSecret()
    server.start(server.serverArguments({QStringLiteral("--auth"), QStringLiteral("off")}));
    QVERIFY2(server.waitListening() != 0, server.describe().constData());
    TestClient client;
    QVERIFY(client.open(server.url(QStringLiteral("ws"), QStringLiteral("/ws/v1"))));
    QVERIFY(!client.waitForType(QStringLiteral("welcome")).isEmpty());
}

void tst_ServerProgram::gracefulShutdown_data()
{
    QTest::addColumn<QString>("trigger");
    QTest::newRow("SIGTERM") << QStringLiteral("SIGTERM");
#if defined(Q_OS_UNIX)
    QTest::newRow("SIGINT") << QStringLiteral("SIGINT");
#endif
    QTest::newRow("POST /api/v1/ws/shutdown") << QStringLiteral("http");
}

void tst_ServerProgram::gracefulShutdown()
{
    QFETCH(QString, trigger);
    ServerProcess server;
    server.withSecret();
    // Each line of the stop timed, so a slow stop says where its time went.
    server.setEnvironment(QStringLiteral("QT_MESSAGE_PATTERN"),
                          QStringLiteral("%{time process} %{category} %{message}"));
    server.start(server.serverArguments());
    QVERIFY2(server.waitListening() != 0, server.describe().constData());
    QNetworkAccessManager network;

    // One client subscribed and receiving, one idle.
    TestClient subscriber, idle;
    QVERIFY(subscriber.open(
        server.url(QStringLiteral("ws"), QStringLiteral("/ws/v1"), server.token(Role::User))));
    QVERIFY(idle.open(
        server.url(QStringLiteral("ws"), QStringLiteral("/ws/v1"), server.token(Role::User))));
    QCOMPARE(subscriber
                 .request(QStringLiteral("subscribe"), QStringLiteral("1"),
                          {{QStringLiteral("topics"), QJsonArray{QStringLiteral("ticks")}}})
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("ack"));
    const HttpReply published = httpSend(
        network, "POST", server.url(QStringLiteral("http"), QStringLiteral("/api/v1/publish")),
        R"({"topic":"ticks","type":"tick","data":{"n":1}})", server.token(Role::Service));
    QCOMPARE(published.status, 200);
    QVERIFY(!subscriber.waitForType(QStringLiteral("event")).isEmpty());

    QSignalSpy finished(&server.process, &QProcess::finished);
    QElapsedTimer timer;
    timer.start();
    int shutdownStatus = 202; // what POST /api/v1/ws/shutdown answered; checked last
    if (trigger == QLatin1String("SIGTERM")) {
        server.process.terminate();
#if defined(Q_OS_UNIX)
    } else if (trigger == QLatin1String("SIGINT")) {
        QCOMPARE(::kill(pid_t(server.process.processId()), SIGINT), 0);
#endif
    } else {
        const HttpReply reply =
            httpSend(network, "POST",
                     server.url(QStringLiteral("http"), QStringLiteral("/api/v1/ws/shutdown")), {},
                     server.token(Role::Admin));
        shutdownStatus = reply.status;
    }

    QVERIFY(subscriber.waitClosed(gracefulStopMs));
    QVERIFY(idle.waitClosed(gracefulStopMs));
    QCOMPARE(subscriber.closeCode, 1001);
    QCOMPARE(idle.closeCode, 1001);
    const bool ended = finished.wait(int(qMax<qint64>(1, gracefulStopMs - timer.elapsed()))) ||
                       finished.count() > 0;
    if (!ended) {
        const qint64 elapsed = timer.elapsed();
        server.process.kill();
        server.waitFinished(); // for everything it logged, timed
        QFAIL(qPrintable(QStringLiteral("still running %1 ms after the request to stop (answered "
                                        "%2); %3")
                             .arg(elapsed)
                             .arg(shutdownStatus)
                             .arg(QString::fromLocal8Bit(server.describe()))));
    }
    QVERIFY2(timer.elapsed() <= gracefulStopMs, qPrintable(QString::number(timer.elapsed())));
    server.waitFinished();
    QVERIFY2(server.process.exitStatus() == QProcess::NormalExit, server.describe().constData());
    QVERIFY2(server.process.exitCode() == 0, server.describe().constData());
    // The one who asked for the stop is told it was accepted (0: the connection closed first).
    QCOMPARE(shutdownStatus, 202);
}

// SPEC §7, end to end: the program logs connections (opened, closed, refused) and refused
// HTTP requests with their targets, and no token it was sent, in a query, a header or
// URL-encoded, shows in its stderr or on the `logs` topic.
void tst_ServerProgram::connectionLogNeverShowsTokens()
{
    ServerProcess server;
    server.withSecret();
    // The refused HTTP requests are debug lines of the connection log.
    server.setEnvironment(QStringLiteral("QT_LOGGING_RULES"),
                          QStringLiteral("qt.httpserver=false;switchboard.connections.debug=true"));
    server.start(server.serverArguments());
    QVERIFY2(server.waitListening() != 0, server.describe().constData());
    const auto tokenFor = [](const QString& subject, Role role, const QByteArray& key = secret) {
        Identity identity;
        identity.subject = subject;
        identity.role = role;
        return TokenVerifier(key).issue(identity, std::chrono::seconds(600));
    };
    const QByteArray inQuery = tokenFor(QStringLiteral("query-user"), Role::User);
    const QByteArray inHeader = tokenFor(QStringLiteral("header-user"), Role::User);
    const QByteArray forged =
        tokenFor(QStringLiteral("forger"), Role::Admin, "not-the-secret-0123456789abcdefghij");
    const QByteArray restToken = tokenFor(QStringLiteral("rest-user"), Role::User);
    const QByteArray opaque = "opaque-credential-4711";

    // An administrator watches the `logs` topic throughout.
    TestClient watcher;
    QVERIFY(watcher.open(server.url(QStringLiteral("ws"), QStringLiteral("/ws/v1")),
                         server.token(Role::Admin)));
    QCOMPARE(watcher
                 .request(QStringLiteral("subscribe"), QStringLiteral("1"),
                          {{QStringLiteral("topics"), QJsonArray{QStringLiteral("logs")}}})
                 .value(QStringLiteral("type"))
                 .toString(),
             QStringLiteral("ack"));

    {
        TestClient byQuery, byHeader;
        QVERIFY(byQuery.open(server.url(QStringLiteral("ws"), QStringLiteral("/ws/v1"), inQuery)));
        QVERIFY(
            byHeader.open(server.url(QStringLiteral("ws"), QStringLiteral("/ws/v1")), inHeader));
        QVERIFY(!byQuery.waitForType(QStringLiteral("welcome")).isEmpty());
        QVERIFY(!byHeader.waitForType(QStringLiteral("welcome")).isEmpty());
        byQuery.socket.close();
        QVERIFY(byQuery.waitClosed());
    }
    // Refused before the handshake: a forged token, and an opaque one URL-encoded in the query.
    TestClient refused, encoded;
    QVERIFY(!refused.open(
        server.url(QStringLiteral("ws"), QStringLiteral("/ws/calculations"), forged), {}, 2000));
    QUrl encodedUrl = server.url(QStringLiteral("ws"), QStringLiteral("/ws/calculations"));
    encodedUrl.setQuery(QStringLiteral("next=%2Fws%3Ftoken%3D") + QString::fromLatin1(opaque),
                        QUrl::StrictMode);
    QVERIFY(!encoded.open(encodedUrl, {}, 2000));
    // A REST call with its token in the query, where REST does not take one: 401.
    QNetworkAccessManager network;
    QCOMPARE(
        httpSend(network, "GET",
                 server.url(QStringLiteral("http"), QStringLiteral("/api/v1/ws/stats"), restToken))
            .status,
        401);

    const auto logged = [&server](const QString& pattern) {
        return QRegularExpression(pattern).match(QString::fromLocal8Bit(server.errors)).hasMatch();
    };
    QTRY_VERIFY2_WITH_TIMEOUT(
        logged(QStringLiteral("WebSocket \\S+ opened: /ws/v1, query-user \\(user\\), from "
                              "127\\.0\\.0\\.1:\\d+")),
        server.describe().constData(), 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(logged(QStringLiteral("opened: /ws/v1, header-user \\(user\\)")),
                              server.describe().constData(), 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(
        logged(QStringLiteral("WebSocket \\S+ closed 1000: /ws/v1, query-user \\(user\\)")),
        server.describe().constData(), 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(
        logged(QStringLiteral("upgrade refused with 401: GET "
                              "/ws/calculations\\?token=\\[REDACTED\\] from 127\\.0\\.0\\.1: "
                              "AUTHENTICATION_FAILED")),
        server.describe().constData(), 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(
        logged(QStringLiteral("upgrade refused with 401: GET "
                              "/ws/calculations\\?next=%2Fws%3Ftoken%3D\\[REDACTED\\] ")),
        server.describe().constData(), 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(
        logged(QStringLiteral("HTTP 401: GET /api/v1/ws/stats\\?token=\\[REDACTED\\] from "
                              "127\\.0\\.0\\.1: AUTHENTICATION_FAILED")),
        server.describe().constData(), 10000);

    // Stop the program, so that everything it had to say is in.
    server.process.terminate();
    QVERIFY(server.waitFinished());
    QVERIFY(watcher.waitClosed());
    for (const QByteArray& token : {inQuery, inHeader, forged, restToken, opaque}) {
        QVERIFY2(!server.errors.contains(token), server.describe().constData());
        for (const QString& raw : std::as_const(watcher.raw))
            QVERIFY2(!raw.contains(QString::fromLatin1(token)), qPrintable(raw));
    }
    // The connection log names users and addresses: it stays off the topic every user reads.
    for (const QString& raw : std::as_const(watcher.raw))
        QVERIFY2(!raw.contains(QLatin1String("query-user")), qPrintable(raw));
}

QTEST_GUILESS_MAIN(tst_ServerProgram)
#include "tst_server_program.moc"
