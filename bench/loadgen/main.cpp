// switchboard-loadgen: drives a Switchboard hub on this machine with the bench scenarios and
// reports latency, loss, throughput, memory and who used the CPU. See bench/README.md.

#include "ProcessStats.h"
#include "Report.h"
#include "Scenarios.h"
#include "TlsStream.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>

#include <algorithm>
#include <arpa/inet.h>
#include <cstdio>
#include <cstdlib>

using namespace loadgen;

namespace {

struct Parsed {
    BenchOptions options;
    std::vector<std::string> scenarios;
    bool json = false;
    QString jsonOut;
    bool check = false;
    bool tls = false;
    bool connectionsGiven = false;
};

[[noreturn]] void usageError(const QString& message)
{
    std::fprintf(stderr, "switchboard-loadgen: %s\n", qPrintable(message));
    std::exit(2);
}

double number(const QCommandLineParser& parser, const QString& name, double min, double max)
{
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok || value < min || value > max)
        usageError(
            QStringLiteral("--%1 must be a number from %2 to %3").arg(name).arg(min).arg(max));
    return value;
}

template <typename T>
std::vector<T> numberList(const QCommandLineParser& parser, const QString& name, double max)
{
    std::vector<T> values;
    for (const QString& part : parser.value(name).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double value = part.trimmed().toDouble(&ok);
        if (!ok || value <= 0 || value > max)
            usageError(QStringLiteral("--%1 takes a comma-separated list of numbers above 0, at "
                                      "most %2")
                           .arg(name)
                           .arg(max));
        values.push_back(T(value));
    }
    if (values.empty())
        usageError(QStringLiteral("--%1 needs at least one size").arg(name));
    return values;
}

Parsed parseArguments(const QCoreApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Load generator for the Switchboard hub (native protocol, /ws/v1). Sends traffic to "
        "this machine only.\nScenarios: S1L (20 publishes/s), S1 (200 publishes/s), S2 (highest "
        "clean rate), S3 (idle subscribed connections), S4 (many topics), REST (publish "
        "batches), churn (sign in, subscribe, leave), wss (S2 over TLS), soak (mixed load), "
        "growth[-connections|-subscriptions|-topics|-events|-dialects] (cost per unit at three "
        "sizes), custom (--rate), all (S1L,S1,S2,S3,S4,REST).\nWith JWT_SECRET_KEY in the "
        "environment, clients sign in with HS256 tokens the generator signs."));
    parser.addHelpOption();
    const auto option = [&](const char* name, const char* help, const char* valueName,
                            const char* defaultValue) {
        parser.addOption(QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help),
                                            QString::fromLatin1(valueName),
                                            QString::fromLatin1(defaultValue)));
    };
    option("host", "Server address (loopback only).", "address", "127.0.0.1");
    option("port", "Server port (required).", "port", "");
    option("path", "WebSocket path of the native protocol.", "path", "/ws/v1");
    option("subscriber-ports",
           "Comma-separated ports of the same host (e.g. two cluster nodes) that the "
           "subscribing clients connect to in turn; publishers and REST stay on --port.",
           "ports", "");
    option("scenario", "Comma-separated scenarios, or all.", "names", "all");
    option("server-pid", "Server process, for its CPU and memory (S3 needs it).", "pid", "0");
    option("peer-pids",
           "Comma-separated processes reported together beside the server's CPU (a cluster's "
           "other node and Redis).",
           "pids", "");
    option("redis-port",
           "A cluster's Redis on the same host: its commands and network bytes are read "
           "(INFO) before and after each phase and reported per publish.",
           "port", "0");
    option("subscribers", "Subscriber connections (S1L, S1, S2, custom).", "n", "1000");
    option("publishers", "Publisher connections.", "n", "1");
    option("payload-bytes", "Size of each event's data object as JSON.", "bytes", "200");
    option("seconds", "Measured publishing time of S1L, S1 and custom.", "s", "10");
    option("warmup", "Unmeasured publishing before S1L, S1 and S2.", "s", "1");
    option("drain", "Longest wait for stragglers after the last publish.", "s", "2");
    option("rate", "Publishes per second of the custom scenario.", "n", "100");
    option("connections",
           "Idle connections of S3 (default 19000, or what the descriptor limit allows).", "n", "");
    option("s3-mode",
           "S3: subscribed (each idle connection subscribes to a topic and waits for the ack) "
           "or welcome (connect only).",
           "subscribed|welcome", "subscribed");
    option("s3-topics", "S3: the topics the idle connections subscribe to, round-robin.", "n", "1");
    option("topics", "S4: topics, one subscriber each in turn.", "n", "1000");
    option("s4-start-rate", "S4: first publish rate.", "n", "2000");
    option("s4-max-rate", "S4: highest publish rate tried.", "n", "1000000");
    option("rest-subscribers", "REST: subscribers of the published topic.", "n", "100");
    option("rest-batch", "REST: events per POST /api/v1/publish.", "n", "100");
    option("rest-connections", "REST: HTTP connections posting batches.", "n", "1");
    option("rest-start-rate", "REST: first rate, in events per second.", "n", "2000");
    option("rest-max-rate", "REST: highest rate tried, in events per second.", "n", "1000000");
    option("churn-rate", "churn: new connections per second.", "n", "5000");
    option("churn-in-flight", "churn: connections in progress at most.", "n", "1000");
    option("soak-seconds", "soak: length of the run.", "s", "1800");
    option("soak-warmup",
           "soak: time before the RSS level is taken (default: half the soak, at most 300 s).", "s",
           "-1");
    option("soak-subscribers", "soak: healthy subscribers.", "n", "500");
    option("soak-rate", "soak: WebSocket publishes per second to the healthy subscribers.", "n",
           "100");
    option("soak-rest-rate", "soak: REST events per second to the same topic.", "n", "20");
    option("soak-rest-batch", "soak: events per REST request.", "n", "10");
    option("soak-churn-rate", "soak: connections per second signing in and leaving.", "n", "50");
    option("soak-slow-readers", "soak: clients that stop reading (the server must cut them).", "n",
           "4");
    option("soak-job-seconds", "soak: a forecast or Monte Carlo job every this many seconds.", "s",
           "10");
    option("soak-csv", "soak: write the server's RSS, once a second, to this CSV file.", "file",
           "");
    option("growth-connections", "growth: connection counts.", "list", "1000,5000,15000");
    option("growth-subscriptions", "growth: subscriptions per connection (1000 connections).",
           "list", "1,10,100");
    option("growth-topics", "growth: topic counts.", "list", "1000,10000,50000");
    option("growth-event-rates", "growth: publishes per second to 100 subscribers.", "list",
           "200,1000,5000");
    option("growth-fanouts", "growth: subscribers per dialect.", "list", "100,300,1000");
    option("connect-concurrency", "Handshakes in flight while connecting.", "n", "256");
    option("connect-timeout", "Longest time to connect all clients of a scenario.", "s", "60");
    option("s2-start-rate", "S2: first publish rate.", "n", "500");
    option("s2-max-rate", "S2: highest publish rate tried.", "n", "64000");
    option("s2-step-seconds", "S2: publishing time of each step.", "s", "3");
    option("s2-p99-ms", "S2: a step passes only with p99 below this.", "ms", "100");
    option("s2-budget", "S2: stop searching after this long.", "s", "150");
    option("s2-retries", "S2, S4, REST, wss: times a failed step is run again before it counts.",
           "n", "1");
    option("s2-read-round-ms",
           "S2, S4, REST, wss: while publishing, read the sockets in rounds this far apart "
           "rather than as each one becomes readable (0: as each becomes readable).",
           "ms", "1");
    option("acks",
           "How clients acknowledge what they read: quick (the kernel's own behaviour, the "
           "default) or delayed (TCP quick ACKs turned off before each read).",
           "quick|delayed", "quick");
    option("max-seconds", "Give up on everything after this long.", "s", "600");
    option("json-out", "Also write the results as JSON to this file.", "file", "");
    parser.addOption(QCommandLineOption(QStringLiteral("json"),
                                        QStringLiteral("Print JSON instead of the table.")));
    parser.addOption(QCommandLineOption(
        QStringLiteral("check"), QStringLiteral("Exit with 3 if a judged target was not met.")));
    parser.addOption(QCommandLineOption(
        QStringLiteral("tls"), QStringLiteral("wss:// and https:// for every scenario (the wss "
                                              "scenario always uses TLS).")));
    parser.process(app);

    Parsed parsed;
    BenchOptions& o = parsed.options;
    const QString host = parser.value(QStringLiteral("host"));
    in_addr address{};
    if (inet_pton(AF_INET, host.toLatin1().constData(), &address) != 1 ||
        (ntohl(address.s_addr) >> 24) != 127)
        usageError(QStringLiteral("--host must be an IPv4 loopback address (127.x.x.x); the "
                                  "bench never sends load to another machine"));
    if (parser.value(QStringLiteral("port")).isEmpty())
        usageError(QStringLiteral("--port is required"));
    const auto port = uint16_t(number(parser, QStringLiteral("port"), 1, 65535));
    o.endpoint.address.sin_family = AF_INET;
    o.endpoint.address.sin_addr = address;
    o.endpoint.address.sin_port = htons(port);
    o.endpoint.hostHeader = host.toStdString() + ":" + std::to_string(port);
    o.endpoint.path = parser.value(QStringLiteral("path")).toStdString();
    for (const QString& part : parser.value(QStringLiteral("subscriber-ports"))
                                   .split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const uint value = part.trimmed().toUInt(&ok);
        if (!ok || value < 1 || value > 65535)
            usageError(QStringLiteral("--subscriber-ports takes a comma-separated list of ports "
                                      "from 1 to 65535"));
        o.endpoint.subscriberPorts.push_back(uint16_t(value));
    }

    o.serverPid = pid_t(number(parser, QStringLiteral("server-pid"), 0, 1 << 30));
    for (const QString& part :
         parser.value(QStringLiteral("peer-pids")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int pid = part.trimmed().toInt(&ok);
        if (!ok || pid < 1)
            usageError(QStringLiteral("--peer-pids takes a comma-separated list of process ids"));
        o.peerPids.push_back(pid_t(pid));
    }
    o.redisPort = uint16_t(number(parser, QStringLiteral("redis-port"), 0, 65535));
    o.subscribers = uint64_t(number(parser, QStringLiteral("subscribers"), 1, 100000));
    o.publishers = int(number(parser, QStringLiteral("publishers"), 1, 64));
    o.payloadBytes = int(number(parser, QStringLiteral("payload-bytes"), 0, 1 << 20));
    o.seconds = number(parser, QStringLiteral("seconds"), 0.1, 600);
    o.warmupSeconds = number(parser, QStringLiteral("warmup"), 0, 60);
    o.drainSeconds = number(parser, QStringLiteral("drain"), 0.1, 60);
    o.customRate = number(parser, QStringLiteral("rate"), 0.1, 1e6);
    parsed.connectionsGiven = !parser.value(QStringLiteral("connections")).isEmpty();
    if (parsed.connectionsGiven)
        o.idleConnections = uint64_t(number(parser, QStringLiteral("connections"), 1, 60000));
    const QString s3Mode = parser.value(QStringLiteral("s3-mode"));
    if (s3Mode != QLatin1String("subscribed") && s3Mode != QLatin1String("welcome"))
        usageError(QStringLiteral("--s3-mode must be subscribed or welcome"));
    o.idleSubscribe = s3Mode == QLatin1String("subscribed");
    o.idleTopics = uint64_t(number(parser, QStringLiteral("s3-topics"), 1, 100000));
    o.manyTopics = uint64_t(number(parser, QStringLiteral("topics"), 1, 100000));
    o.manyTopicsStartRate = number(parser, QStringLiteral("s4-start-rate"), 1, 1e7);
    o.manyTopicsMaxRate = number(parser, QStringLiteral("s4-max-rate"), 1, 1e7);
    o.restSubscribers = uint64_t(number(parser, QStringLiteral("rest-subscribers"), 1, 100000));
    o.restBatch = int(number(parser, QStringLiteral("rest-batch"), 1, 1000));
    o.restConnections = int(number(parser, QStringLiteral("rest-connections"), 1, 64));
    o.restStartRate = number(parser, QStringLiteral("rest-start-rate"), 1, 1e7);
    o.restMaxRate = number(parser, QStringLiteral("rest-max-rate"), 1, 1e8);
    o.churnRate = number(parser, QStringLiteral("churn-rate"), 1, 1e6);
    o.churnInFlight = uint64_t(number(parser, QStringLiteral("churn-in-flight"), 1, 19000));
    o.soakSeconds = number(parser, QStringLiteral("soak-seconds"), 5, 7 * 24 * 3600);
    o.soakWarmupSeconds = number(parser, QStringLiteral("soak-warmup"), -1, 24 * 3600);
    o.soakSubscribers = uint64_t(number(parser, QStringLiteral("soak-subscribers"), 1, 19000));
    o.soakRate = number(parser, QStringLiteral("soak-rate"), 0.1, 1e6);
    o.soakRestRate = number(parser, QStringLiteral("soak-rest-rate"), 0, 1e6);
    o.soakRestBatch = int(number(parser, QStringLiteral("soak-rest-batch"), 1, 1000));
    o.soakChurnRate = number(parser, QStringLiteral("soak-churn-rate"), 0, 1e5);
    o.soakSlowReaders = uint64_t(number(parser, QStringLiteral("soak-slow-readers"), 0, 1000));
    o.soakJobSeconds = number(parser, QStringLiteral("soak-job-seconds"), 0, 3600);
    o.soakCsv = parser.value(QStringLiteral("soak-csv")).toStdString();
    o.growthConnections = numberList<uint64_t>(parser, QStringLiteral("growth-connections"), 19000);
    o.growthSubscriptions =
        numberList<uint64_t>(parser, QStringLiteral("growth-subscriptions"), 250);
    o.growthTopics = numberList<uint64_t>(parser, QStringLiteral("growth-topics"), 1e6);
    o.growthEventRates = numberList<double>(parser, QStringLiteral("growth-event-rates"), 1e6);
    o.growthFanouts = numberList<uint64_t>(parser, QStringLiteral("growth-fanouts"), 19000);
    o.jwtSecret = qgetenv("JWT_SECRET_KEY");
    o.connectConcurrency = int(number(parser, QStringLiteral("connect-concurrency"), 1, 60000));
    o.connectTimeoutSeconds = number(parser, QStringLiteral("connect-timeout"), 1, 600);
    o.searchStartRate = number(parser, QStringLiteral("s2-start-rate"), 1, 1e6);
    o.searchMaxRate = number(parser, QStringLiteral("s2-max-rate"), 1, 1e7);
    o.searchStepSeconds = number(parser, QStringLiteral("s2-step-seconds"), 0.5, 60);
    o.searchP99Ms = number(parser, QStringLiteral("s2-p99-ms"), 0.1, 60000);
    o.searchBudgetSeconds = number(parser, QStringLiteral("s2-budget"), 1, 3600);
    o.searchReadRoundMs = number(parser, QStringLiteral("s2-read-round-ms"), 0, 100);
    o.searchRetries = int(number(parser, QStringLiteral("s2-retries"), 0, 5));
    const QString acks = parser.value(QStringLiteral("acks"));
    if (acks != QLatin1String("delayed") && acks != QLatin1String("quick"))
        usageError(QStringLiteral("--acks must be quick or delayed"));
    o.delayedAcks = acks == QLatin1String("delayed");
    const double maxSeconds = number(parser, QStringLiteral("max-seconds"), 1, 7200);
    o.hardDeadlineNs = monotonicNs() + int64_t(maxSeconds * 1e9);

    const std::vector<std::string> known = scenarioNames();
    for (const QString& name :
         parser.value(QStringLiteral("scenario")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const std::string scenario = name.trimmed().toStdString();
        if (scenario == "all") {
            parsed.scenarios.insert(parsed.scenarios.end(),
                                    {"S1L", "S1", "S2", "S3", "S4", "REST"});
        } else if (std::find(known.begin(), known.end(), scenario) != known.end()) {
            parsed.scenarios.push_back(scenario);
        } else {
            usageError(QStringLiteral("unknown scenario '%1' (see --help)").arg(name));
        }
    }
    parsed.json = parser.isSet(QStringLiteral("json"));
    parsed.jsonOut = parser.value(QStringLiteral("json-out"));
    parsed.check = parser.isSet(QStringLiteral("check"));
    parsed.tls = parser.isSet(QStringLiteral("tls"));
    return parsed;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("switchboard-loadgen"));
    Parsed parsed = parseArguments(app);

    // The generator's own descriptors: a few dozen besides its sockets.
    constexpr uint64_t spareDescriptors = 100;
    const uint64_t files = raiseFileLimit();
    if (!parsed.connectionsGiven)
        parsed.options.idleConnections =
            std::min<uint64_t>(19000, files > spareDescriptors ? files - spareDescriptors : 1);
    const uint64_t needed = std::max(parsed.options.idleConnections, parsed.options.subscribers) +
                            uint64_t(parsed.options.publishers) + spareDescriptors;
    if (files < needed)
        std::fprintf(stderr,
                     "switchboard-loadgen: warning: only %llu file descriptors allowed, %llu "
                     "wanted\n",
                     static_cast<unsigned long long>(files),
                     static_cast<unsigned long long>(needed));

    std::vector<ScenarioResult> results;
    for (const std::string& name : parsed.scenarios) {
        if (monotonicNs() >= parsed.options.hardDeadlineNs) {
            ScenarioResult skipped;
            skipped.name = name;
            skipped.error = "not run: --max-seconds reached";
            results.push_back(skipped);
            continue;
        }
        BenchOptions options = parsed.options;
        if (parsed.tls || name == "wss") {
            static const TlsClientContext tls;
            if (!tls.valid()) {
                std::fprintf(stderr, "switchboard-loadgen: cannot set up TLS (libssl)\n");
                return 1;
            }
            options.endpoint.tls = tls.get();
        }
        results.push_back(runScenario(name, options));
    }

    const MachineInfo machine = MachineInfo::current();
    const QByteArray json =
        QJsonDocument(reportJson(results, machine, parsed.options)).toJson(QJsonDocument::Indented);
    if (!parsed.jsonOut.isEmpty()) {
        QFile file(parsed.jsonOut);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(json) < 0)
            std::fprintf(stderr, "switchboard-loadgen: cannot write %s\n",
                         qPrintable(parsed.jsonOut));
    }
    if (parsed.json)
        std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
    else
        printReport(stdout, results, machine, parsed.options);

    bool error = false;
    bool missed = false;
    for (const ScenarioResult& result : results) {
        error = error || !result.error.empty();
        missed = missed || (result.targetMet && !*result.targetMet);
    }
    if (error)
        return 1;
    return parsed.check && missed ? 3 : 0;
}
