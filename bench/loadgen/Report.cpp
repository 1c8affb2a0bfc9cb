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

std::string cpuText(const CpuUse& cpu, long onlineCpus, uint64_t messages = 0)
{
    std::string text = "loadgen " + percent(cpu.loadgenPercent);
    if (messages > 0) {
        char cost[64];
        std::snprintf(cost, sizeof cost, " (%.0f ns per message taken in)",
                      loadgenNsPerMessage(cpu, messages));
        text += cost;
    }
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
    std::fprintf(out, "  %-12s %s\n", "cpu",
                 cpuText(phase.cpu, onlineCpus, phase.messagesRead).c_str());
    if (phase.cpu.loadgenPercent > loadgenBottleneckPercent)
        std::fprintf(out,
                     "  %-12s the generator used %.0f %% of its one core: it may be what limits "
                     "this phase\n",
                     "NOTE", phase.cpu.loadgenPercent);
    if (phase.reads > 0)
        std::fprintf(out, "  %-12s %llu reads in %llu polls: %.1f events and %.0f bytes per read\n",
                     "loadgen io", n(phase.reads), n(phase.polls),
                     double(phase.received + phase.late) / double(phase.reads),
                     double(phase.bytesRead) / double(phase.reads));
}

void printSearchSteps(std::FILE* out, const ScenarioResult& result)
{
    std::fprintf(out, "  %10s %14s %8s %8s %8s %8s %8s %8s %9s %8s %8s  %s\n", "publish/s",
                 "delivered/s", "lost", "seq gaps", "p50 ms", "p99 ms", "max ms", "loadgen",
                 "ns/msg", "server", "others", "step");
    const auto cell = [](const std::optional<double>& value) {
        return value ? percent(*value) : std::string("-");
    };
    for (size_t i = 0; i < result.phases.size(); ++i) {
        const PhaseResult& phase = result.phases[i];
        std::fprintf(out, "  %10.0f %14.0f %8llu %8llu %8.2f %8.2f %8.2f %8s %9.0f %8s %8s  %s\n",
                     phase.targetRate, phase.deliveredPerSecond,
                     static_cast<unsigned long long>(phase.lost),
                     static_cast<unsigned long long>(phase.seqGaps), phase.latency.p50Ms,
                     phase.latency.p99Ms, phase.latency.maxMs,
                     (percent(phase.cpu.loadgenPercent) +
                      (phase.cpu.loadgenPercent > loadgenBottleneckPercent ? "!" : ""))
                         .c_str(),
                     loadgenNsPerMessage(phase.cpu, phase.messagesRead),
                     cell(phase.cpu.serverPercent).c_str(), cell(othersPercent(phase.cpu)).c_str(),
                     result.phasePassed[i] ? "pass" : "FAIL");
    }
}

void printChurn(std::FILE* out, const ChurnResult& churn, long onlineCpus)
{
    const auto n = [](uint64_t value) { return static_cast<unsigned long long>(value); };
    std::fprintf(out,
                 "  %-12s %llu started at %.0f/s over %.1f s: %llu left cleanly (%.0f/s), %llu "
                 "failed, %llu not started (in-flight cap)\n",
                 "churn", n(churn.started), churn.targetRate, churn.seconds, n(churn.completed),
                 churn.completedPerSecond, n(churn.failed), n(churn.behind));
    printLatency(out, "handshake", churn.handshake);
    printLatency(out, "subscribe", churn.subscribe);
    printLatency(out, "cycle", churn.cycle);
    if (churn.seconds > 0 && churn.cpu.seconds > 0)
        std::fprintf(out, "  %-12s %s\n", "cpu",
                     cpuText(churn.cpu, onlineCpus, churn.completed * 3).c_str());
}

void printSoak(std::FILE* out, const SoakResult& soak)
{
    const auto n = [](uint64_t value) { return static_cast<unsigned long long>(value); };
    std::fprintf(out, "  %-12s %llu connected, subscribed and left (%.1f/s), %llu failed\n",
                 "churn", n(soak.churn.completed), soak.churn.completedPerSecond,
                 n(soak.churn.failed));
    std::fprintf(out,
                 "  %-12s %llu started, %llu cut by the server (%llu with close 1013, the others "
                 "by closing the socket); %llu bulk publishes of 8 KiB on their topic\n",
                 "slow readers", n(soak.slowStarted), n(soak.slowCut), n(soak.slowCutWith1013),
                 n(soak.bulkPublished));
    std::fprintf(out, "  %-12s %llu submitted, %llu accepted, %llu refused\n", "jobs",
                 n(soak.jobsSubmitted), n(soak.jobsAccepted), n(soak.jobsRefused));
    if (soak.rssAtWarmupKiB)
        std::fprintf(out,
                     "  %-12s server RSS %lld KiB after the %.0f s warm-up, at most %lld KiB "
                     "later, %lld KiB at the end: within %.1f %%\n",
                     "memory", static_cast<long long>(*soak.rssAtWarmupKiB), soak.warmupSeconds,
                     static_cast<long long>(soak.rssMaxAfterWarmupKiB.value_or(0)),
                     static_cast<long long>(soak.rssEndKiB.value_or(0)),
                     soak.rssDriftPercent.value_or(0));
    std::fprintf(out, "  %-12s %zu samples (one a second)%s%s\n", "rss curve", soak.samples.size(),
                 soak.csvPath.empty() ? "" : " in ", soak.csvPath.c_str());
}

void printGrowth(std::FILE* out, const std::vector<GrowthRow>& rows)
{
    std::fprintf(out, "  %-24s %-46s %12s %12s %8s  %s\n", "cost", "size", "RSS B/unit",
                 "CPU us/unit", "loadgen", "note");
    for (const GrowthRow& row : rows) {
        char rss[32] = "-";
        char cpu[32] = "-";
        if (row.rssBytesPerUnit)
            std::snprintf(rss, sizeof rss, "%.0f", *row.rssBytesPerUnit);
        if (row.cpuMicrosecondsPerUnit)
            std::snprintf(cpu, sizeof cpu, "%.2f", *row.cpuMicrosecondsPerUnit);
        std::fprintf(out, "  %-24s %-46s %12s %12s %8s  %s\n", row.cost.c_str(), row.size.c_str(),
                     rss, cpu, percent(row.loadgenPercent).c_str(), row.note.c_str());
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
    return {{QStringLiteral("seconds"), cpu.seconds},
            {QStringLiteral("loadgen_percent"), cpu.loadgenPercent},
            {QStringLiteral("server_percent"), optionalJson(cpu.serverPercent)},
            {QStringLiteral("peers_percent"), optionalJson(cpu.peersPercent)},
            {QStringLiteral("machine_percent"), optionalJson(cpu.machinePercent)}};
}

QJsonValue redisJson(const std::optional<RedisCounters>& redis)
{
    if (!redis)
        return QJsonValue::Null;
    QJsonObject calls;
    for (const auto& [name, count] : redis->calls)
        calls.insert(QString::fromStdString(name), double(count));
    return QJsonObject{{QStringLiteral("commands"), double(redis->commands)},
                       {QStringLiteral("net_input_bytes"), double(redis->netInputBytes)},
                       {QStringLiteral("net_output_bytes"), double(redis->netOutputBytes)},
                       {QStringLiteral("calls"), calls}};
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
            {QStringLiteral("loadgen_messages_read"), double(phase.messagesRead)},
            {QStringLiteral("loadgen_ns_per_message"),
             loadgenNsPerMessage(phase.cpu, phase.messagesRead)},
            {QStringLiteral("rest_requests"), double(phase.restRequests)},
            {QStringLiteral("server_rss_kib"), optionalJson(phase.serverRssKiB)},
            {QStringLiteral("redis"), redisJson(phase.redis)},
            {QStringLiteral("timed_out"), phase.timedOut}};
}

QJsonObject churnJson(const ChurnResult& churn)
{
    return {{QStringLiteral("target_rate"), churn.targetRate},
            {QStringLiteral("seconds"), churn.seconds},
            {QStringLiteral("started"), double(churn.started)},
            {QStringLiteral("completed"), double(churn.completed)},
            {QStringLiteral("failed"), double(churn.failed)},
            {QStringLiteral("behind"), double(churn.behind)},
            {QStringLiteral("completed_per_second"), churn.completedPerSecond},
            {QStringLiteral("handshake"), latencyJson(churn.handshake)},
            {QStringLiteral("subscribe"), latencyJson(churn.subscribe)},
            {QStringLiteral("cycle"), latencyJson(churn.cycle)},
            {QStringLiteral("first_error"), text(churn.firstError)},
            {QStringLiteral("cpu"), cpuJson(churn.cpu)}};
}

QJsonObject soakJson(const SoakResult& soak)
{
    QJsonArray samples;
    for (const SoakSample& sample : soak.samples)
        samples.append(QJsonArray{sample.seconds, optionalJson(sample.rssKiB)});
    return {{QStringLiteral("seconds"), soak.seconds},
            {QStringLiteral("warmup_seconds"), soak.warmupSeconds},
            {QStringLiteral("slow_readers_started"), double(soak.slowStarted)},
            {QStringLiteral("slow_readers_cut"), double(soak.slowCut)},
            {QStringLiteral("slow_readers_cut_with_1013"), double(soak.slowCutWith1013)},
            {QStringLiteral("jobs_submitted"), double(soak.jobsSubmitted)},
            {QStringLiteral("jobs_accepted"), double(soak.jobsAccepted)},
            {QStringLiteral("jobs_refused"), double(soak.jobsRefused)},
            {QStringLiteral("bulk_published"), double(soak.bulkPublished)},
            {QStringLiteral("churn"), churnJson(soak.churn)},
            {QStringLiteral("rss_at_warmup_kib"), optionalJson(soak.rssAtWarmupKiB)},
            {QStringLiteral("rss_max_after_warmup_kib"), optionalJson(soak.rssMaxAfterWarmupKiB)},
            {QStringLiteral("rss_end_kib"), optionalJson(soak.rssEndKiB)},
            {QStringLiteral("rss_drift_percent"), optionalJson(soak.rssDriftPercent)},
            {QStringLiteral("rss_kib_by_second"), samples},
            {QStringLiteral("csv"), text(soak.csvPath)}};
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
    QJsonObject figures;
    for (const auto& [name, value] : result.figures)
        figures.insert(text(name), value);
    object.insert(QStringLiteral("figures"), figures);
    QJsonArray notes;
    for (const std::string& note : result.notes)
        notes.append(text(note));
    object.insert(QStringLiteral("notes"), notes);
    if (result.loadgenCpu)
        object.insert(QStringLiteral("loadgen"),
                      QJsonObject{{QStringLiteral("cpu"), cpuJson(*result.loadgenCpu)},
                                  {QStringLiteral("ns_per_message"),
                                   optionalJson(result.loadgenNsPerMessage)},
                                  {QStringLiteral("bottleneck"),
                                   result.loadgenCpu->loadgenPercent > loadgenBottleneckPercent}});
    if (result.churn)
        object.insert(QStringLiteral("churn"), churnJson(*result.churn));
    if (result.churnMemory)
        object.insert(QStringLiteral("churn_memory"),
                      QJsonObject{{QStringLiteral("server_rss_before_kib"),
                                   optionalJson(result.churnMemory->rssBeforeKiB)},
                                  {QStringLiteral("server_rss_after_kib"),
                                   optionalJson(result.churnMemory->rssAfterKiB)}});
    if (result.soak)
        object.insert(QStringLiteral("soak"), soakJson(*result.soak));
    if (!result.growth.empty()) {
        QJsonArray rows;
        for (const GrowthRow& row : result.growth)
            rows.append(QJsonObject{
                {QStringLiteral("cost"), text(row.cost)},
                {QStringLiteral("size"), text(row.size)},
                {QStringLiteral("units"), double(row.units)},
                {QStringLiteral("rss_bytes_per_unit"), optionalJson(row.rssBytesPerUnit)},
                {QStringLiteral("cpu_us_per_unit"), optionalJson(row.cpuMicrosecondsPerUnit)},
                {QStringLiteral("loadgen_percent"), row.loadgenPercent},
                {QStringLiteral("note"), text(row.note)}});
        object.insert(QStringLiteral("growth"), rows);
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

QJsonArray subscriberPorts(const Endpoint& endpoint)
{
    QJsonArray ports;
    for (const uint16_t port : endpoint.subscriberPorts)
        ports.append(int(port));
    return ports;
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
        if (result.churn)
            printChurn(out, *result.churn, machine.onlineCpus);
        if (result.churnMemory && result.churnMemory->rssBeforeKiB)
            std::fprintf(out, "  %-12s server RSS %lld KiB before, %lld KiB 2 s after\n", "memory",
                         static_cast<long long>(*result.churnMemory->rssBeforeKiB),
                         static_cast<long long>(result.churnMemory->rssAfterKiB.value_or(0)));
        if (result.soak)
            printSoak(out, *result.soak);
        if (!result.growth.empty())
            printGrowth(out, result.growth);
        if (!result.headline.empty())
            std::fprintf(out, "  %-12s %s\n", "result", result.headline.c_str());
        if (result.loadgenCpu && result.phasePassed.empty() && result.phases.empty() &&
            !result.churn)
            std::fprintf(out, "  %-12s %s\n", "loadgen",
                         cpuText(*result.loadgenCpu, machine.onlineCpus).c_str());
        if (result.loadgenCpu && !result.phasePassed.empty() && result.best)
            std::fprintf(out, "  %-12s at the best step: %s\n", "loadgen",
                         cpuText(*result.loadgenCpu, machine.onlineCpus,
                                 result.phases[*result.best].messagesRead)
                             .c_str());
        for (const std::string& note : result.notes)
            std::fprintf(out, "  %-12s %s\n", "NOTE", note.c_str());
        if (!result.target.empty())
            std::fprintf(out, "  %-12s %s: %s\n", "target", result.target.c_str(), verdict(result));
        std::fprintf(out, "\n");
    }
    if (results.size() > 1) {
        std::fprintf(out, "%-8s %-10s %s\n", "summary", "target", "result");
        for (const ScenarioResult& result : results) {
            std::string loadgen;
            if (result.loadgenCpu)
                loadgen = "  [loadgen " + percent(result.loadgenCpu->loadgenPercent) +
                          (result.loadgenCpu->loadgenPercent > loadgenBottleneckPercent
                               ? ": may be the bottleneck]"
                               : "]");
            std::fprintf(out, "%-8s %-10s %s%s\n", result.name.c_str(), verdict(result),
                         result.error.empty() ? result.headline.c_str() : result.error.c_str(),
                         loadgen.c_str());
        }
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
             QJsonObject{
                 {QStringLiteral("url"), text((options.endpoint.tls ? "wss://" : "ws://") +
                                              options.endpoint.hostHeader + options.endpoint.path)},
                 {QStringLiteral("subscriber_ports"), subscriberPorts(options.endpoint)},
                 {QStringLiteral("server_pid"), double(options.serverPid)}}},
            {QStringLiteral("client_acks"), QString::fromLatin1(acksName(options))},
            {QStringLiteral("scenarios"), scenarios}};
}

} // namespace loadgen
