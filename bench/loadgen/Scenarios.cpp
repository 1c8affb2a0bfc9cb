#include "Scenarios.h"

#include "ProcessStats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace loadgen {

namespace {

constexpr int64_t nsPerSecond = 1'000'000'000;

int64_t toNs(double seconds)
{
    return int64_t(seconds * double(nsPerSecond));
}

std::string format(const char* pattern, double a, double b = 0, double c = 0)
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
    settings.hardDeadlineNs = options.hardDeadlineNs;
    settings.delayedAcks = options.delayedAcks;
    return settings;
}

// Subscribers and publishers up and ready; false (with result.error) if some did not make it.
bool connectClients(LoadDriver& driver, const BenchOptions& options, ScenarioResult& result)
{
    const int64_t timeout = toNs(options.connectTimeoutSeconds);
    result.setup = driver.connect(Role::Subscriber, options.subscribers, timeout);
    progress(format("%.0f subscribers ready in %.2f s", double(result.setup.opened),
                    result.setup.seconds));
    const ConnectResult publishers =
        driver.connect(Role::Publisher, uint64_t(std::max(1, options.publishers)), timeout);
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

// S1L, S1 and custom: a fixed publish rate for a fixed time.
ScenarioResult runFixedRate(ScenarioResult result, const BenchOptions& options, double rate,
                            std::optional<double> p99TargetMs)
{
    LoadDriver driver(options.endpoint, settingsFor(options));
    if (!connectClients(driver, options, result))
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
    if (p99TargetMs)
        result.targetMet = clean(phase) && phase.latency.p99Ms <= *p99TargetMs;
    driver.closeAll();
    return result;
}

// S2: doubles the publish rate until a step fails, then bisects between the last pass and the
// first failure. A step passes with no loss (and nothing skipped) and p99 below the limit.
ScenarioResult runSearch(ScenarioResult result, const BenchOptions& options)
{
    LoadDriver driver(options.endpoint, settingsFor(options));
    if (!connectClients(driver, options, result))
        return result;
    const int64_t budgetEnd = monotonicNs() + toNs(options.searchBudgetSeconds);
    const double stepDrain = 1.0;
    if (options.warmupSeconds > 0) {
        driver.publish(options.searchStartRate, options.warmupSeconds, stepDrain);
        driver.settle(300'000'000, 10 * nsPerSecond);
    }

    std::optional<double> highestPass;
    std::optional<double> lowestFail;
    double rate = options.searchStartRate;
    constexpr int maxSteps = 16;
    for (int step = 0; step < maxSteps; ++step) {
        // An overloaded server may have closed slow subscribers (1013): replace them.
        const uint64_t live = driver.readyCount(Role::Subscriber);
        if (live < options.subscribers)
            driver.connect(Role::Subscriber, options.subscribers - live,
                           toNs(options.connectTimeoutSeconds));
        const uint64_t livePublishers = driver.readyCount(Role::Publisher);
        const auto wantedPublishers = uint64_t(std::max(1, options.publishers));
        if (livePublishers < wantedPublishers)
            driver.connect(Role::Publisher, wantedPublishers - livePublishers,
                           toNs(options.connectTimeoutSeconds));

        const PhaseResult phase = driver.publish(rate, options.searchStepSeconds, stepDrain);
        const bool passed = clean(phase) && phase.subscribers == options.subscribers &&
                            phase.latency.p99Ms < options.searchP99Ms;
        progress(format("step %.0f publishes/s: %.0f delivered/s, p99 %.1f ms", rate,
                        phase.deliveredPerSecond, phase.latency.p99Ms) +
                 (passed ? ", pass" : ", FAIL (" + lossText(phase) + ")"));
        result.phases.push_back(phase);
        result.phasePassed.push_back(passed);
        if (passed && (!result.best ||
                       phase.deliveredPerSecond > result.phases[*result.best].deliveredPerSecond))
            result.best = result.phases.size() - 1;
        if (passed)
            highestPass = std::max(highestPass.value_or(0), rate);
        else
            lowestFail = std::min(lowestFail.value_or(rate), rate);

        driver.settle(300'000'000, 10 * nsPerSecond);
        if (driver.pastHardDeadline() || monotonicNs() >= budgetEnd)
            break;
        if (!lowestFail) {
            if (rate >= options.searchMaxRate)
                break;
            rate = std::min(rate * 2, options.searchMaxRate);
            continue;
        }
        const double low = highestPass.value_or(0);
        if (*lowestFail - low <= std::max(0.05 * *lowestFail, 10.0))
            break;
        rate = std::round((low + *lowestFail) / 2 / 10) * 10;
    }
    if (result.best) {
        const PhaseResult& best = result.phases[*result.best];
        result.headline =
            format("%.0f delivered messages/s (%.0f publishes/s x %.0f "
                   "subscribers)",
                   best.deliveredPerSecond, best.achievedRate, double(best.subscribers));
        result.targetMet = best.deliveredPerSecond >= 2'000'000;
    } else {
        result.headline = "no step passed";
        result.targetMet = false;
    }
    driver.closeAll();
    return result;
}

// S3: many idle connections; the server's memory per connection and the connect times.
ScenarioResult runIdle(ScenarioResult result, const BenchOptions& options)
{
    LoadDriver driver(options.endpoint, settingsFor(options));
    IdleResult idle;
    const pid_t pid = options.serverPid;
    if (pid)
        idle.rssBeforeKiB = residentKiB(pid);
    const CpuMeter cpu(pid);

    result.setup =
        driver.connect(Role::Idle, options.idleConnections, toNs(options.connectTimeoutSeconds));
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
    if (idle.bytesPerConnection) {
        result.headline = format("%.1f KiB per idle connection; connected in %.2f s, "
                                 "handshake p99 %.1f ms",
                                 *idle.bytesPerConnection / 1024.0, result.setup.seconds,
                                 result.setup.handshake.p99Ms);
        result.targetMet = result.setup.failed == 0 && *idle.bytesPerConnection <= 16 * 1024;
    } else {
        result.headline = format("connected in %.2f s, handshake p99 %.1f ms (no --server-pid: "
                                 "memory not measured)",
                                 result.setup.seconds, result.setup.handshake.p99Ms);
    }
    result.idle = idle;
    return result;
}

std::string fixedTitle(const BenchOptions& options, double rate)
{
    return std::to_string(options.subscribers) + " subscribers, " +
           format("%g publishes/s for %g s, %g-byte payload", rate, options.seconds,
                  double(options.payloadBytes));
}

} // namespace

std::vector<std::string> scenarioNames()
{
    return {"S1L", "S1", "S2", "S3", "custom"};
}

ScenarioResult runScenario(const std::string& name, const BenchOptions& options)
{
    ScenarioResult result;
    result.name = name;
    progress("scenario " + name);
    if (name == "S1L") {
        result.title = fixedTitle(options, 20);
        result.target = "p99 <= 12 ms, no loss";
        return runFixedRate(result, options, 20, 12.0);
    }
    if (name == "S1") {
        result.title = fixedTitle(options, 200);
        result.target = "p99 <= 30 ms, no loss";
        return runFixedRate(result, options, 200, 30.0);
    }
    if (name == "custom") {
        result.title = fixedTitle(options, options.customRate);
        return runFixedRate(result, options, options.customRate, std::nullopt);
    }
    if (name == "S2") {
        result.title = std::to_string(options.subscribers) + " subscribers, " +
                       format("publish rate stepped up from %g/s, %g s per step, %g-byte payload",
                              options.searchStartRate, options.searchStepSeconds,
                              double(options.payloadBytes));
        result.target = ">= 2,000,000 delivered messages/s with no loss and p99 < " +
                        format("%g ms", options.searchP99Ms);
        return runSearch(result, options);
    }
    if (name == "S3") {
        result.title = std::to_string(options.idleConnections) + " idle connections, " +
                       std::to_string(options.connectConcurrency) + " handshakes in flight";
        result.target = "<= 16 KiB server RSS per idle connection";
        return runIdle(result, options);
    }
    result.error = "unknown scenario";
    return result;
}

} // namespace loadgen
