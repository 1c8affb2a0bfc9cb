// What the spec promises about settings (§1): command line > environment > config file >
// defaults, for every setting; --help lists them all; a bad setting is one line naming it and
// exit code 2.

#include "config/ConfigLoader.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>

using namespace Qt::StringLiterals;
using switchboard::AuthMode;
using switchboard::ConfigLoader;
using switchboard::ConfigLoadResult;
using switchboard::HubConfig;

namespace {

const QString Program = u"switchboard-server"_s;

QString seconds(std::chrono::milliseconds duration)
{
    return QString::number(std::chrono::duration_cast<std::chrono::seconds>(duration).count());
}

// A setting's value as text, so one data-driven test can compare every setting.
QString valueOf(const HubConfig& config, const QString& setting)
{
    if (setting == "bind"_L1)
        return config.bindAddress == QHostAddress(QHostAddress::Any)
                   ? u"any"_s
                   : config.bindAddress.toString();
    if (setting == "port"_L1)
        return QString::number(config.port);
    if (setting == "auth"_L1)
        return switchboard::authModeName(config.authMode);
    if (setting == "data-dir"_L1)
        return config.dataDir;
    if (setting == "entities-dir"_L1)
        return config.entitiesDir;
    if (setting == "max-connections"_L1)
        return QString::number(config.maxConnections);
    if (setting == "max-jobs"_L1)
        return QString::number(config.maxJobs);
    if (setting == "fanout-threads"_L1)
        return QString::number(config.fanoutThreads);
    if (setting == "heartbeat-interval"_L1)
        return seconds(config.heartbeatInterval);
    if (setting == "heartbeat-timeout"_L1)
        return seconds(config.heartbeatTimeout);
    if (setting == "max-message-bytes"_L1)
        return QString::number(config.maxMessageBytes);
    if (setting == "max-upload-bytes"_L1)
        return QString::number(config.maxUploadBytes);
    if (setting == "outbound-buffer-bytes"_L1)
        return QString::number(config.outboundBufferCap);
    if (setting == "handshake-timeout"_L1)
        return seconds(config.handshakeTimeout);
    if (setting == "history-size"_L1)
        return QString::number(config.historyLimit);
    if (setting == "history-seconds"_L1)
        return seconds(config.historyMaxAge);
    if (setting == "ping-interval"_L1)
        return seconds(config.pingInterval);
    if (setting == "ping-timeout"_L1)
        return seconds(config.pingTimeout);
    if (setting == "demo"_L1)
        return config.demo ? u"true"_s : u"false"_s;
    if (setting == "demo-seed"_L1)
        return config.demoSeed ? QString::number(*config.demoSeed) : u"random"_s;
    if (setting == "metrics-interval"_L1)
        return seconds(config.metricsInterval);
    if (setting == "disk-alert-percent"_L1)
        return QString::number(config.diskAlertPercent);
    if (setting == "max-connections-per-ip"_L1)
        return QString::number(config.maxConnectionsPerIp);
    if (setting == "requests-per-minute"_L1)
        return QString::number(config.requestsPerMinute);
    if (setting == "anonymous-requests-per-minute-per-address"_L1)
        return QString::number(config.anonymousRequestsPerMinutePerAddress);
    if (setting == "trusted-proxy"_L1) {
        QStringList networks;
        for (const auto& [address, length] : config.trustedProxies)
            networks.append(address.toString() + u'/' + QString::number(length));
        return networks.join(u',');
    }
    if (setting == "requests-per-hour"_L1)
        return QString::number(config.requestsPerHour);
    if (setting == "block-minutes"_L1)
        return QString::number(
            std::chrono::duration_cast<std::chrono::minutes>(config.rateBlockDuration).count());
    if (setting == "ws-max-messages"_L1)
        return QString::number(config.wsMaxMessages);
    if (setting == "ws-rate-window"_L1)
        return seconds(config.wsRateWindow);
    if (setting == "rate-cleanup-interval"_L1)
        return seconds(config.rateCleanupInterval);
    qFatal("unknown setting %s", qPrintable(setting));
    return {};
}

} // namespace

class TestConfig : public QObject {
    Q_OBJECT

private slots:
    void init();

    void defaultsWhenNothingIsSet();
    void precedence_data();
    void precedence();
    void commandLineTakesEqualsForm();
    void configFileFromEnvironment();
    void emptyEnvironmentVariableIsUnset();
    void demoMakesAuthOptionalUnlessChosen();
    void bindAcceptsAnyAndIpv6();
    void trustedProxiesRepeatAndAcceptAddresses();
    void jwtSecretComesFromEnvironmentOnly();

    void helpListsEverySetting();
    void helpAndVersionWinOverBadArguments();
    void versionIsProgramAndProjectVersion();

    void badSettingIsOneLineAndExitTwo_data();
    void badSettingIsOneLineAndExitTwo();
    void overriddenBadValueIsStillAnError();

private:
    // Loads with `arguments` (program name added), `environment`, and, when `ini` is not
    // null, a config file holding `ini` passed with --config.
    ConfigLoadResult load(QStringList arguments, const QHash<QString, QString>& environment = {},
                          const QString& ini = QString());
    QString writeFile(const QString& name, const QByteArray& contents);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestConfig::init()
{
    // The one error line is all a user may see: a Qt warning would be a second line.
    QTest::failOnWarning(QRegularExpression(u".*"_s));
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestConfig::writeFile(const QString& name, const QByteArray& contents)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(contents);
    return path;
}

ConfigLoadResult TestConfig::load(QStringList arguments, const QHash<QString, QString>& environment,
                                  const QString& ini)
{
    if (!ini.isNull())
        arguments << u"--config"_s << writeFile(u"switchboard.ini"_s, ini.toUtf8());
    arguments.prepend(u"/usr/bin/switchboard-server"_s);
    QProcessEnvironment processEnvironment;
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        processEnvironment.insert(it.key(), it.value());
    return ConfigLoader(Program, u"Test."_s).load(arguments, processEnvironment);
}

void TestConfig::defaultsWhenNothingIsSet()
{
    const ConfigLoadResult result = load({});
    QCOMPARE(result.kind, ConfigLoadResult::Kind::Run);
    QCOMPARE(result.exitCode, 0);
    const HubConfig defaults;
    const QStringList settings = {u"bind"_s,
                                  u"port"_s,
                                  u"auth"_s,
                                  u"data-dir"_s,
                                  u"entities-dir"_s,
                                  u"max-connections"_s,
                                  u"max-jobs"_s,
                                  u"max-message-bytes"_s,
                                  u"max-upload-bytes"_s,
                                  u"outbound-buffer-bytes"_s,
                                  u"handshake-timeout"_s,
                                  u"history-size"_s,
                                  u"history-seconds"_s,
                                  u"ping-interval"_s,
                                  u"ping-timeout"_s,
                                  u"demo"_s,
                                  u"demo-seed"_s,
                                  u"metrics-interval"_s,
                                  u"disk-alert-percent"_s,
                                  u"max-connections-per-ip"_s,
                                  u"requests-per-minute"_s,
                                  u"anonymous-requests-per-minute-per-address"_s,
                                  u"trusted-proxy"_s,
                                  u"requests-per-hour"_s,
                                  u"block-minutes"_s,
                                  u"ws-max-messages"_s,
                                  u"ws-rate-window"_s,
                                  u"rate-cleanup-interval"_s};
    for (const QString& setting : settings)
        QCOMPARE(valueOf(result.config, setting), valueOf(defaults, setting));
    // The values the spec names, so a changed default in HubConfig is noticed here too.
    QCOMPARE(valueOf(result.config, u"bind"_s), u"any"_s);
    QCOMPARE(result.config.port, quint16(8000));
    QCOMPARE(result.config.authMode, AuthMode::Required);
    QCOMPARE(result.config.maxConnections, 20000);
    QCOMPARE(result.config.maxJobs, 5);
    QCOMPARE(result.config.maxMessageBytes, qint64(1024 * 1024));
    QCOMPARE(result.config.maxUploadBytes, qint64(100) * 1024 * 1024); // not the message cap
    QCOMPARE(result.config.outboundBufferCap, qint64(4 * 1024 * 1024));
    QCOMPARE(result.config.handshakeTimeout, std::chrono::seconds(10));
    QCOMPARE(result.config.historyLimit, 1000);
    QCOMPARE(result.config.historyMaxAge, std::chrono::seconds(300));
    QCOMPARE(result.config.pingInterval, std::chrono::seconds(25));
    QCOMPARE(result.config.pingTimeout, std::chrono::seconds(60));
    QVERIFY(result.config.dataDir.isEmpty()); // the hub resolves AppDataLocation
    QVERIFY(result.config.entitiesDir.isEmpty());
    QCOMPARE(result.config.demo, false);
    QVERIFY(!result.config.demoSeed);
    QCOMPARE(result.config.metricsInterval, std::chrono::seconds(2));
    QCOMPARE(result.config.diskAlertPercent, 90);
    QCOMPARE(result.config.jobHistoryLimit, 100);
    // SPEC §1's rate limits, as the seeds' variables default them.
    QCOMPARE(result.config.maxConnectionsPerIp, 1000);
    QCOMPARE(result.config.requestsPerMinute, 60);
    QCOMPARE(result.config.requestsPerHour, 1000);
    // 1000 anonymous clients of one address (--max-connections-per-ip) may each send a few.
    QCOMPARE(result.config.anonymousRequestsPerMinutePerAddress, 6000);
    QVERIFY(result.config.trustedProxies.isEmpty()); // forwarded headers are never read
    QCOMPARE(result.config.rateBlockDuration, std::chrono::minutes(15));
    QCOMPARE(result.config.wsMaxMessages, 100);
    QCOMPARE(result.config.wsRateWindow, std::chrono::seconds(60));
    QCOMPARE(result.config.rateCleanupInterval, std::chrono::seconds(300));
}

void TestConfig::precedence_data()
{
    QTest::addColumn<QString>("setting");
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("fromIni");
    QTest::addColumn<QString>("fromEnvironment");
    QTest::addColumn<QString>("fromCommandLine"); // null: a switch, given without a value
    QTest::addColumn<QString>("expectedFromCommandLine");

    const auto row = [](const char* setting, const char* variable, const char* ini, const char* env,
                        const char* cli, const char* expectedCli) {
        QTest::newRow(setting) << QString::fromLatin1(setting) << QString::fromLatin1(variable)
                               << QString::fromLatin1(ini) << QString::fromLatin1(env)
                               << (cli ? QString::fromLatin1(cli) : QString())
                               << QString::fromLatin1(expectedCli);
    };
    // Each value differs from the one below it, so every step proves its source won.
    row("bind", "SWITCHBOARD_BIND", "127.0.0.3", "127.0.0.2", "127.0.0.1", "127.0.0.1");
    row("port", "SWITCHBOARD_PORT", "9003", "9002", "9001", "9001");
    row("auth", "SWITCHBOARD_AUTH", "off", "optional", "off", "off");
    row("data-dir", "SWITCHBOARD_DATA_DIR", "/srv/c", "/srv/b", "/srv/a", "/srv/a");
    row("entities-dir", "SWITCHBOARD_ENTITIES_DIR", "/srv/e3", "/srv/e2", "/srv/e1", "/srv/e1");
    row("max-connections", "SWITCHBOARD_MAX_CONNECTIONS", "103", "102", "101", "101");
    row("max-jobs", "SWITCHBOARD_MAX_JOBS", "9", "8", "7", "7");
    row("fanout-threads", "SWITCHBOARD_FANOUT_THREADS", "3", "2", "0", "0");
    row("heartbeat-interval", "SWITCHBOARD_HEARTBEAT_INTERVAL", "13", "12", "11", "11");
    row("heartbeat-timeout", "SWITCHBOARD_HEARTBEAT_TIMEOUT", "93", "92", "91", "91");
    row("max-message-bytes", "SWITCHBOARD_MAX_MESSAGE_BYTES", "65536", "32768", "2048", "2048");
    row("max-upload-bytes", "SWITCHBOARD_MAX_UPLOAD_BYTES", "3000000", "2000000", "5000000",
        "5000000");
    row("outbound-buffer-bytes", "SWITCHBOARD_OUTBOUND_BUFFER_BYTES", "1000000", "2000000",
        "3000000", "3000000");
    row("handshake-timeout", "SWITCHBOARD_HANDSHAKE_TIMEOUT", "3", "2", "1", "1");
    row("history-size", "SWITCHBOARD_HISTORY_SIZE", "30", "20", "10", "10");
    row("history-seconds", "SWITCHBOARD_HISTORY_SECONDS", "30", "20", "0", "0");
    row("ping-interval", "WEBSOCKET_PING_INTERVAL", "13", "12", "11", "11");
    row("ping-timeout", "WEBSOCKET_PING_TIMEOUT", "63", "62", "61", "61");
    row("demo", "SWITCHBOARD_DEMO", "true", "false", nullptr, "true");
    row("demo-seed", "SWITCHBOARD_DEMO_SEED", "3", "2", "1", "1");
    row("metrics-interval", "SWITCHBOARD_METRICS_INTERVAL", "5", "4", "3", "3");
    row("disk-alert-percent", "SWITCHBOARD_DISK_ALERT_PERCENT", "80", "70", "0", "0");
    row("max-connections-per-ip", "SWITCHBOARD_MAX_CONNECTIONS_PER_IP", "53", "52", "51", "51");
    row("requests-per-minute", "WEBSOCKET_REQUESTS_PER_MINUTE", "33", "32", "31", "31");
    row("requests-per-hour", "WEBSOCKET_REQUESTS_PER_HOUR", "503", "502", "501", "501");
    row("anonymous-requests-per-minute-per-address",
        "SWITCHBOARD_ANONYMOUS_REQUESTS_PER_MINUTE_PER_ADDRESS", "7003", "7002", "7001", "7001");
    row("trusted-proxy", "SWITCHBOARD_TRUSTED_PROXY", "10.0.0.3/32", "10.0.0.0/8", "fd00::/8",
        "fd00::/8");
    row("block-minutes", "WEBSOCKET_BLOCK_DURATION_MINUTES", "7", "6", "5", "5");
    row("ws-max-messages", "WS_MAX_MESSAGES", "43", "42", "41", "41");
    row("ws-rate-window", "WS_RATE_WINDOW", "23", "22", "21", "21");
    row("rate-cleanup-interval", "WS_CLEANUP_INTERVAL", "17", "16", "15", "15");
}

void TestConfig::precedence()
{
    QFETCH(QString, setting);
    QFETCH(QString, variable);
    QFETCH(QString, fromIni);
    QFETCH(QString, fromEnvironment);
    QFETCH(QString, fromCommandLine);
    QFETCH(QString, expectedFromCommandLine);

    const QString option = u"--"_s + setting;
    const QStringList cli =
        fromCommandLine.isNull() ? QStringList{option} : QStringList{option, fromCommandLine};
    const QHash<QString, QString> env = {{variable, fromEnvironment}};
    const QString ini = setting + u'=' + fromIni + u'\n';

    const ConfigLoadResult defaults = load({});
    const ConfigLoadResult iniOnly = load({}, {}, ini);
    const ConfigLoadResult envBeatsIni = load({}, env, ini);
    const ConfigLoadResult cliBeatsAll = load(cli, env, ini);
    const ConfigLoadResult cliBeatsDefault = load(cli);
    for (const ConfigLoadResult* result :
         {&defaults, &iniOnly, &envBeatsIni, &cliBeatsAll, &cliBeatsDefault}) {
        QVERIFY2(result->kind == ConfigLoadResult::Kind::Run, qPrintable(result->output));
    }

    QVERIFY(valueOf(defaults.config, setting) != fromIni);
    QCOMPARE(valueOf(iniOnly.config, setting), fromIni);
    QCOMPARE(valueOf(envBeatsIni.config, setting), fromEnvironment);
    QCOMPARE(valueOf(cliBeatsAll.config, setting), expectedFromCommandLine);
    QCOMPARE(valueOf(cliBeatsDefault.config, setting), expectedFromCommandLine);
}

void TestConfig::commandLineTakesEqualsForm()
{
    const ConfigLoadResult result = load({u"--port=9100"_s, u"--auth=off"_s});
    QCOMPARE(result.kind, ConfigLoadResult::Kind::Run);
    QCOMPARE(result.config.port, quint16(9100));
    QCOMPARE(result.config.authMode, AuthMode::Off);
}

void TestConfig::configFileFromEnvironment()
{
    const QString fromVariable = writeFile(u"env.ini"_s, "port=9200\n");
    const ConfigLoadResult viaEnvironment = load({}, {{u"SWITCHBOARD_CONFIG"_s, fromVariable}});
    QCOMPARE(viaEnvironment.kind, ConfigLoadResult::Kind::Run);
    QCOMPARE(viaEnvironment.config.port, quint16(9200));

    // --config names the file even when SWITCHBOARD_CONFIG names another.
    const ConfigLoadResult viaOption =
        load({}, {{u"SWITCHBOARD_CONFIG"_s, fromVariable}}, u"port=9300\n"_s);
    QCOMPARE(viaOption.kind, ConfigLoadResult::Kind::Run);
    QCOMPARE(viaOption.config.port, quint16(9300));
}

void TestConfig::emptyEnvironmentVariableIsUnset()
{
    const ConfigLoadResult result = load({}, {{u"SWITCHBOARD_PORT"_s, QString()}}, u"port=9400"_s);
    QCOMPARE(result.kind, ConfigLoadResult::Kind::Run);
    QCOMPARE(result.config.port, quint16(9400));
}

void TestConfig::demoMakesAuthOptionalUnlessChosen()
{
    QCOMPARE(load({u"--demo"_s}).config.authMode, AuthMode::Optional);
    QCOMPARE(load({u"--demo"_s, u"--auth"_s, u"required"_s}).config.authMode, AuthMode::Required);
    QCOMPARE(load({u"--demo"_s}, {}, u"auth=off"_s).config.authMode, AuthMode::Off);
    QCOMPARE(load({}, {{u"SWITCHBOARD_DEMO"_s, u"yes"_s}}).config.authMode, AuthMode::Optional);
}

void TestConfig::trustedProxiesRepeatAndAcceptAddresses()
{
    const ConfigLoadResult result =
        load({u"--trusted-proxy"_s, u"10.0.0.0/8"_s, u"--trusted-proxy"_s, u"192.168.1.10"_s,
              u"--trusted-proxy=::1"_s});
    QCOMPARE(result.kind, ConfigLoadResult::Kind::Run);
    QCOMPARE(valueOf(result.config, u"trusted-proxy"_s), u"10.0.0.0/8,192.168.1.10/32,::1/128"_s);
    const ConfigLoadResult fromEnvironment =
        load({}, {{u"SWITCHBOARD_TRUSTED_PROXY"_s, u"172.16.0.0/12, 127.0.0.1"_s}});
    QCOMPARE(valueOf(fromEnvironment.config, u"trusted-proxy"_s), u"172.16.0.0/12,127.0.0.1/32"_s);
    const ConfigLoadResult fromFile =
        load({}, {}, u"trusted-proxy = \"10.1.0.0/16,10.2.0.0/16\"\n"_s);
    QCOMPARE(valueOf(fromFile.config, u"trusted-proxy"_s), u"10.1.0.0/16,10.2.0.0/16"_s);
}

void TestConfig::bindAcceptsAnyAndIpv6()
{
    QCOMPARE(load({u"--bind"_s, u"any"_s}).config.bindAddress, QHostAddress(QHostAddress::Any));
    QCOMPARE(load({u"--bind"_s, u"::1"_s}).config.bindAddress,
             QHostAddress(QHostAddress::LocalHostIPv6));
    QCOMPARE(load({u"--bind"_s, u"0.0.0.0"_s}).config.bindAddress,
             QHostAddress(QHostAddress::AnyIPv4));
}

void TestConfig::jwtSecretComesFromEnvironmentOnly()
{
    const ConfigLoadResult result = load({}, {{u"JWT_SECRET_KEY"_s, u"s3cr\u00e9t"_s}});
    QCOMPARE(result.kind, ConfigLoadResult::Kind::Run);
    QCOMPARE(result.config.jwtSecret, QByteArray("s3cr\xc3\xa9t"));
    QVERIFY(load({}).config.jwtSecret.isEmpty());

    // A command line is visible to every user through ps, and config files get copied around.
    const ConfigLoadResult onCommandLine = load({u"--jwt-secret"_s, u"x"_s});
    QCOMPARE(onCommandLine.exitCode, 2);
    QVERIFY2(onCommandLine.output.contains(u"--jwt-secret: unknown option"_s),
             qPrintable(onCommandLine.output));
    const ConfigLoadResult inFile = load({}, {}, u"jwt-secret=x\n"_s);
    QCOMPARE(inFile.exitCode, 2);
    QVERIFY2(inFile.output.contains(u"jwt-secret: a secret does not belong in a config file; "
                                    "set JWT_SECRET_KEY instead"_s),
             qPrintable(inFile.output));
    // Neither the value nor a hint of it is ever printed.
    const QString help = load({u"--help"_s}, {{u"JWT_SECRET_KEY"_s, u"hunter2"_s}}).output;
    QVERIFY(!help.contains(u"hunter2"_s));
}

void TestConfig::helpListsEverySetting()
{
    const ConfigLoadResult result = load({u"--help"_s});
    QCOMPARE(result.kind, ConfigLoadResult::Kind::Exit);
    QCOMPARE(result.exitCode, 0);
    const QString help = result.output;
    QVERIFY(help.startsWith(u"Usage: switchboard-server [options]\n"_s));

    const QList<std::pair<QString, QString>> expected = {
        {u"--bind ADDRESS"_s, u"Environment: SWITCHBOARD_BIND. Default: any."_s},
        {u"--port N"_s, u"Environment: SWITCHBOARD_PORT. Default: 8000."_s},
        {u"--auth MODE"_s, u"Environment: SWITCHBOARD_AUTH. Default: required."_s},
        {u"--data-dir DIR"_s, u"Environment: SWITCHBOARD_DATA_DIR. Default: "_s},
        {u"--entities-dir DIR"_s,
         u"Environment: SWITCHBOARD_ENTITIES_DIR. Default: <data dir>/entities."_s},
        {u"--max-connections N"_s, u"Environment: SWITCHBOARD_MAX_CONNECTIONS. Default: 20000."_s},
        {u"--max-jobs N"_s, u"Environment: SWITCHBOARD_MAX_JOBS. Default: 5."_s},
        {u"--max-message-bytes N"_s,
         u"Environment: SWITCHBOARD_MAX_MESSAGE_BYTES. Default: 1048576."_s},
        {u"--max-upload-bytes N"_s,
         u"Environment: SWITCHBOARD_MAX_UPLOAD_BYTES. Default: 104857600."_s},
        {u"--outbound-buffer-bytes N"_s,
         u"Environment: SWITCHBOARD_OUTBOUND_BUFFER_BYTES. Default: 4194304."_s},
        {u"--handshake-timeout SECONDS"_s,
         u"Environment: SWITCHBOARD_HANDSHAKE_TIMEOUT. Default: 10."_s},
        {u"--history-size N"_s, u"Environment: SWITCHBOARD_HISTORY_SIZE. Default: 1000."_s},
        {u"--history-seconds SECONDS"_s,
         u"Environment: SWITCHBOARD_HISTORY_SECONDS. Default: 300."_s},
        {u"--ping-interval SECONDS"_s, u"Environment: WEBSOCKET_PING_INTERVAL. Default: 25."_s},
        {u"--ping-timeout SECONDS"_s, u"Environment: WEBSOCKET_PING_TIMEOUT. Default: 60."_s},
        {u"--demo\n"_s, u"Environment: SWITCHBOARD_DEMO. Default: off."_s},
        {u"--demo-seed N"_s, u"Environment: SWITCHBOARD_DEMO_SEED. Default: random."_s},
        {u"--metrics-interval SECONDS"_s,
         u"Environment: SWITCHBOARD_METRICS_INTERVAL. Default: 2."_s},
        {u"--disk-alert-percent N"_s,
         u"Environment: SWITCHBOARD_DISK_ALERT_PERCENT. Default: 90."_s},
        {u"--max-connections-per-ip N"_s,
         u"Environment: SWITCHBOARD_MAX_CONNECTIONS_PER_IP. Default: 1000."_s},
        {u"--requests-per-minute N"_s,
         u"Environment: WEBSOCKET_REQUESTS_PER_MINUTE. Default: 60."_s},
        {u"--requests-per-hour N"_s, u"Environment: WEBSOCKET_REQUESTS_PER_HOUR. Default: 1000."_s},
        {u"--anonymous-requests-per-minute-per-address N"_s,
         u"Environment: SWITCHBOARD_ANONYMOUS_REQUESTS_PER_MINUTE_PER_ADDRESS."_s},
        {u"--trusted-proxy CIDR"_s, u"Environment: SWITCHBOARD_TRUSTED_PROXY. Default: none."_s},
        {u"--block-minutes MINUTES"_s,
         u"Environment: WEBSOCKET_BLOCK_DURATION_MINUTES. Default: 15."_s},
        {u"--ws-max-messages N"_s, u"Environment: WS_MAX_MESSAGES. Default: 100."_s},
        {u"--ws-rate-window SECONDS"_s, u"Environment: WS_RATE_WINDOW. Default: 60."_s},
        {u"--rate-cleanup-interval SECONDS"_s,
         u"Environment: WS_CLEANUP_INTERVAL. Default: 300."_s},
        {u"JWT_SECRET_KEY (environment only)"_s, u"Environment: JWT_SECRET_KEY. Default: none."_s},
        {u"--config FILE"_s, u"Environment: SWITCHBOARD_CONFIG. Default: none."_s},
        {u"--help"_s, u"Print this help"_s},
        {u"--version"_s, u"Print the version"_s},
    };
    for (const auto& [option, sources] : expected) {
        QVERIFY2(help.contains(option), qPrintable(option));
        // The environment and default line belongs to this option: it follows it.
        QVERIFY2(help.indexOf(sources) > help.indexOf(option), qPrintable(sources));
    }
    // Every line fits a terminal.
    const QStringList lines = help.split(u'\n');
    for (const QString& line : lines)
        QVERIFY2(line.size() <= 80, qPrintable(line));

    QCOMPARE(load({u"-h"_s}).output, help);
}

void TestConfig::helpAndVersionWinOverBadArguments()
{
    const ConfigLoadResult help =
        load({u"--bogus"_s, u"--port"_s, u"abc"_s, u"--help"_s}, {{u"SWITCHBOARD_PORT"_s, u"x"_s}});
    QCOMPARE(help.kind, ConfigLoadResult::Kind::Exit);
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.output.startsWith(u"Usage:"_s));

    const ConfigLoadResult version = load({u"--port"_s, u"abc"_s, u"--version"_s});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.output.startsWith(Program));
}

void TestConfig::versionIsProgramAndProjectVersion()
{
    for (const QString& flag : {u"--version"_s, u"-v"_s}) {
        const ConfigLoadResult result = load({flag});
        QCOMPARE(result.kind, ConfigLoadResult::Kind::Exit);
        QCOMPARE(result.exitCode, 0);
        static const QRegularExpression line(u"^switchboard-server \\d+\\.\\d+\\.\\d+\\n$"_s);
        QVERIFY2(line.match(result.output).hasMatch(), qPrintable(result.output));
    }
}

void TestConfig::badSettingIsOneLineAndExitTwo_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("variable"); // one environment variable, or empty
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("ini");   // config file contents, or null for none
    QTest::addColumn<QString>("named"); // what the line must name: the setting and its source

    const QString noIni;
    const QString ini = u"switchboard.ini: "_s;
    // clang-format off
    QTest::newRow("unknown flag") << QStringList{u"--prot"_s, u"80"_s} << QString() << QString() << noIni << u"--prot: unknown option"_s;
    QTest::newRow("unknown short flag") << QStringList{u"-x"_s} << QString() << QString() << noIni << u"-x: unknown option"_s;
    QTest::newRow("positional") << QStringList{u"serve"_s} << QString() << QString() << noIni << u"\"serve\": unexpected argument"_s;
    QTest::newRow("missing value") << QStringList{u"--port"_s} << QString() << QString() << noIni << u"--port: needs a value"_s;
    QTest::newRow("option as value") << QStringList{u"--data-dir"_s, u"--demo"_s} << QString() << QString() << noIni << u"--data-dir: needs a value"_s;
    QTest::newRow("entities dir empty") << QStringList{u"--entities-dir="_s} << QString() << QString() << noIni << u"--entities-dir: the path is empty"_s;
    QTest::newRow("value for switch") << QStringList{u"--demo=yes"_s} << QString() << QString() << noIni << u"--demo: takes no value"_s;
    QTest::newRow("port not a number") << QStringList{u"--port"_s, u"abc"_s} << QString() << QString() << noIni << u"--port: \"abc\" is not a port number (0-65535)"_s;
    QTest::newRow("port too big") << QStringList{u"--port"_s, u"65536"_s} << QString() << QString() << noIni << u"--port: \"65536\" is not a port number"_s;
    QTest::newRow("port negative") << QStringList{u"--port=-1"_s} << QString() << QString() << noIni << u"--port: \"-1\" is not a port number"_s;
    QTest::newRow("fanout threads too many") << QStringList{u"--fanout-threads"_s, u"65"_s} << QString() << QString() << noIni << u"--fanout-threads: \"65\" is not a whole number from 0 to 64"_s;
    QTest::newRow("connections zero") << QStringList{u"--max-connections"_s, u"0"_s} << QString() << QString() << noIni << u"--max-connections: \"0\" is not a whole number from 1 to"_s;
    QTest::newRow("jobs zero") << QStringList{u"--max-jobs"_s, u"0"_s} << QString() << QString() << noIni << u"--max-jobs: \"0\" is not a whole number from 1 to 256"_s;
    QTest::newRow("bytes with unit") << QStringList{u"--max-message-bytes"_s, u"1MiB"_s} << QString() << QString() << noIni << u"--max-message-bytes: \"1MiB\" is not a number of bytes"_s;
    QTest::newRow("upload cap with unit") << QStringList{u"--max-upload-bytes"_s, u"100MiB"_s} << QString() << QString() << noIni << u"--max-upload-bytes: \"100MiB\" is not a number of bytes"_s;
    QTest::newRow("trusted proxy name") << QStringList{u"--trusted-proxy"_s, u"nginx"_s} << QString() << QString() << noIni << u"--trusted-proxy: \"nginx\" is not an address or network"_s;
    QTest::newRow("trusted proxy prefix") << QStringList() << u"SWITCHBOARD_TRUSTED_PROXY"_s << u"10.0.0.1,10.0.0.0/33"_s << noIni << u"SWITCHBOARD_TRUSTED_PROXY: \"10.0.0.0/33\" is not an address or network"_s;
    QTest::newRow("anonymous ceiling zero") << QStringList{u"--anonymous-requests-per-minute-per-address=0"_s} << QString() << QString() << noIni << u"--anonymous-requests-per-minute-per-address: \"0\" is not a whole number"_s;
    QTest::newRow("buffer too small") << QStringList{u"--outbound-buffer-bytes"_s, u"10"_s} << QString() << QString() << noIni << u"--outbound-buffer-bytes: \"10\""_s;
    QTest::newRow("timeout zero") << QStringList{u"--handshake-timeout"_s, u"0"_s} << QString() << QString() << noIni << u"--handshake-timeout: \"0\" is not a number of seconds"_s;
    QTest::newRow("history float") << QStringList{u"--history-size"_s, u"1e3"_s} << QString() << QString() << noIni << u"--history-size: \"1e3\""_s;
    QTest::newRow("history age negative") << QStringList{u"--history-seconds"_s, u"-5"_s} << QString() << QString() << noIni << u"--history-seconds: \"-5\""_s;
    QTest::newRow("auth mode") << QStringList{u"--auth"_s, u"maybe"_s} << QString() << QString() << noIni << u"--auth: \"maybe\" is not an auth mode"_s;
    QTest::newRow("bind not an address") << QStringList{u"--bind"_s, u"999.1.1.1"_s} << QString() << QString() << noIni << u"--bind: \"999.1.1.1\" is not an IP address"_s;
    QTest::newRow("bind host name") << QStringList{u"--bind"_s, u"example.org"_s} << QString() << QString() << noIni << u"--bind: \"example.org\""_s;
    QTest::newRow("env port") << QStringList() << u"SWITCHBOARD_PORT"_s << u"http"_s << noIni << u"SWITCHBOARD_PORT: \"http\" is not a port number"_s;
    QTest::newRow("env ping interval") << QStringList() << u"WEBSOCKET_PING_INTERVAL"_s << u"0"_s << noIni << u"WEBSOCKET_PING_INTERVAL: \"0\""_s;
    QTest::newRow("env ping timeout text") << QStringList() << u"WEBSOCKET_PING_TIMEOUT"_s << u"1m"_s << noIni << u"WEBSOCKET_PING_TIMEOUT: \"1m\""_s;
    QTest::newRow("demo seed negative") << QStringList{u"--demo-seed=-1"_s} << QString() << QString() << noIni << u"--demo-seed: \"-1\" is not a whole number from 0 to"_s;
    QTest::newRow("metrics interval zero") << QStringList{u"--metrics-interval"_s, u"0"_s} << QString() << QString() << noIni << u"--metrics-interval: \"0\" is not a number of seconds"_s;
    QTest::newRow("disk percent over 100") << QStringList{u"--disk-alert-percent"_s, u"101"_s} << QString() << QString() << noIni << u"--disk-alert-percent: \"101\" is not a whole number from 0 to 100"_s;
    QTest::newRow("env demo") << QStringList() << u"SWITCHBOARD_DEMO"_s << u"maybe"_s << noIni << u"SWITCHBOARD_DEMO: \"maybe\" is not a yes/no value"_s;
    QTest::newRow("env timeout below interval") << QStringList() << u"WEBSOCKET_PING_TIMEOUT"_s << u"10"_s << noIni << u"WEBSOCKET_PING_TIMEOUT: 10 s is shorter than the ping interval (25 s)"_s;
    QTest::newRow("cli interval above timeout") << QStringList{u"--ping-interval"_s, u"90"_s} << QString() << QString() << noIni << u"--ping-interval: 90 s is longer than the ping timeout (60 s)"_s;
    QTest::newRow("ini port") << QStringList() << QString() << QString() << u"port=abc\n"_s << ini + u"port: \"abc\" is not a port number"_s;
    QTest::newRow("ini unknown key") << QStringList() << QString() << QString() << u"prot=80\n"_s << ini + u"\"prot\" is not a setting"_s;
    QTest::newRow("ini key in a group") << QStringList() << QString() << QString() << u"[hub]\nport=80\n"_s << ini + u"\"hub/port\" is not a setting"_s;
    QTest::newRow("ini config key") << QStringList() << QString() << QString() << u"config=other.ini\n"_s << ini + u"\"config\" is not a setting"_s;
    QTest::newRow("ini list") << QStringList() << QString() << QString() << u"bind=127.0.0.1,::1\n"_s << ini + u"bind: a list"_s;
    QTest::newRow("ini malformed") << QStringList() << QString() << QString() << u"port=1\n[broken\n"_s << u"--config: \""_s;
    QTest::newRow("config missing") << QStringList{u"--config"_s, u"/nonexistent/switchboard.ini"_s} << QString() << QString() << noIni << u"--config: \"/nonexistent/switchboard.ini\" cannot be read"_s;
    QTest::newRow("config is a folder") << QStringList{u"--config"_s, u"/"_s} << QString() << QString() << noIni << u"--config: \"/\" cannot be read"_s;
    QTest::newRow("config empty") << QStringList{u"--config="_s} << u"SWITCHBOARD_CONFIG"_s << u"/nonexistent.ini"_s << noIni << u"--config: the path is empty"_s;
    QTest::newRow("env config missing") << QStringList() << u"SWITCHBOARD_CONFIG"_s << u"/nonexistent.ini"_s << noIni << u"SWITCHBOARD_CONFIG: \"/nonexistent.ini\" cannot be read"_s;
    QTest::newRow("data dir is a file") << QStringList{u"--data-dir"_s, u"/etc/hostname"_s} << QString() << QString() << noIni << u"--data-dir: \"/etc/hostname\" is not a directory"_s;
    // clang-format on
}

void TestConfig::badSettingIsOneLineAndExitTwo()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(QString, ini);
    QFETCH(QString, named);

    QHash<QString, QString> environment;
    if (!variable.isEmpty())
        environment.insert(variable, value);
    const ConfigLoadResult result = load(arguments, environment, ini);

    QCOMPARE(result.kind, ConfigLoadResult::Kind::Exit);
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(ConfigLoader::BadSettingExitCode, 2);
    QVERIFY2(result.output.endsWith(u'\n'), qPrintable(result.output));
    QCOMPARE(result.output.count(u'\n'), 1);
    QVERIFY2(result.output.startsWith(Program + u": "_s), qPrintable(result.output));
    QVERIFY2(result.output.contains(named), qPrintable(result.output));
}

void TestConfig::overriddenBadValueIsStillAnError()
{
    const ConfigLoadResult result = load({u"--port"_s, u"9000"_s}, {}, u"port=abc\n"_s);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.output.contains(u"switchboard.ini: port: \"abc\""_s),
             qPrintable(result.output));
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
