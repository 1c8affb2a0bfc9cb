// switchboard-loadgen: drives a Switchboard hub on this machine with the bench scenarios and
// reports latency, loss, throughput, memory and who used the CPU. See bench/README.md.

#include "ProcessStats.h"
#include "Report.h"
#include "Scenarios.h"

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

Parsed parseArguments(const QCoreApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Load generator for the Switchboard hub (native protocol, /ws/v1). Sends traffic to "
        "this machine only.\nScenarios: S1L (20 publishes/s), S1 (200 publishes/s), S2 (highest "
        "clean rate), S3 (idle connections), custom (--rate), all (S1L,S1,S2,S3)."));
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
    option("scenario", "Comma-separated scenarios, or all.", "names", "all");
    option("server-pid", "Server process, for its CPU and memory (S3 needs it).", "pid", "0");
    option("subscribers", "Subscriber connections (S1L, S1, S2, custom).", "n", "1000");
    option("publishers", "Publisher connections.", "n", "1");
    option("payload-bytes", "Size of each event's data object as JSON.", "bytes", "200");
    option("seconds", "Measured publishing time of S1L, S1 and custom.", "s", "10");
    option("warmup", "Unmeasured publishing before S1L, S1 and S2.", "s", "1");
    option("drain", "Longest wait for stragglers after the last publish.", "s", "2");
    option("rate", "Publishes per second of the custom scenario.", "n", "100");
    option("connections", "Idle connections of S3.", "n", "10000");
    option("connect-concurrency", "Handshakes in flight while connecting.", "n", "256");
    option("connect-timeout", "Longest time to connect all clients of a scenario.", "s", "60");
    option("s2-start-rate", "S2: first publish rate.", "n", "500");
    option("s2-max-rate", "S2: highest publish rate tried.", "n", "64000");
    option("s2-step-seconds", "S2: publishing time of each step.", "s", "3");
    option("s2-p99-ms", "S2: a step passes only with p99 below this.", "ms", "100");
    option("s2-budget", "S2: stop searching after this long.", "s", "90");
    option("acks",
           "How clients acknowledge what they read: delayed (TCP quick ACKs off, the default) "
           "or quick (the kernel's default for a client that never sends).",
           "delayed|quick", "delayed");
    option("max-seconds", "Give up on everything after this long.", "s", "600");
    option("json-out", "Also write the results as JSON to this file.", "file", "");
    parser.addOption(QCommandLineOption(QStringLiteral("json"),
                                        QStringLiteral("Print JSON instead of the table.")));
    parser.addOption(QCommandLineOption(
        QStringLiteral("check"), QStringLiteral("Exit with 3 if a judged target was not met.")));
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

    o.serverPid = pid_t(number(parser, QStringLiteral("server-pid"), 0, 1 << 30));
    o.subscribers = uint64_t(number(parser, QStringLiteral("subscribers"), 1, 100000));
    o.publishers = int(number(parser, QStringLiteral("publishers"), 1, 64));
    o.payloadBytes = int(number(parser, QStringLiteral("payload-bytes"), 0, 1 << 20));
    o.seconds = number(parser, QStringLiteral("seconds"), 0.1, 600);
    o.warmupSeconds = number(parser, QStringLiteral("warmup"), 0, 60);
    o.drainSeconds = number(parser, QStringLiteral("drain"), 0.1, 60);
    o.customRate = number(parser, QStringLiteral("rate"), 0.1, 1e6);
    o.idleConnections = uint64_t(number(parser, QStringLiteral("connections"), 1, 60000));
    o.connectConcurrency = int(number(parser, QStringLiteral("connect-concurrency"), 1, 60000));
    o.connectTimeoutSeconds = number(parser, QStringLiteral("connect-timeout"), 1, 600);
    o.searchStartRate = number(parser, QStringLiteral("s2-start-rate"), 1, 1e6);
    o.searchMaxRate = number(parser, QStringLiteral("s2-max-rate"), 1, 1e7);
    o.searchStepSeconds = number(parser, QStringLiteral("s2-step-seconds"), 0.5, 60);
    o.searchP99Ms = number(parser, QStringLiteral("s2-p99-ms"), 0.1, 60000);
    o.searchBudgetSeconds = number(parser, QStringLiteral("s2-budget"), 1, 3600);
    const QString acks = parser.value(QStringLiteral("acks"));
    if (acks != QLatin1String("delayed") && acks != QLatin1String("quick"))
        usageError(QStringLiteral("--acks must be delayed or quick"));
    o.delayedAcks = acks == QLatin1String("delayed");
    const double maxSeconds = number(parser, QStringLiteral("max-seconds"), 1, 7200);
    o.hardDeadlineNs = monotonicNs() + int64_t(maxSeconds * 1e9);

    const std::vector<std::string> known = scenarioNames();
    for (const QString& name :
         parser.value(QStringLiteral("scenario")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const std::string scenario = name.trimmed().toStdString();
        if (scenario == "all") {
            parsed.scenarios.insert(parsed.scenarios.end(), {"S1L", "S1", "S2", "S3"});
        } else if (std::find(known.begin(), known.end(), scenario) != known.end()) {
            parsed.scenarios.push_back(scenario);
        } else {
            usageError(
                QStringLiteral("unknown scenario '%1' (S1L, S1, S2, S3, custom, all)").arg(name));
        }
    }
    parsed.json = parser.isSet(QStringLiteral("json"));
    parsed.jsonOut = parser.value(QStringLiteral("json-out"));
    parsed.check = parser.isSet(QStringLiteral("check"));
    return parsed;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("switchboard-loadgen"));
    const Parsed parsed = parseArguments(app);

    const uint64_t files = raiseFileLimit();
    const uint64_t needed = std::max(parsed.options.idleConnections, parsed.options.subscribers) +
                            uint64_t(parsed.options.publishers) + 64;
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
        results.push_back(runScenario(name, parsed.options));
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
