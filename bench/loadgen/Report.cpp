#include "Report.h"

#include <QDateTime>
#include <QJsonArray>
#include <QString>

#include <algorithm>
#include <fstream>
#include <sys/utsname.h>
#include <unistd.h>

namespace loadgen {

namespace {

const char* acksName(const BenchOptions& options)
{
    return options.delayedAcks ? "delayed" : "quick";
}

std::string percent(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.0f %%", value);
    return text;
}

QString text(const std::string& value)
{
    return QString::fromStdString(value);
}

void printLatency(std::FILE* out, const char* label, const LatencySummary& latency)
{
    std::fprintf(out,
                 "  %-12s p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   p99.9 %.2f ms   max %.2f ms"
                 "   (%llu samples)\n",
                 label, latency.p50Ms, latency.p90Ms, latency.p99Ms, latency.p999Ms, latency.maxMs,
                 static_cast<unsigned long long>(latency.count));
}

// The share of the machine nobody in the bench used: compilers, ksoftirqd, other tests.
std::optional<double> othersPercent(const CpuUse& cpu)
{
    if (!cpu.machinePercent)
        return std::nullopt;
    return std::max(0.0, *cpu.machinePercent - cpu.loadgenPercent - cpu.serverPercent.value_or(0));
}

std::string cpuText(const CpuUse& cpu, long onlineCpus)
{
    std::string text = "loadgen " + percent(cpu.loadgenPercent);
    text += cpu.serverPercent ? ", server " + percent(*cpu.serverPercent) : ", server -";
    if (const auto others = othersPercent(cpu))
        text += ", rest of the machine " + percent(*others);
    text += " (100 % = one core; " + std::to_string(onlineCpus) + " cores online)";
    return text;
}

void printConnect(std::FILE* out, const char* what, const ConnectResult& connect)
{
    std::fprintf(out,
                 "  %-12s %llu of %llu %s in %.2f s; handshake p50 %.2f ms, p99 %.2f ms, max "
                 "%.2f ms; %llu failed\n",
                 "connect", static_cast<unsigned long long>(connect.opened),
                 static_cast<unsigned long long>(connect.requested), what, connect.seconds,
                 connect.handshake.p50Ms, connect.handshake.p99Ms, connect.handshake.maxMs,
                 static_cast<unsigned long long>(connect.failed));
}

void printPhase(std::FILE* out, const PhaseResult& phase, long onlineCpus)
{
    const auto n = [](uint64_t value) { return static_cast<unsigned long long>(value); };
    std::fprintf(out,
                 "  %-12s %llu (%.1f/s over %llu connection(s)); acked %llu, errors %llu, "
                 "skipped %llu\n",
                 "published", n(phase.published), phase.achievedRate, n(phase.publishers),
                 n(phase.acked), n(phase.publishErrors), n(phase.skipped));
    std::fprintf(out,
                 "  %-12s expected %llu, received %llu (%.0f/s), lost %llu, seq gaps %llu, "
                 "duplicates %llu, disconnects %llu\n",
                 "delivered", n(phase.expected), n(phase.received), phase.deliveredPerSecond,
                 n(phase.lost), n(phase.seqGaps), n(phase.duplicates), n(phase.disconnects));
    printLatency(out, "latency", phase.latency);
    printLatency(out, "publish ack", phase.ackLatency);
    std::fprintf(out, "  %-12s %s\n", "cpu", cpuText(phase.cpu, onlineCpus).c_str());
    if (phase.reads > 0)
        std::fprintf(out, "  %-12s %llu reads in %llu polls: %.1f events and %.0f bytes per read\n",
                     "loadgen io", n(phase.reads), n(phase.polls),
                     double(phase.received + phase.late) / double(phase.reads),
                     double(phase.bytesRead) / double(phase.reads));
}

void printSearchSteps(std::FILE* out, const ScenarioResult& result)
{
    std::fprintf(out, "  %10s %14s %8s %8s %8s %8s %8s %8s %8s %8s  %s\n", "publish/s",
                 "delivered/s", "lost", "seq gaps", "p50 ms", "p99 ms", "max ms", "loadgen",
                 "server", "others", "step");
    const auto cell = [](const std::optional<double>& value) {
        return value ? percent(*value) : std::string("-");
    };
    for (size_t i = 0; i < result.phases.size(); ++i) {
        const PhaseResult& phase = result.phases[i];
        std::fprintf(
            out, "  %10.0f %14.0f %8llu %8llu %8.2f %8.2f %8.2f %8s %8s %8s  %s\n",
            phase.targetRate, phase.deliveredPerSecond, static_cast<unsigned long long>(phase.lost),
            static_cast<unsigned long long>(phase.seqGaps), phase.latency.p50Ms,
            phase.latency.p99Ms, phase.latency.maxMs, percent(phase.cpu.loadgenPercent).c_str(),
            cell(phase.cpu.serverPercent).c_str(), cell(othersPercent(phase.cpu)).c_str(),
            result.phasePassed[i] ? "pass" : "FAIL");
    }
}

const char* verdict(const ScenarioResult& result)
{
    if (!result.targetMet)
        return "not judged";
    return *result.targetMet ? "MET" : "NOT MET";
}

QJsonObject latencyJson(const LatencySummary& latency)
{
    return {
        {QStringLiteral("count"), double(latency.count)}, {QStringLiteral("p50_ms"), latency.p50Ms},
        {QStringLiteral("p90_ms"), latency.p90Ms},        {QStringLiteral("p99_ms"), latency.p99Ms},
        {QStringLiteral("p999_ms"), latency.p999Ms},      {QStringLiteral("max_ms"), latency.maxMs},
        {QStringLiteral("mean_ms"), latency.meanMs}};
}

QJsonObject connectJson(const ConnectResult& connect)
{
    return {{QStringLiteral("requested"), double(connect.requested)},
            {QStringLiteral("opened"), double(connect.opened)},
            {QStringLiteral("failed"), double(connect.failed)},
            {QStringLiteral("seconds"), connect.seconds},
            {QStringLiteral("handshake"), latencyJson(connect.handshake)},
            {QStringLiteral("first_error"), text(connect.firstError)}};
}

QJsonValue optionalJson(const std::optional<double>& value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue optionalJson(const std::optional<int64_t>& value)
{
    return value ? QJsonValue(qint64(*value)) : QJsonValue(QJsonValue::Null);
}

QJsonObject cpuJson(const CpuUse& cpu)
{
    return {{QStringLiteral("loadgen_percent"), cpu.loadgenPercent},
            {QStringLiteral("server_percent"), optionalJson(cpu.serverPercent)},
            {QStringLiteral("machine_percent"), optionalJson(cpu.machinePercent)}};
}

QJsonObject phaseJson(const PhaseResult& phase)
{
    return {{QStringLiteral("target_rate"), phase.targetRate},
            {QStringLiteral("achieved_rate"), phase.achievedRate},
            {QStringLiteral("seconds"), phase.seconds},
            {QStringLiteral("subscribers"), double(phase.subscribers)},
            {QStringLiteral("publishers"), double(phase.publishers)},
            {QStringLiteral("published"), double(phase.published)},
            {QStringLiteral("skipped"), double(phase.skipped)},
            {QStringLiteral("acked"), double(phase.acked)},
            {QStringLiteral("publish_errors"), double(phase.publishErrors)},
            {QStringLiteral("server_delivered"), double(phase.serverDelivered)},
            {QStringLiteral("expected"), double(phase.expected)},
            {QStringLiteral("received"), double(phase.received)},
            {QStringLiteral("lost"), double(phase.lost)},
            {QStringLiteral("seq_gaps"), double(phase.seqGaps)},
            {QStringLiteral("duplicates"), double(phase.duplicates)},
            {QStringLiteral("late"), double(phase.late)},
            {QStringLiteral("malformed"), double(phase.malformed)},
            {QStringLiteral("disconnects"), double(phase.disconnects)},
            {QStringLiteral("delivered_per_second"), phase.deliveredPerSecond},
            {QStringLiteral("latency"), latencyJson(phase.latency)},
            {QStringLiteral("ack_latency"), latencyJson(phase.ackLatency)},
            {QStringLiteral("drain_seconds"), phase.drainSeconds},
            {QStringLiteral("cpu"), cpuJson(phase.cpu)},
            {QStringLiteral("loadgen_polls"), double(phase.polls)},
            {QStringLiteral("loadgen_reads"), double(phase.reads)},
            {QStringLiteral("loadgen_bytes_read"), double(phase.bytesRead)},
            {QStringLiteral("server_rss_kib"), optionalJson(phase.serverRssKiB)},
            {QStringLiteral("timed_out"), phase.timedOut}};
}

QJsonObject scenarioJson(const ScenarioResult& result)
{
    QJsonObject object{{QStringLiteral("name"), text(result.name)},
                       {QStringLiteral("title"), text(result.title)},
                       {QStringLiteral("target"), text(result.target)},
                       {QStringLiteral("target_met"), result.targetMet
                                                          ? QJsonValue(*result.targetMet)
                                                          : QJsonValue(QJsonValue::Null)},
                       {QStringLiteral("headline"), text(result.headline)},
                       {QStringLiteral("error"), text(result.error)},
                       {QStringLiteral("connect"), connectJson(result.setup)}};
    QJsonArray phases;
    for (size_t i = 0; i < result.phases.size(); ++i) {
        QJsonObject phase = phaseJson(result.phases[i]);
        if (i < result.phasePassed.size())
            phase.insert(QStringLiteral("passed"), bool(result.phasePassed[i]));
        phases.append(phase);
    }
    object.insert(QStringLiteral("phases"), phases);
    if (result.best) {
        object.insert(QStringLiteral("best"), phaseJson(result.phases[*result.best]));
        object.insert(QStringLiteral("max_delivered_per_second"),
                      result.phases[*result.best].deliveredPerSecond);
    }
    if (result.idle) {
        const IdleResult& idle = *result.idle;
        object.insert(
            QStringLiteral("idle"),
            QJsonObject{
                {QStringLiteral("server_rss_before_kib"), optionalJson(idle.rssBeforeKiB)},
                {QStringLiteral("server_rss_after_kib"), optionalJson(idle.rssAfterKiB)},
                {QStringLiteral("server_rss_after_close_kib"), optionalJson(idle.rssAfterCloseKiB)},
                {QStringLiteral("server_bytes_per_connection"),
                 optionalJson(idle.bytesPerConnection)},
                {QStringLiteral("cpu"), cpuJson(idle.cpu)}});
    }
    return object;
}

} // namespace

MachineInfo MachineInfo::current()
{
    MachineInfo machine;
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);) {
        if (line.rfind("model name", 0) == 0) {
            const size_t colon = line.find(':');
            if (colon != std::string::npos)
                machine.cpuModel = line.substr(colon + 2);
            break;
        }
    }
    machine.onlineCpus = sysconf(_SC_NPROCESSORS_ONLN);
    utsname name{};
    if (uname(&name) == 0)
        machine.kernel = std::string(name.sysname) + " " + name.release;
    return machine;
}

void printReport(std::FILE* out, const std::vector<ScenarioResult>& results,
                 const MachineInfo& machine, const BenchOptions& options)
{
    std::fprintf(out, "machine: %s, %ld CPUs online, %s\n", machine.cpuModel.c_str(),
                 machine.onlineCpus, machine.kernel.c_str());
    std::fprintf(out, "clients: %s ACKs\n\n", acksName(options));
    for (const ScenarioResult& result : results) {
        std::fprintf(out, "%s  %s\n", result.name.c_str(), result.title.c_str());
        if (!result.error.empty())
            std::fprintf(out, "  %-12s %s\n", "ERROR", result.error.c_str());
        if (result.idle) {
            printConnect(out, "idle connections", result.setup);
            const IdleResult& idle = *result.idle;
            if (idle.rssBeforeKiB && idle.rssAfterKiB)
                std::fprintf(out,
                             "  %-12s server RSS %lld KiB before, %lld KiB with the connections"
                             " (%.0f bytes each), %lld KiB after closing them\n",
                             "memory", static_cast<long long>(*idle.rssBeforeKiB),
                             static_cast<long long>(*idle.rssAfterKiB),
                             idle.bytesPerConnection.value_or(0),
                             static_cast<long long>(idle.rssAfterCloseKiB.value_or(0)));
            std::fprintf(out, "  %-12s %s, during the ramp\n", "cpu",
                         cpuText(idle.cpu, machine.onlineCpus).c_str());
        } else if (result.setup.requested > 0) {
            printConnect(out, "subscribers", result.setup);
        }
        if (!result.phasePassed.empty())
            printSearchSteps(out, result);
        else
            for (const PhaseResult& phase : result.phases)
                printPhase(out, phase, machine.onlineCpus);
        if (!result.headline.empty())
            std::fprintf(out, "  %-12s %s\n", "result", result.headline.c_str());
        if (!result.target.empty())
            std::fprintf(out, "  %-12s %s: %s\n", "target", result.target.c_str(), verdict(result));
        std::fprintf(out, "\n");
    }
    if (results.size() > 1) {
        std::fprintf(out, "%-8s %-10s %s\n", "summary", "target", "result");
        for (const ScenarioResult& result : results)
            std::fprintf(out, "%-8s %-10s %s\n", result.name.c_str(), verdict(result),
                         result.error.empty() ? result.headline.c_str() : result.error.c_str());
    }
}

QJsonObject reportJson(const std::vector<ScenarioResult>& results, const MachineInfo& machine,
                       const BenchOptions& options)
{
    QJsonArray scenarios;
    for (const ScenarioResult& result : results)
        scenarios.append(scenarioJson(result));
    return {{QStringLiteral("tool"), QStringLiteral("switchboard-loadgen")},
            {QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
            {QStringLiteral("machine"),
             QJsonObject{{QStringLiteral("cpu"), text(machine.cpuModel)},
                         {QStringLiteral("online_cpus"), double(machine.onlineCpus)},
                         {QStringLiteral("kernel"), text(machine.kernel)}}},
            {QStringLiteral("target"),
             QJsonObject{{QStringLiteral("url"),
                          text("ws://" + options.endpoint.hostHeader + options.endpoint.path)},
                         {QStringLiteral("server_pid"), double(options.serverPid)}}},
            {QStringLiteral("client_acks"), QString::fromLatin1(acksName(options))},
            {QStringLiteral("scenarios"), scenarios}};
}

} // namespace loadgen
