#include "Scenarios.h"

#include "ProcessStats.h"
#include "RateSearch.h"
#include "ScenarioSupport.h"
#include "Token.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace loadgen {

// Defined in SoakScenario.cpp and GrowthScenario.cpp.
ScenarioResult runSoak(ScenarioResult result, const BenchOptions& options);
ScenarioResult runGrowth(ScenarioResult result, const BenchOptions& options,
                         const std::string& part);

namespace support {

std::string format(const char* pattern, double a, double b, double c)
{
    char text[256];
    std::snprintf(text, sizeof text, pattern, a, b, c);
    return text;
}

void progress(const std::string& line)
{
    std::fprintf(stderr, "loadgen: %s\n", line.c_str());
}

LoadSettings settingsFor(const BenchOptions& options)
{
    LoadSettings settings;
    settings.payloadBytes = options.payloadBytes;
    settings.connectConcurrency = options.connectConcurrency;
    settings.serverPid = options.serverPid;
    settings.peerPids = options.peerPids;
    settings.redisPort = options.redisPort;
    settings.hardDeadlineNs = options.hardDeadlineNs;
    settings.delayedAcks = options.delayedAcks;
    settings.subscribeIdle = options.idleSubscribe;
    if (!options.jwtSecret.isEmpty()) {
        const int64_t now = QDateTime::currentSecsSinceEpoch();
        constexpr int64_t ttl = 12 * 3600;
        settings.token = benchToken(options.jwtSecret, "bench-user", "user", now, ttl);
        settings.publisherToken =
            benchToken(options.jwtSecret, "bench-service", "service", now, ttl);
        settings.restToken = benchToken(options.jwtSecret, "bench-admin", "admin", now, ttl);
    }
    return settings;
}

bool connectClients(LoadDriver& driver, const BenchOptions& options, ScenarioResult& result,
                    uint64_t subscribers, const std::vector<uint32_t>& topics, bool rest,
                    int restConnections)
{
    const int64_t timeout = toNs(options.connectTimeoutSeconds);
    result.setup = driver.connect(Role::Subscriber, subscribers, timeout, topics);
    progress(format("%.0f subscribers ready in %.2f s", double(result.setup.opened),
                    result.setup.seconds));
    const ConnectResult publishers =
        rest ? driver.connect(Role::Rest, uint64_t(std::max(1, restConnections)), timeout)
             : driver.connect(Role::Publisher, uint64_t(std::max(1, options.publishers)), timeout);
    if (result.setup.failed > 0 || publishers.failed > 0) {
        result.error =
            "could not connect every client: " +
            std::to_string(result.setup.failed + publishers.failed) + " failed (" +
            (result.setup.firstError.empty() ? publishers.firstError : result.setup.firstError) +
            ")";
        return false;
    }
    return true;
}

bool clean(const PhaseResult& phase)
{
    return phase.published > 0 && phase.lost == 0 && phase.seqGaps == 0 && phase.duplicates == 0 &&
           phase.malformed == 0 && phase.publishErrors == 0 && phase.skipped == 0 &&
           phase.disconnects == 0 && !phase.timedOut;
}

std::string lossText(const PhaseResult& phase)
{
    return std::to_string(phase.lost) + " lost, " + std::to_string(phase.seqGaps) + " seq gaps";
}

void addFigure(ScenarioResult& result, const std::string& name, double value)
{
    result.figures.emplace_back(name, value);
}

void recordLoadgen(ScenarioResult& result, const CpuUse& cpu, uint64_t messages)
{
    result.loadgenCpu = cpu;
    addFigure(result, "loadgen_percent", cpu.loadgenPercent);
    if (cpu.serverPercent)
        addFigure(result, "server_percent", *cpu.serverPercent);
    if (messages > 0) {
        result.loadgenNsPerMessage = loadgenNsPerMessage(cpu, messages);
        addFigure(result, "loadgen_ns_per_message", *result.loadgenNsPerMessage);
    }
    if (cpu.loadgenPercent > loadgenBottleneckPercent)
        result.notes.push_back(
            format("the generator used %.0f %% of its one core: it may be the bottleneck, so the "
                   "figure is a lower bound for the server",
                   cpu.loadgenPercent));
}

void recordCluster(ScenarioResult& result, const PhaseResult& phase)
{
    if (phase.cpu.serverPercent)
        addFigure(result, "server_cpu_percent", *phase.cpu.serverPercent);
    if (phase.cpu.peersPercent)
        addFigure(result, "peers_cpu_percent", *phase.cpu.peersPercent);
    if (!phase.redisError.empty())
        result.notes.push_back(phase.redisError);
    if (!phase.redis || phase.published == 0)
        return;
    const double published = double(phase.published);
    addFigure(result, "redis_commands_per_publish", double(phase.redis->commands) / published);
    addFigure(result, "redis_bytes_per_event",
              double(phase.redis->netInputBytes + phase.redis->netOutputBytes) / published);
}

} // namespace support

using namespace support;

namespace {

// S1L, S1 and custom: a fixed publish rate for a fixed time.
ScenarioResult runFixedRate(ScenarioResult result, const BenchOptions& options, double rate,
                            std::optional<double> p99TargetMs)
{
    LoadDriver driver(options.endpoint, settingsFor(options));
    if (!connectClients(driver, options, result, options.subscribers, {}, false, 0))
        return result;
    if (options.warmupSeconds > 0) {
        progress(format("warm-up: %.0f publishes/s for %.1f s", rate, options.warmupSeconds));
        driver.publish(rate, options.warmupSeconds, options.drainSeconds);
        driver.settle(200'000'000, 5 * nsPerSecond);
    }
    progress(format("measuring: %.0f publishes/s for %.1f s", rate, options.seconds));
    const PhaseResult phase = driver.publish(rate, options.seconds, options.drainSeconds);
    result.phases.push_back(phase);
    result.headline =
        format("p50 %.2f ms, p99 %.2f ms, ", phase.latency.p50Ms, phase.latency.p99Ms) +
        lossText(phase);
    addFigure(result, "p50_ms", phase.latency.p50Ms);
    addFigure(result, "p99_ms", phase.latency.p99Ms);
    addFigure(result, "lost", double(phase.lost));
    addFigure(result, "seq_gaps", double(phase.seqGaps));
    recordLoadgen(result, phase.cpu, phase.messagesRead);
    recordCluster(result, phase);
    if (p99TargetMs)
        result.targetMet = clean(phase) && phase.latency.p99Ms <= *p99TargetMs;
    else if (!clean(phase))
        result.targetMet = false; // no loss is required whatever the comparison says
    driver.closeAll();
    return result;
}

// What a search publishes and to whom.
struct SearchSpec {
    uint64_t subscribers = 1000;
    std::vector<uint32_t> subscriberTopics; // round-robin; empty: topic 0
    PublishPlan plan;
    double startRate = 500;
    double maxRate = 64000;
    int restConnections = 1;
};

// S2, S4, REST and wss: publishes at the rates RateSearch chooses, one step each, and keeps the
// best step that passed. A step passes with no loss (and nothing skipped) and p99 below the
// limit.
ScenarioResult runSearch(ScenarioResult result, const BenchOptions& options, LoadDriver& driver,
                         const SearchSpec& spec)
{
    if (!connectClients(driver, options, result, spec.subscribers, spec.subscriberTopics,
                        spec.plan.rest, spec.restConnections))
        return result;
    const int64_t budgetEnd = monotonicNs() + toNs(options.searchBudgetSeconds);
    const double stepDrain = 1.0;
    // Publishing reads in rounds; connecting and settling read at once.
    const auto publish = [&](double rate, double seconds) {
        driver.setReadRound(int64_t(options.searchReadRoundMs * 1e6));
        PhaseResult phase = driver.publish(rate, seconds, stepDrain, spec.plan);
        driver.setReadRound(0);
        return phase;
    };
    if (options.warmupSeconds > 0) {
        publish(spec.startRate, options.warmupSeconds);
        driver.settle(300'000'000, 10 * nsPerSecond);
    }

    RateSearch search(spec.startRate, spec.maxRate, options.searchRetries);
    constexpr int maxSteps = 24;
    for (int step = 0; step < maxSteps; ++step) {
        // An overloaded server may have closed slow subscribers (1013): replace them.
        const uint64_t live = driver.readyCount(Role::Subscriber);
        if (live < spec.subscribers) {
            // The replacements take the topics in the same rotation, which keeps every topic
            // of S4 covered only when whole rounds were lost; the step then counts as failed.
            driver.connect(Role::Subscriber, spec.subscribers - live,
                           toNs(options.connectTimeoutSeconds), spec.subscriberTopics);
        }
        const Role publisherRole = spec.plan.rest ? Role::Rest : Role::Publisher;
        const uint64_t wantedPublishers =
            uint64_t(std::max(1, spec.plan.rest ? spec.restConnections : options.publishers));
        const uint64_t livePublishers = driver.readyCount(publisherRole);
        if (livePublishers < wantedPublishers)
            driver.connect(publisherRole, wantedPublishers - livePublishers,
                           toNs(options.connectTimeoutSeconds));

        const double rate = search.rate();
        const PhaseResult phase = publish(rate, options.searchStepSeconds);
        const bool passed = clean(phase) && phase.subscribers == spec.subscribers &&
                            phase.latency.p99Ms < options.searchP99Ms;
        const RateSearch::Next next = search.record(passed);
        progress(format("step %.0f publishes/s: %.0f delivered/s, p99 %.1f ms", rate,
                        phase.deliveredPerSecond, phase.latency.p99Ms) +
                 format(", loadgen %.0f %%", phase.cpu.loadgenPercent) +
                 (passed ? ", pass" : ", FAIL (" + lossText(phase) + ")") +
                 (next == RateSearch::Next::Again ? ", once more" : ""));
        result.phases.push_back(phase);
        result.phasePassed.push_back(passed);
        if (passed && (!result.best ||
                       phase.deliveredPerSecond > result.phases[*result.best].deliveredPerSecond))
            result.best = result.phases.size() - 1;

        driver.settle(300'000'000, 10 * nsPerSecond);
        if (next == RateSearch::Next::Done || driver.pastHardDeadline() ||
            monotonicNs() >= budgetEnd)
            break;
    }
    if (result.best) {
        const PhaseResult& best = result.phases[*result.best];
        addFigure(result, "delivered_per_second", best.deliveredPerSecond);
        addFigure(result, "publishes_per_second", best.achievedRate);
        addFigure(result, "p99_ms", best.latency.p99Ms);
        recordLoadgen(result, best.cpu, best.messagesRead);
        recordCluster(result, best);
        // The step above the best failed: was the generator what failed it?
        for (size_t i = 0; i < result.phases.size(); ++i) {
            const PhaseResult& phase = result.phases[i];
            if (!result.phasePassed[i] && phase.targetRate > best.targetRate &&
                phase.cpu.loadgenPercent > loadgenBottleneckPercent) {
                result.notes.push_back(
                    format("the step at %.0f publishes/s failed with the generator at %.0f %% "
                           "of its core: the search may have stopped at the generator's limit",
                           phase.targetRate, phase.cpu.loadgenPercent));
                break;
            }
        }
    } else {
        result.headline = "no step passed";
        result.targetMet = false;
    }
    driver.closeAll();
    return result;
}

std::vector<uint32_t> manyTopics(LoadDriver& driver, uint64_t count)
{
    std::vector<uint32_t> topics;
    topics.reserve(count);
    for (uint64_t i = 0; i < count; ++i)
        topics.push_back(driver.topic("bench-" + std::to_string(i)));
    return topics;
}

ScenarioResult runS2(ScenarioResult result, const BenchOptions& options)
{
    LoadDriver driver(options.endpoint, settingsFor(options));
    SearchSpec spec;
    spec.subscribers = options.subscribers;
    spec.startRate = options.searchStartRate;
    spec.maxRate = options.searchMaxRate;
    result = runSearch(std::move(result), options, driver, spec);
    if (result.best) {
        const PhaseResult& best = result.phases[*result.best];
        result.headline =
            format("%.0f delivered messages/s (%.0f publishes/s x %.0f subscribers)",
                   best.deliveredPerSecond, best.achievedRate, double(best.subscribers));
    }
    return result;
}

ScenarioResult runManyTopics(ScenarioResult result, const BenchOptions& options)
{
    LoadDriver driver(options.endpoint, settingsFor(options));
    SearchSpec spec;
    spec.subscribers = options.subscribers;
    spec.subscriberTopics = manyTopics(driver, options.manyTopics);
    spec.plan.topics = spec.subscriberTopics;
    spec.startRate = options.manyTopicsStartRate;
    spec.maxRate = options.manyTopicsMaxRate;
    result = runSearch(std::move(result), options, driver, spec);
    if (result.best) {
        const PhaseResult& best = result.phases[*result.best];
        result.headline =
            format("%.0f delivered messages/s (%.0f publishes/s round-robin over %.0f topics)",
                   best.deliveredPerSecond, best.achievedRate, double(options.manyTopics));
    }
    return result;
}

ScenarioResult runRest(ScenarioResult result, const BenchOptions& options)
{
    LoadDriver driver(options.endpoint, settingsFor(options));
    SearchSpec spec;
    spec.subscribers = options.restSubscribers;
    spec.plan.rest = true;
    spec.plan.restBatch = options.restBatch;
    spec.restConnections = options.restConnections;
    spec.startRate = options.restStartRate;
    spec.maxRate = options.restMaxRate;
    result = runSearch(std::move(result), options, driver, spec);
    if (result.best) {
        const PhaseResult& best = result.phases[*result.best];
        result.headline =
            format("%.0f events/s in batches of %.0f (%.0f POST/s), ", best.achievedRate,
                   double(options.restBatch), double(best.restRequests) / best.seconds) +
            format("%.0f deliveries/s to %.0f subscribers", best.deliveredPerSecond,
                   double(best.subscribers));
        addFigure(result, "events_per_second", best.achievedRate);
        addFigure(result, "ack_p99_ms", best.ackLatency.p99Ms);
    }
    return result;
}

// S3: many idle connections (subscribed to a topic each, by default); the server's memory per
// connection and the connect times.
ScenarioResult runIdle(ScenarioResult result, const BenchOptions& options)
{
    LoadDriver driver(options.endpoint, settingsFor(options));
    IdleResult idle;
    const pid_t pid = options.serverPid;
    if (pid)
        idle.rssBeforeKiB = residentKiB(pid);
    const CpuMeter cpu(pid);

    std::vector<uint32_t> topics;
    for (uint64_t i = 0; i < std::max<uint64_t>(1, options.idleTopics); ++i)
        topics.push_back(options.idleTopics <= 1 ? driver.topic("idle")
                                                 : driver.topic("idle-" + std::to_string(i)));
    result.setup = driver.connect(Role::Idle, options.idleConnections,
                                  toNs(options.connectTimeoutSeconds), topics);
    idle.cpu = cpu.use();
    progress(format("%.0f idle connections in %.2f s", double(result.setup.opened),
                    result.setup.seconds));

    // Let the server finish whatever it does after a welcome before reading its memory.
    driver.idle(nsPerSecond);
    if (pid) {
        idle.rssAfterKiB = residentKiB(pid);
        if (idle.rssBeforeKiB && idle.rssAfterKiB && result.setup.opened > 0)
            idle.bytesPerConnection = double(*idle.rssAfterKiB - *idle.rssBeforeKiB) * 1024.0 /
                                      double(result.setup.opened);
    }
    driver.closeAll();
    if (pid) {
        driver.idle(nsPerSecond);
        idle.rssAfterCloseKiB = residentKiB(pid);
    }

    if (result.setup.failed > 0)
        result.error = std::to_string(result.setup.failed) + " connections failed (" +
                       result.setup.firstError + ")";
    addFigure(result, "connections", double(result.setup.opened));
    addFigure(result, "connect_seconds", result.setup.seconds);
    addFigure(result, "handshake_p99_ms", result.setup.handshake.p99Ms);
    recordLoadgen(result, idle.cpu, 0);
    const bool inTime = result.setup.seconds <= 3.0;
    if (idle.bytesPerConnection) {
        result.headline = format("%.2f KiB per idle connection; all connected in %.2f s, "
                                 "handshake p99 %.1f ms",
                                 *idle.bytesPerConnection / 1024.0, result.setup.seconds,
                                 result.setup.handshake.p99Ms);
        addFigure(result, "kib_per_connection", *idle.bytesPerConnection / 1024.0);
        result.targetMet =
            result.setup.failed == 0 && *idle.bytesPerConnection <= 6 * 1024 && inTime;
    } else {
        result.headline = format("connected in %.2f s, handshake p99 %.1f ms (no --server-pid: "
                                 "memory not measured)",
                                 result.setup.seconds, result.setup.handshake.p99Ms);
    }
    result.idle = idle;
    return result;
}

// churn: signed-in clients connecting, subscribing and leaving at a steady rate.
ScenarioResult runChurn(ScenarioResult result, const BenchOptions& options)
{
    LoadDriver driver(options.endpoint, settingsFor(options));
    const uint32_t topic = driver.topic("churn");
    const pid_t pid = options.serverPid;
    // A second of churn first: the allocator's and the hub's first-use growth is not a leak.
    progress(format("warm-up: %.0f connections/s for 1 s", options.churnRate));
    driver.churn(options.churnRate, 1.0, topic, options.churnInFlight, 2.0);
    driver.idle(nsPerSecond / 2);
    IdleResult memory;
    if (pid)
        memory.rssBeforeKiB = residentKiB(pid);
    progress(
        format("measuring: %.0f connections/s for %.1f s", options.churnRate, options.seconds));
    const ChurnResult churn =
        driver.churn(options.churnRate, options.seconds, topic, options.churnInFlight, 5.0);
    driver.idle(2 * nsPerSecond);
    if (pid)
        memory.rssAfterKiB = residentKiB(pid);
    memory.cpu = churn.cpu;
    result.churn = churn;
    result.churnMemory = memory;

    const double wanted = options.churnRate * options.seconds;
    const bool sustained = churn.behind == 0 && churn.failed == 0 &&
                           double(churn.completed) >= 0.99 * std::floor(wanted);
    std::optional<double> growth;
    bool flat = true;
    if (memory.rssBeforeKiB && memory.rssAfterKiB && *memory.rssBeforeKiB > 0) {
        const int64_t grewKiB = *memory.rssAfterKiB - *memory.rssBeforeKiB;
        growth = 100.0 * double(grewKiB) / double(*memory.rssBeforeKiB);
        // Flat: within 5 %, or within 1 MiB for a server as small as the raw reference.
        flat = *growth <= 5.0 || grewKiB <= 1024;
    }
    result.headline =
        format("%.0f connections/s (%.0f completed, %.0f failed), ", churn.completedPerSecond,
               double(churn.completed), double(churn.failed)) +
        format("handshake p99 %.1f ms, subscribe p99 %.1f ms", churn.handshake.p99Ms,
               churn.subscribe.p99Ms) +
        (growth ? format(", server RSS %+.1f %%", *growth) : std::string());
    addFigure(result, "connections_per_second", churn.completedPerSecond);
    addFigure(result, "handshake_p99_ms", churn.handshake.p99Ms);
    addFigure(result, "cycle_p99_ms", churn.cycle.p99Ms);
    addFigure(result, "failed", double(churn.failed));
    if (growth)
        addFigure(result, "rss_growth_percent", *growth);
    recordLoadgen(result, churn.cpu, churn.completed * 3);
    if (!churn.firstError.empty())
        result.notes.push_back("first failure: " + churn.firstError);
    result.targetMet = sustained && churn.handshake.p99Ms <= 20.0 && flat;
    driver.closeAll();
    return result;
}

std::string fixedTitle(const BenchOptions& options, double rate)
{
    return std::to_string(options.subscribers) + " subscribers, " +
           format("%g publishes/s for %g s, %g-byte payload", rate, options.seconds,
                  double(options.payloadBytes));
}

std::string searchTitle(const BenchOptions& options, double startRate)
{
    std::string title = format("publish rate stepped up from %g/s, %g s per step, %g-byte payload",
                               startRate, options.searchStepSeconds, double(options.payloadBytes));
    if (options.searchReadRoundMs > 0)
        title += format(", sockets read every %g ms", options.searchReadRoundMs);
    if (options.searchRetries > 0)
        title += format(", a failed step run up to %d more time(s)", options.searchRetries);
    return title;
}

} // namespace

std::vector<std::string> scenarioNames()
{
    return {"S1L",
            "S1",
            "S2",
            "S3",
            "S4",
            "REST",
            "churn",
            "wss",
            "soak",
            "custom",
            "growth",
            "growth-connections",
            "growth-subscriptions",
            "growth-topics",
            "growth-events",
            "growth-dialects"};
}

ScenarioResult runScenario(const std::string& name, const BenchOptions& options)
{
    ScenarioResult result;
    result.name = name;
    progress("scenario " + name);
    if (name == "S1L") {
        result.title = fixedTitle(options, 20);
        result.target = "median p99 over 5 interleaved runs below Node's and within 1.2x the "
                        "raw reference's (run.sh --compare); no loss";
        return runFixedRate(result, options, 20, std::nullopt);
    }
    if (name == "S1") {
        result.title = fixedTitle(options, 200);
        result.target = "p99 <= 15 ms, no loss";
        return runFixedRate(result, options, 200, 15.0);
    }
    if (name == "custom") {
        result.title = fixedTitle(options, options.customRate);
        return runFixedRate(result, options, options.customRate, std::nullopt);
    }
    if (name == "S2" || name == "wss") {
        result.title = std::to_string(options.subscribers) + " subscribers on one topic" +
                       (name == "wss" ? " over TLS, " : ", ") +
                       searchTitle(options, options.searchStartRate);
        result.target = name == "S2"
                            ? ">= 90 % of the raw reference's delivered/s in every paired run "
                              "(run.sh --compare), no loss, no seq gap"
                            : ">= 50 % of plain S2's delivered/s (run.sh --compare)";
        return runS2(result, options);
    }
    if (name == "S4") {
        result.title = std::to_string(options.subscribers) + " subscribers on " +
                       std::to_string(options.manyTopics) + " topics, publisher round-robin, " +
                       searchTitle(options, options.manyTopicsStartRate);
        result.target = ">= 50 % of the raw reference's delivered/s (run.sh --compare)";
        return runManyTopics(result, options);
    }
    if (name == "REST") {
        result.title = std::to_string(options.restSubscribers) +
                       " subscribers, POST /api/v1/publish with " +
                       std::to_string(options.restBatch) + " events per request over " +
                       std::to_string(options.restConnections) + " connection(s), " +
                       searchTitle(options, options.restStartRate);
        return runRest(result, options);
    }
    if (name == "S3") {
        result.title = std::to_string(options.idleConnections) + " idle connections" +
                       (options.idleSubscribe ? ", each subscribed to a topic" : "") + ", " +
                       std::to_string(options.connectConcurrency) + " handshakes in flight";
        result.target = "<= 6 KiB server RSS per idle connection, all connected in <= 3 s";
        return runIdle(result, options);
    }
    if (name == "churn") {
        result.title = format("signed-in clients connecting, subscribing and leaving at %g/s for "
                              "%g s (at most %g in flight)",
                              options.churnRate, options.seconds, double(options.churnInFlight));
        result.target = ">= 5000 connections/s sustained, handshake p99 <= 20 ms, server RSS "
                        "flat afterwards (within 5 %, or 1 MiB)";
        if (options.jwtSecret.isEmpty())
            result.notes.push_back("no JWT_SECRET_KEY: the clients connect without a token");
        return runChurn(result, options);
    }
    if (name == "soak") {
        result.title = format("%g s of mixed load: WebSocket and REST publishes, churn, slow "
                              "readers, jobs",
                              options.soakSeconds);
        result.target = "0 events lost by healthy clients, server RSS within 5 % of its level "
                        "after the warm-up";
        return runSoak(result, options);
    }
    if (name.rfind("growth", 0) == 0) {
        result.title = "server memory and CPU per unit, at three sizes";
        return runGrowth(result, options, name == "growth" ? std::string() : name.substr(7));
    }
    result.error = "unknown scenario";
    return result;
}

} // namespace loadgen
