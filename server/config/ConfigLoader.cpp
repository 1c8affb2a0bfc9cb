#include "config/ConfigLoader.h"

#include "RedisUrl.h"
#include "TlsFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#ifndef SWITCHBOARD_VERSION
#error "SWITCHBOARD_VERSION must be defined by the build (the CMake project version)"
#endif

using namespace Qt::StringLiterals;

namespace switchboard {
namespace {

// Why a value was refused, worded to follow the setting's name; nullopt when it was taken.
using Refusal = std::optional<QString>;

// One setting under its three names. The table built by settingTable() is the only list that
// --help, the command line, the environment and the INI reader all walk, so a setting cannot
// be documented without being parsed, or parsed without being documented.
struct Setting {
    QString name;        // the long option without its dashes; also the INI key
    QString environment; // the environment variable
    QString valueName;   // "N", "ADDRESS", ...; empty for a switch such as --demo
    QString description;
    std::function<Refusal(const QString& text, HubConfig& config)> apply;
    std::function<QString(const HubConfig& config)> show; // a value as --help prints it
    // A secret: read from the environment only, since a command line shows in `ps` and the
    // spec keeps secrets out of config files.
    bool environmentOnly = false;
    // May be given more than once on the command line (--allow-origin); the values are
    // joined with commas, the form the environment and the INI file use.
    bool repeatable = false;
};

// --config is not a setting of the hub (it names where settings come from), so it lives
// outside the table and cannot appear inside a config file.
const QString ConfigName = u"config"_s;
const QString ConfigEnvironment = u"SWITCHBOARD_CONFIG"_s;

enum class Unit { Count, Bytes, Seconds };

QString notInRange(Unit unit, const QString& text, qint64 min, qint64 max)
{
    // One-pass arg() so a '%' typed by the user cannot be taken for a placeholder.
    const QString low = QString::number(min);
    const QString high = QString::number(max);
    switch (unit) {
    case Unit::Count:
        return ConfigLoader::tr("\"%1\" is not a whole number from %2 to %3").arg(text, low, high);
    case Unit::Bytes:
        return ConfigLoader::tr("\"%1\" is not a number of bytes from %2 to %3")
            .arg(text, low, high);
    case Unit::Seconds:
        return ConfigLoader::tr("\"%1\" is not a number of seconds from %2 to %3")
            .arg(text, low, high);
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<qint64> parseInteger(const QString& text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok, 10);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

Setting integerSetting(QString name, QString environment, QString description, Unit unit,
                       qint64 min, qint64 max, std::function<void(HubConfig&, qint64)> set,
                       std::function<qint64(const HubConfig&)> get)
{
    auto apply = [unit, min, max, set](const QString& text, HubConfig& config) -> Refusal {
        const std::optional<qint64> value = parseInteger(text, min, max);
        if (!value)
            return notInRange(unit, text, min, max);
        set(config, *value);
        return std::nullopt;
    };
    auto show = [get](const HubConfig& config) { return QString::number(get(config)); };
    return {std::move(name),        std::move(environment), u"N"_s,
            std::move(description), std::move(apply),       std::move(show)};
}

// Seconds on the outside, std::chrono inside HubConfig.
Setting secondsSetting(QString name, QString environment, QString description, qint64 min,
                       qint64 max, std::chrono::milliseconds HubConfig::*field)
{
    Setting setting = integerSetting(
        std::move(name), std::move(environment), std::move(description), Unit::Seconds, min, max,
        [field](HubConfig& config, qint64 value) { config.*field = std::chrono::seconds(value); },
        [field](const HubConfig& config) {
            return qint64(std::chrono::duration_cast<std::chrono::seconds>(config.*field).count());
        });
    setting.valueName = u"SECONDS"_s;
    return setting;
}

std::optional<bool> parseBoolean(const QString& text)
{
    static const std::array<QString, 4> yes = {u"true"_s, u"1"_s, u"yes"_s, u"on"_s};
    static const std::array<QString, 4> no = {u"false"_s, u"0"_s, u"no"_s, u"off"_s};
    const QString word = text.trimmed().toLower();
    if (std::find(yes.begin(), yes.end(), word) != yes.end())
        return true;
    if (std::find(no.begin(), no.end(), word) != no.end())
        return false;
    return std::nullopt;
}

Refusal applyBind(const QString& text, HubConfig& config)
{
    const QString trimmed = text.trimmed();
    // QHostAddress has no text form for its dual-stack Any; "any" names it.
    if (trimmed.compare(u"any"_s, Qt::CaseInsensitive) == 0) {
        config.bindAddress = QHostAddress(QHostAddress::Any);
        return std::nullopt;
    }
    QHostAddress address;
    if (!address.setAddress(trimmed))
        return ConfigLoader::tr("\"%1\" is not an IP address (such as any, 0.0.0.0, 127.0.0.1 "
                                "or ::1)")
            .arg(text);
    config.bindAddress = address;
    return std::nullopt;
}

QString showBind(const HubConfig& config)
{
    if (config.bindAddress == QHostAddress(QHostAddress::Any))
        return u"any"_s;
    return config.bindAddress.toString();
}

Refusal applyAuth(const QString& text, HubConfig& config)
{
    for (const AuthMode mode : {AuthMode::Required, AuthMode::Optional, AuthMode::Off}) {
        if (text.trimmed().compare(authModeName(mode), Qt::CaseInsensitive) == 0) {
            config.authMode = mode;
            return std::nullopt;
        }
    }
    return ConfigLoader::tr("\"%1\" is not an auth mode (required, optional or off)").arg(text);
}

Refusal applyDataDir(const QString& text, HubConfig& config)
{
    if (text.trimmed().isEmpty())
        return ConfigLoader::tr("the path is empty");
    // Made absolute now so that what the hub uses does not depend on a later working directory.
    const QFileInfo info(text);
    if (info.exists() && !info.isDir())
        return ConfigLoader::tr("\"%1\" is not a directory").arg(text);
    config.dataDir = QDir::cleanPath(info.absoluteFilePath());
    return std::nullopt;
}

QString showDataDir(const HubConfig& config)
{
    if (!config.dataDir.isEmpty())
        return config.dataDir;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

Refusal applyEntitiesDir(const QString& text, HubConfig& config)
{
    HubConfig scratch;
    if (const Refusal refusal = applyDataDir(text, scratch))
        return refusal;
    config.entitiesDir = scratch.dataDir;
    return std::nullopt;
}

QString showEntitiesDir(const HubConfig& config)
{
    if (!config.entitiesDir.isEmpty())
        return config.entitiesDir;
    return ConfigLoader::tr("<data dir>/entities");
}

Refusal applyDemo(const QString& text, HubConfig& config)
{
    const std::optional<bool> value = parseBoolean(text);
    if (!value)
        return ConfigLoader::tr("\"%1\" is not a yes/no value (true, false, 1, 0, yes, no, on, "
                                "off)")
            .arg(text);
    config.demo = *value;
    return std::nullopt;
}

// Reads a PEM file named by a setting; the refusal names what is wrong with it.
Refusal readPemFile(const QString& text, QByteArray* contents)
{
    QFile file(text.trimmed());
    if (text.trimmed().isEmpty())
        return ConfigLoader::tr("the path is empty");
    if (!file.open(QIODevice::ReadOnly))
        return ConfigLoader::tr("\"%1\" cannot be read: %2").arg(text, file.errorString());
    *contents = file.read(1024 * 1024);
    if (!contents->contains("-----BEGIN "))
        return ConfigLoader::tr("\"%1\" is not a PEM file").arg(text);
    return std::nullopt;
}

Refusal applyPublicKey(const QString& text, HubConfig& config)
{
    QByteArray pem;
    if (const Refusal refusal = readPemFile(text, &pem))
        return refusal;
    if (!pem.contains("PUBLIC KEY-----"))
        return ConfigLoader::tr("\"%1\" holds no public key (PEM \"BEGIN PUBLIC KEY\")").arg(text);
    config.jwtPublicKeyFile = QFileInfo(text.trimmed()).absoluteFilePath();
    config.jwtPublicKey = pem;
    return std::nullopt;
}

Refusal applyTlsFile(const QString& text, QString* field)
{
    QByteArray pem;
    if (const Refusal refusal = readPemFile(text, &pem))
        return refusal;
    *field = QFileInfo(text.trimmed()).absoluteFilePath();
    return std::nullopt;
}

Refusal applyOrigins(const QString& text, HubConfig& config)
{
    QStringList origins;
    const QStringList parts = text.split(u',', Qt::SkipEmptyParts);
    for (const QString& part : parts) {
        const QString origin = part.trimmed();
        if (origin.isEmpty())
            continue;
        const QUrl url(origin);
        const bool wildcard = origin == u"*"_s;
        if (!wildcard && (!url.isValid() || url.host().isEmpty() || !url.path().isEmpty() ||
                          (url.scheme() != u"http"_s && url.scheme() != u"https"_s)))
            return ConfigLoader::tr("\"%1\" is not an origin (such as https://app.example.com or "
                                    "*)")
                .arg(origin);
        origins.append(wildcard ? origin : origin.toLower());
    }
    config.allowedOrigins = origins;
    return std::nullopt;
}

Refusal applyRedis(const QString& text, HubConfig& config)
{
    auto parsed = RedisUrl::parseList(text);
    if (const QString* problem = std::get_if<QString>(&parsed))
        return *problem;
    config.redis = std::move(std::get<std::vector<RedisUrl>>(parsed));
    return std::nullopt;
}

QString showRedis(const HubConfig& config)
{
    if (config.redis.empty())
        return ConfigLoader::tr("none (one node on its own)");
    QStringList shown;
    for (const RedisUrl& url : config.redis)
        shown.append(u"redis://"_s + url.display());
    return shown.join(u',');
}

void addClusterSettings(std::vector<Setting>& table)
{
    Setting redis{u"redis"_s,
                  u"REDIS_URL"_s,
                  u"URL"_s,
                  ConfigLoader::tr("Redis that several nodes share to act as one hub: "
                                   "redis://[user:password@]host[:port][/db]. Repeat it (or "
                                   "separate with commas) to spread topics over several Redis "
                                   "instances by a consistent hash of the topic; every node "
                                   "must name the same ones. Without it the hub is one node on "
                                   "its own. REDIS_HOST and REDIS_PORT are read too when "
                                   "REDIS_URL is not set."),
                  applyRedis,
                  showRedis};
    redis.repeatable = true;
    table.push_back(std::move(redis));
    table.push_back({u"node-name"_s, u"SWITCHBOARD_NODE_NAME"_s, u"NAME"_s,
                     ConfigLoader::tr("This node's name in the cluster (GET /api/v1/cluster, "
                                      "logs); unique among the nodes."),
                     [](const QString& text, HubConfig& c) -> Refusal {
                         const QString name = text.trimmed();
                         if (auto problem = nodeNameProblem(name))
                             return problem;
                         c.nodeName = name;
                         return std::nullopt;
                     },
                     [](const HubConfig& c) {
                         return c.nodeName.isEmpty() ? ConfigLoader::tr("hostname:port")
                                                     : c.nodeName;
                     }});
}

Refusal applyTrustedProxies(const QString& text, HubConfig& config)
{
    QList<std::pair<QHostAddress, int>> networks;
    const QStringList parts = text.split(u',', Qt::SkipEmptyParts);
    for (const QString& part : parts) {
        const QString entry = part.trimmed();
        if (entry.isEmpty())
            continue;
        std::pair<QHostAddress, int> network;
        if (entry.contains(u'/')) {
            const auto parsed = QHostAddress::parseSubnet(entry);
            network = {parsed.first, parsed.second};
        } else if (QHostAddress address; address.setAddress(entry)) {
            network = {address, address.protocol() == QAbstractSocket::IPv6Protocol ? 128 : 32};
        }
        if (network.first.isNull() || network.second < 0)
            return ConfigLoader::tr("\"%1\" is not an address or network (such as 10.0.0.0/8, "
                                    "192.168.1.10 or fd00::/8)")
                .arg(entry);
        networks.append(network);
    }
    config.trustedProxies = networks;
    return std::nullopt;
}

QString showTrustedProxies(const HubConfig& config)
{
    if (config.trustedProxies.isEmpty())
        return ConfigLoader::tr("none");
    QStringList networks;
    for (const auto& [address, length] : config.trustedProxies)
        networks.append(address.toString() + u'/' + QString::number(length));
    return networks.join(u',');
}

void addProtectionSettings(std::vector<Setting>& table)
{
    table.push_back({u"jwt-public-key"_s, u"SWITCHBOARD_JWT_PUBLIC_KEY"_s, u"FILE"_s,
                     ConfigLoader::tr("PEM public key: tokens are then RS256, verified with this "
                                      "key, and HS256 tokens are refused."),
                     applyPublicKey, [](const HubConfig& c) {
                         return c.jwtPublicKeyFile.isEmpty() ? ConfigLoader::tr("none")
                                                             : c.jwtPublicKeyFile;
                     }});
    table.push_back({u"tls-cert"_s, u"SWITCHBOARD_TLS_CERT"_s, u"FILE"_s,
                     ConfigLoader::tr("PEM certificate (chain): serve https and wss on the port. "
                                      "Needs --tls-key."),
                     [](const QString& text, HubConfig& c) {
                         return applyTlsFile(text, &c.tlsCertificateFile);
                     },
                     [](const HubConfig& c) {
                         return c.tlsCertificateFile.isEmpty() ? ConfigLoader::tr("none")
                                                               : c.tlsCertificateFile;
                     }});
    table.push_back(
        {u"tls-key"_s, u"SWITCHBOARD_TLS_KEY"_s, u"FILE"_s,
         ConfigLoader::tr("PEM private key of --tls-cert (not password protected)."),
         [](const QString& text, HubConfig& c) { return applyTlsFile(text, &c.tlsKeyFile); },
         [](const HubConfig& c) {
             return c.tlsKeyFile.isEmpty() ? ConfigLoader::tr("none") : c.tlsKeyFile;
         }});
    Setting origins{u"allow-origin"_s,
                    u"SWITCHBOARD_ALLOW_ORIGIN"_s,
                    u"ORIGIN"_s,
                    ConfigLoader::tr("Browser origin allowed to open WebSockets and read REST "
                                     "answers (CORS), such as https://app.example.com; repeat "
                                     "it, or separate with commas; * allows any. Same-origin and "
                                     "loopback pages are always allowed."),
                    applyOrigins,
                    [](const HubConfig& c) {
                        return c.allowedOrigins.isEmpty() ? ConfigLoader::tr("same-origin and "
                                                                             "loopback")
                                                          : c.allowedOrigins.join(u',');
                    }};
    origins.repeatable = true;
    table.push_back(std::move(origins));
    Setting proxies{u"trusted-proxy"_s,
                    u"SWITCHBOARD_TRUSTED_PROXY"_s,
                    u"CIDR"_s,
                    ConfigLoader::tr("Reverse proxy or load balancer (an address, or a network "
                                     "such as 10.0.0.0/8) whose X-Forwarded-For or Forwarded "
                                     "header names the client, for limits, logs and the "
                                     "connections view; repeat it, or separate with commas. "
                                     "From other peers those headers are ignored."),
                    applyTrustedProxies,
                    showTrustedProxies};
    proxies.repeatable = true;
    table.push_back(std::move(proxies));
    table.push_back(integerSetting(
        u"max-connections-per-ip"_s, u"SWITCHBOARD_MAX_CONNECTIONS_PER_IP"_s,
        ConfigLoader::tr("Connections from one IP address at once; more are refused with 503."),
        Unit::Count, 1, 1'000'000, [](HubConfig& c, qint64 v) { c.maxConnectionsPerIp = int(v); },
        [](const HubConfig& c) { return qint64(c.maxConnectionsPerIp); }));
    table.push_back(integerSetting(
        u"requests-per-minute"_s, u"WEBSOCKET_REQUESTS_PER_MINUTE"_s,
        ConfigLoader::tr("Messages a user (a connection when anonymous) may send per minute; "
                         "more get RATE_LIMIT_EXCEEDED."),
        Unit::Count, 1, 1'000'000'000, [](HubConfig& c, qint64 v) { c.requestsPerMinute = int(v); },
        [](const HubConfig& c) { return qint64(c.requestsPerMinute); }));
    table.push_back(integerSetting(
        u"anonymous-requests-per-minute-per-address"_s,
        u"SWITCHBOARD_ANONYMOUS_REQUESTS_PER_MINUTE_PER_ADDRESS"_s,
        ConfigLoader::tr("Messages the anonymous connections of one IP address may send per "
                         "minute together (each connection also has the per-minute and per-hour "
                         "limits of a user); more get RATE_LIMIT_EXCEEDED."),
        Unit::Count, 1, 1'000'000'000,
        [](HubConfig& c, qint64 v) { c.anonymousRequestsPerMinutePerAddress = int(v); },
        [](const HubConfig& c) { return qint64(c.anonymousRequestsPerMinutePerAddress); }));
    table.push_back(integerSetting(
        u"requests-per-hour"_s, u"WEBSOCKET_REQUESTS_PER_HOUR"_s,
        ConfigLoader::tr("Messages a user (a connection when anonymous) may send per hour."),
        Unit::Count, 1, 1'000'000'000, [](HubConfig& c, qint64 v) { c.requestsPerHour = int(v); },
        [](const HubConfig& c) { return qint64(c.requestsPerHour); }));
    Setting block = integerSetting(
        u"block-minutes"_s, u"WEBSOCKET_BLOCK_DURATION_MINUTES"_s,
        ConfigLoader::tr("How long a client that keeps exceeding its rate limit is shut out "
                         "(close 1008, reconnects refused with 429)."),
        Unit::Count, 1, 7 * 24 * 60,
        [](HubConfig& c, qint64 v) { c.rateBlockDuration = std::chrono::minutes(v); },
        [](const HubConfig& c) {
            return qint64(
                std::chrono::duration_cast<std::chrono::minutes>(c.rateBlockDuration).count());
        });
    block.valueName = u"MINUTES"_s;
    table.push_back(std::move(block));
    table.push_back(integerSetting(
        u"ws-max-messages"_s, u"WS_MAX_MESSAGES"_s,
        ConfigLoader::tr("Messages a user may send per WS_RATE_WINDOW on /ws/connect."),
        Unit::Count, 1, 1'000'000'000, [](HubConfig& c, qint64 v) { c.wsMaxMessages = int(v); },
        [](const HubConfig& c) { return qint64(c.wsMaxMessages); }));
    table.push_back(secondsSetting(u"ws-rate-window"_s, u"WS_RATE_WINDOW"_s,
                                   ConfigLoader::tr("The window of WS_MAX_MESSAGES."), 1, 24 * 3600,
                                   &HubConfig::wsRateWindow));
    table.push_back(secondsSetting(u"rate-cleanup-interval"_s, u"WS_CLEANUP_INTERVAL"_s,
                                   ConfigLoader::tr("How often the rate limiter forgets clients "
                                                    "that have gone quiet."),
                                   1, 24 * 3600, &HubConfig::rateCleanupInterval));
}

std::vector<Setting> settingTable()
{
    using ConfigField = std::chrono::milliseconds HubConfig::*;
    const ConfigField handshake = &HubConfig::handshakeTimeout;
    const ConfigField historyAge = &HubConfig::historyMaxAge;
    const ConfigField pingInterval = &HubConfig::pingInterval;
    const ConfigField pingTimeout = &HubConfig::pingTimeout;

    std::vector<Setting> table;
    table.push_back({u"bind"_s, u"SWITCHBOARD_BIND"_s, u"ADDRESS"_s,
                     ConfigLoader::tr("IP address to listen on; \"any\" is every IPv4 and IPv6 "
                                      "address."),
                     applyBind, showBind});
    table.push_back(integerSetting(
        u"port"_s, u"SWITCHBOARD_PORT"_s,
        ConfigLoader::tr("TCP port for HTTP and WebSocket alike; 0 picks any free port."),
        Unit::Count, 0, 65535, [](HubConfig& c, qint64 v) { c.port = quint16(v); },
        [](const HubConfig& c) { return qint64(c.port); }));
    // The port has its own wording: "a port number" says more than "a whole number".
    table.back().apply = [](const QString& text, HubConfig& config) -> Refusal {
        const std::optional<qint64> value = parseInteger(text, 0, 65535);
        if (!value)
            return ConfigLoader::tr("\"%1\" is not a port number (0-65535)").arg(text);
        config.port = quint16(*value);
        return std::nullopt;
    };
    table.push_back({u"auth"_s, u"SWITCHBOARD_AUTH"_s, u"MODE"_s,
                     ConfigLoader::tr("Who may connect: required (a valid token), optional "
                                      "(anonymous clients may read public topics) or off. "
                                      "With --demo the default is optional."),
                     applyAuth, [](const HubConfig& c) { return authModeName(c.authMode); }});
    table.push_back({u"data-dir"_s, u"SWITCHBOARD_DATA_DIR"_s, u"DIR"_s,
                     ConfigLoader::tr("Folder for the database, reports and uploads. A "
                                      "relative path starts at the working directory."),
                     applyDataDir, showDataDir});
    table.push_back({u"entities-dir"_s, u"SWITCHBOARD_ENTITIES_DIR"_s, u"DIR"_s,
                     ConfigLoader::tr("Folder of entity files (YAML) that the hub watches and "
                                      "forecasts from; made if missing. With --demo an empty "
                                      "one gets the sample entities."),
                     applyEntitiesDir, showEntitiesDir});
    table.push_back(integerSetting(
        u"max-connections"_s, u"SWITCHBOARD_MAX_CONNECTIONS"_s,
        ConfigLoader::tr("Clients connected at once; more are refused with 503 or close 1013."),
        Unit::Count, 1, 1'000'000, [](HubConfig& c, qint64 v) { c.maxConnections = int(v); },
        [](const HubConfig& c) { return qint64(c.maxConnections); }));
    table.push_back(integerSetting(
        u"fanout-threads"_s, u"SWITCHBOARD_FANOUT_THREADS"_s,
        ConfigLoader::tr("Extra threads that write a large fan-out to the sockets alongside "
                         "the hub thread; 0 writes on the hub thread alone."),
        Unit::Count, 0, 64, [](HubConfig& c, qint64 v) { c.fanoutThreads = int(v); },
        [](const HubConfig& c) { return qint64(c.fanoutThreads); }));
    table.push_back(integerSetting(
        u"max-jobs"_s, u"SWITCHBOARD_MAX_JOBS"_s,
        ConfigLoader::tr("Jobs running at once; more wait in a queue, in the order they came."),
        Unit::Count, 1, 256, [](HubConfig& c, qint64 v) { c.maxJobs = int(v); },
        [](const HubConfig& c) { return qint64(c.maxJobs); }));
    table.push_back(integerSetting(
        u"max-message-bytes"_s, u"SWITCHBOARD_MAX_MESSAGE_BYTES"_s,
        ConfigLoader::tr("Largest message a client may send; a larger one closes it with 1009."),
        Unit::Bytes, 1024, qint64(1) << 30, [](HubConfig& c, qint64 v) { c.maxMessageBytes = v; },
        [](const HubConfig& c) { return c.maxMessageBytes; }));
    table.push_back(integerSetting(
        u"max-upload-bytes"_s, u"SWITCHBOARD_MAX_UPLOAD_BYTES"_s,
        ConfigLoader::tr("Largest file a client may upload (PUT /api/v1/uploads/{file_id}); "
                         "uploads stream to disk, so this is not bound by --max-message-bytes. "
                         "A larger one is refused with 413 before its body is read."),
        Unit::Bytes, 0, qint64(1) << 40, [](HubConfig& c, qint64 v) { c.maxUploadBytes = v; },
        [](const HubConfig& c) { return c.maxUploadBytes; }));
    table.push_back(integerSetting(
        u"outbound-buffer-bytes"_s, u"SWITCHBOARD_OUTBOUND_BUFFER_BYTES"_s,
        ConfigLoader::tr("Unsent data a slow client may hold before it is closed with 1013."),
        Unit::Bytes, 64 * 1024, qint64(1) << 34,
        [](HubConfig& c, qint64 v) { c.outboundBufferCap = v; },
        [](const HubConfig& c) { return c.outboundBufferCap; }));
    table.push_back(secondsSetting(
        u"handshake-timeout"_s, u"SWITCHBOARD_HANDSHAKE_TIMEOUT"_s,
        ConfigLoader::tr("Time a new connection has to finish its HTTP request or WebSocket "
                         "handshake."),
        1, 3600, handshake));
    table.push_back(integerSetting(
        u"history-size"_s, u"SWITCHBOARD_HISTORY_SIZE"_s,
        ConfigLoader::tr("Events kept per topic for clients that resume with \"since\"."),
        Unit::Count, 0, 1'000'000, [](HubConfig& c, qint64 v) { c.historyLimit = int(v); },
        [](const HubConfig& c) { return qint64(c.historyLimit); }));
    table.push_back(secondsSetting(u"history-seconds"_s, u"SWITCHBOARD_HISTORY_SECONDS"_s,
                                   ConfigLoader::tr("Oldest event age kept per topic for "
                                                    "resuming clients."),
                                   0, 7 * 24 * 3600, historyAge));
    table.push_back(secondsSetting(u"ping-interval"_s, u"WEBSOCKET_PING_INTERVAL"_s,
                                   ConfigLoader::tr("Time between keep-alive pings to each "
                                                    "client."),
                                   1, 3600, pingInterval));
    table.push_back(secondsSetting(u"ping-timeout"_s, u"WEBSOCKET_PING_TIMEOUT"_s,
                                   ConfigLoader::tr("Silence after which a client is dropped; at "
                                                    "least the ping interval."),
                                   1, 24 * 3600, pingTimeout));
    table.push_back(secondsSetting(u"heartbeat-interval"_s, u"SWITCHBOARD_HEARTBEAT_INTERVAL"_s,
                                   ConfigLoader::tr("Time between \"heartbeat\" messages on "
                                                    "/ws/calculations, /ws/entities, /ws/status."),
                                   1, 3600, &HubConfig::heartbeatInterval));
    table.push_back(secondsSetting(u"heartbeat-timeout"_s, u"SWITCHBOARD_HEARTBEAT_TIMEOUT"_s,
                                   ConfigLoader::tr("Silence after which a client of those three "
                                                    "paths is dropped."),
                                   1, 24 * 3600, &HubConfig::heartbeatTimeout));
    Setting secret{u"jwt-secret"_s,
                   u"JWT_SECRET_KEY"_s,
                   QString(),
                   ConfigLoader::tr("HS256 key that signs and verifies tokens. Never accepted "
                                    "on the command line or in a config file."),
                   [](const QString& text, HubConfig& c) -> Refusal {
                       c.jwtSecret = text.toUtf8();
                       return std::nullopt;
                   },
                   [](const HubConfig& c) {
                       return c.jwtSecret.isEmpty() ? ConfigLoader::tr("none") : u"(set)"_s;
                   }};
    secret.environmentOnly = true;
    table.push_back(std::move(secret));
    table.push_back({u"demo"_s, u"SWITCHBOARD_DEMO"_s, QString(),
                     ConfigLoader::tr("Run the built-in simulated trading feed so the console "
                                      "is live at once. In the environment or the config file: "
                                      "true or false."),
                     applyDemo, [](const HubConfig& c) { return c.demo ? u"on"_s : u"off"_s; }});
    table.push_back(integerSetting(
        u"demo-seed"_s, u"SWITCHBOARD_DEMO_SEED"_s,
        ConfigLoader::tr("Seed of the demo feed: the same seed plays the same book."), Unit::Count,
        0, std::numeric_limits<qint64>::max(),
        [](HubConfig& c, qint64 v) { c.demoSeed = quint64(v); },
        [](const HubConfig& c) { return qint64(c.demoSeed.value_or(0)); }));
    table.back().show = [](const HubConfig& c) {
        return c.demoSeed ? QString::number(*c.demoSeed) : ConfigLoader::tr("random");
    };
    table.push_back(secondsSetting(u"metrics-interval"_s, u"SWITCHBOARD_METRICS_INTERVAL"_s,
                                   ConfigLoader::tr("Time between system metrics samples, taken "
                                                    "only while someone watches them."),
                                   1, 3600, &HubConfig::metricsInterval));
    table.push_back(integerSetting(
        u"disk-alert-percent"_s, u"SWITCHBOARD_DISK_ALERT_PERCENT"_s,
        ConfigLoader::tr("Disk use of the data dir above which a system_alert is sent."),
        Unit::Count, 0, 100, [](HubConfig& c, qint64 v) { c.diskAlertPercent = int(v); },
        [](const HubConfig& c) { return qint64(c.diskAlertPercent); }));
    addProtectionSettings(table);
    addClusterSettings(table);
    return table;
}

// Breaks a description into lines of at most `width` characters after `indent`.
QString wrapped(const QString& text, const QString& indent, qsizetype width = 80)
{
    QString result;
    QString line = indent;
    const QStringList words = text.split(u' ', Qt::SkipEmptyParts);
    for (const QString& word : words) {
        if (line.size() > indent.size() && line.size() + 1 + word.size() > width) {
            result += line + u'\n';
            line = indent;
        }
        if (line.size() > indent.size())
            line += u' ';
        line += word;
    }
    return result + line + u'\n';
}

const Setting* findSetting(const std::vector<Setting>& table, const QString& name)
{
    for (const Setting& setting : table) {
        if (setting.name == name)
            return &setting;
    }
    return nullptr;
}

// Settings found in one source, by setting name, with how an error names where a value came
// from: "--port", "SWITCHBOARD_PORT", "/etc/switchboard.ini: port".
struct Source {
    QHash<QString, QString> values;
    std::function<QString(const Setting&)> label;
    std::optional<QString> error; // a source that could not be read at all
};

struct CommandLine {
    Source source;
    bool help = false;
    bool version = false;
};

// A hand-written loop rather than QCommandLineParser: its errors ("Missing value after ...")
// cannot always be tied to a setting, and the help must show environment variables.
CommandLine readCommandLine(const QStringList& arguments, const std::vector<Setting>& table)
{
    CommandLine commandLine;
    Source& source = commandLine.source;
    source.label = [](const Setting& setting) -> QString { return u"--"_s + setting.name; };
    const auto fail = [&source](const QString& message) {
        if (!source.error)
            source.error = message;
    };

    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString& argument = arguments.at(i);
        if (argument == "-h"_L1 || argument == "--help"_L1) {
            commandLine.help = true;
            continue;
        }
        if (argument == "-v"_L1 || argument == "--version"_L1) {
            commandLine.version = true;
            continue;
        }
        if (!argument.startsWith("--"_L1) || argument.size() == 2) {
            if (argument.startsWith(u'-'))
                fail(ConfigLoader::tr("%1: unknown option (see --help)").arg(argument));
            else
                fail(ConfigLoader::tr("\"%1\": unexpected argument (see --help)").arg(argument));
            continue;
        }

        const qsizetype equals = argument.indexOf(u'=');
        const QString name = equals < 0 ? argument.mid(2) : argument.mid(2, equals - 2);
        const QString option = u"--"_s + name;
        const Setting* setting = findSetting(table, name);
        if (setting && setting->environmentOnly)
            setting = nullptr;
        if (!setting && name != ConfigName) {
            fail(ConfigLoader::tr("%1: unknown option (see --help)").arg(option));
            continue;
        }
        if (setting && setting->valueName.isEmpty()) {
            if (equals >= 0)
                fail(ConfigLoader::tr("%1: takes no value").arg(option));
            else
                source.values.insert(name, u"true"_s);
            continue;
        }
        const auto store = [&source, setting, &name](const QString& value) {
            if (setting && setting->repeatable && source.values.contains(name))
                source.values[name] += u',' + value;
            else
                source.values.insert(name, value);
        };
        if (equals >= 0) {
            store(argument.mid(equals + 1));
        } else if (i + 1 < arguments.size() && !arguments.at(i + 1).startsWith("--"_L1)) {
            store(arguments.at(++i));
        } else {
            // "--data-dir --demo" must not make a folder called "--demo".
            fail(ConfigLoader::tr("%1: needs a value").arg(option));
        }
    }
    return commandLine;
}

Source readEnvironment(const QProcessEnvironment& environment, const std::vector<Setting>& table)
{
    Source source;
    source.label = [](const Setting& setting) -> QString { return setting.environment; };
    for (const Setting& setting : table) {
        // Empty counts as unset: `FOO= cmd` and blank compose/systemd entries mean "no value".
        const QString value = environment.value(setting.environment);
        if (!value.isEmpty())
            source.values.insert(setting.name, value);
    }
    return source;
}

Source readConfigFile(const QString& path, const QString& origin, const std::vector<Setting>& table)
{
    Source source;
    source.label = [path](const Setting& setting) -> QString {
        return path + u": "_s + setting.name;
    };

    if (path.isEmpty()) {
        source.error = origin + u": "_s + ConfigLoader::tr("the path is empty");
        return source;
    }
    // QSettings reports neither a missing nor an unreadable file, so look first.
    const QFileInfo info(path);
    QFile file(path);
    if (info.isDir() || !file.open(QIODevice::ReadOnly)) {
        const QString reason =
            info.isDir() ? ConfigLoader::tr("it is a directory") : file.errorString();
        source.error = ConfigLoader::tr("%1: \"%2\" cannot be read: %3").arg(origin, path, reason);
        return source;
    }
    file.close();

    const QSettings settings(path, QSettings::IniFormat);
    if (settings.status() != QSettings::NoError) {
        source.error = ConfigLoader::tr("%1: \"%2\" is not a valid INI file").arg(origin, path);
        return source;
    }
    const QStringList keys = settings.allKeys();
    for (const QString& key : keys) {
        const Setting* setting = findSetting(table, key);
        if (!setting) {
            source.error =
                ConfigLoader::tr("%1: \"%2\" is not a setting (see --help)").arg(path, key);
            return source;
        }
        if (setting->environmentOnly) {
            source.error = ConfigLoader::tr("%1: %2: a secret does not belong in a config "
                                            "file; set %3 instead")
                               .arg(path, key, setting->environment);
            return source;
        }
        const QVariant value = settings.value(key);
        if (value.typeId() == QMetaType::QStringList) {
            // QSettings splits an unquoted value at commas.
            source.error = ConfigLoader::tr("%1: %2: a list is not a value here; put a value "
                                            "that contains commas in double quotes")
                               .arg(path, key);
            return source;
        }
        if (value.typeId() != QMetaType::QString) {
            source.error = ConfigLoader::tr("%1: %2: not a plain text value").arg(path, key);
            return source;
        }
        source.values.insert(key, value.toString());
    }
    return source;
}

} // namespace

ConfigLoader::ConfigLoader(QString programName, QString description)
    : m_programName(std::move(programName))
    , m_description(std::move(description))
{}

ConfigLoadResult ConfigLoader::load(const QStringList& arguments,
                                    const QProcessEnvironment& environment) const
{
    const std::vector<Setting> table = settingTable();

    // --help and --version answer even when other arguments or the environment are bad.
    const CommandLine commandLine = readCommandLine(arguments, table);
    if (commandLine.help)
        return {ConfigLoadResult::Kind::Exit, {}, 0, helpText()};
    if (commandLine.version) {
        return {ConfigLoadResult::Kind::Exit,
                {},
                0,
                m_programName + u' ' + QStringLiteral(SWITCHBOARD_VERSION) + u'\n'};
    }
    if (commandLine.source.error)
        return exitWithError(*commandLine.source.error);

    const Source fromEnvironment = readEnvironment(environment, table);

    Source fromFile;
    // An empty --config is an error, not a way to fall back on SWITCHBOARD_CONFIG.
    if (commandLine.source.values.contains(ConfigName))
        fromFile = readConfigFile(commandLine.source.values.value(ConfigName), u"--"_s + ConfigName,
                                  table);
    else if (const QString fromVariable = environment.value(ConfigEnvironment);
             !fromVariable.isEmpty())
        fromFile = readConfigFile(fromVariable, ConfigEnvironment, table);
    if (fromFile.error)
        return exitWithError(*fromFile.error);

    // Every value is checked, even one a higher source overrides: a typo in the config file
    // should not wait to surface until the day the command line stops covering it. A value
    // that is overridden is applied to a scratch copy, so only its validity counts.
    HubConfig config;
    HubConfig overridden;
    QHash<QString, QString> origin; // setting name -> label of the source that decided it
    const std::array<const Source*, 3> sources = {&commandLine.source, &fromEnvironment, &fromFile};
    for (const Source* source : sources) {
        for (const Setting& setting : table) {
            const auto value = source->values.constFind(setting.name);
            if (value == source->values.constEnd())
                continue;
            const bool decided = origin.contains(setting.name);
            if (const Refusal refusal = setting.apply(*value, decided ? overridden : config))
                return exitWithError(source->label(setting) + u": "_s + *refusal);
            if (!decided)
                origin.insert(setting.name, source->label(setting));
        }
    }

    // The seed documents name their Redis with REDIS_HOST and REDIS_PORT.
    if (!origin.contains(u"redis"_s) && !environment.value(u"REDIS_HOST"_s).isEmpty()) {
        const QString host = environment.value(u"REDIS_HOST"_s).trimmed();
        const QString port = environment.value(u"REDIS_PORT"_s, u"6379"_s).trimmed();
        const QString url =
            u"redis://"_s + (host.contains(u':') ? u'[' + host + u']' : host) + u':' + port;
        if (const Refusal refusal = applyRedis(url, config))
            return exitWithError(u"REDIS_HOST/REDIS_PORT: "_s + *refusal);
    }

    // The demo feed is for trying the console out without tokens, unless auth was chosen.
    if (config.demo && !origin.contains(u"auth"_s))
        config.authMode = AuthMode::Optional;

    // A client that only answers pings would be dropped between two of them.
    if (config.pingTimeout < config.pingInterval) {
        const auto seconds = [](std::chrono::milliseconds duration) {
            return QString::number(
                std::chrono::duration_cast<std::chrono::seconds>(duration).count());
        };
        const QString interval = seconds(config.pingInterval);
        const QString timeout = seconds(config.pingTimeout);
        if (origin.contains(u"ping-timeout"_s)) {
            return exitWithError(
                origin.value(u"ping-timeout"_s) + u": "_s +
                tr("%1 s is shorter than the ping interval (%2 s)").arg(timeout, interval));
        }
        return exitWithError(
            origin.value(u"ping-interval"_s) + u": "_s +
            tr("%1 s is longer than the ping timeout (%2 s)").arg(interval, timeout));
    }

    // A certificate without its key (or the reverse) cannot serve TLS.
    if (config.tlsCertificateFile.isEmpty() != config.tlsKeyFile.isEmpty()) {
        const QString given = config.tlsKeyFile.isEmpty() ? u"tls-cert"_s : u"tls-key"_s;
        const QString missing = config.tlsKeyFile.isEmpty() ? u"--tls-key"_s : u"--tls-cert"_s;
        return exitWithError(origin.value(given) + u": "_s + tr("needs %1 as well").arg(missing));
    }
    if (!config.tlsCertificateFile.isEmpty()) {
        if (const std::optional<QString> problem =
                tlsFilesProblem(config.tlsCertificateFile, config.tlsKeyFile))
            return exitWithError(*problem);
    }

    return {ConfigLoadResult::Kind::Run, config, 0, QString()};
}

ConfigLoadResult ConfigLoader::exitWithError(const QString& message) const
{
    return {ConfigLoadResult::Kind::Exit,
            {},
            BadSettingExitCode,
            m_programName + u": "_s + message + u'\n'};
}

QString ConfigLoader::helpText() const
{
    const HubConfig defaults;
    const QString indent = u"      "_s;
    QString text = tr("Usage: %1 [options]").arg(m_programName) + u'\n';
    if (!m_description.isEmpty())
        text += m_description + u'\n';
    text += u'\n';
    text += tr("Each setting comes from the first of: the command line, its environment\n"
               "variable, the config file named by --config, its default. In the config file\n"
               "(INI) a setting is a top-level key named like its option without the dashes,\n"
               "for example \"port=9000\". An environment variable set to \"\" counts as unset.\n");
    text += u'\n';

    for (const Setting& setting : settingTable()) {
        if (setting.environmentOnly)
            text += u"  "_s + setting.environment + u' ' + tr("(environment only)");
        else
            text += u"  --"_s + setting.name;
        if (!setting.environmentOnly && !setting.valueName.isEmpty())
            text += u' ' + setting.valueName;
        text += u'\n' + wrapped(setting.description, indent);
        text += wrapped(
            tr("Environment: %1. Default: %2.").arg(setting.environment, setting.show(defaults)),
            indent);
    }
    text += u"  --"_s + ConfigName + u" FILE\n"_s;
    text += indent + tr("Read settings from this INI file.") + u'\n';
    text += indent + tr("Environment: %1. Default: none.").arg(ConfigEnvironment) + u'\n';
    text += u"  -h, --help\n"_s + indent + tr("Print this help and exit.") + u'\n';
    text += u"  -v, --version\n"_s + indent + tr("Print the version and exit.") + u'\n';
    return text;
}

} // namespace switchboard
