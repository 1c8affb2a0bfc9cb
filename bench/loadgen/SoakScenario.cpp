// soak: a long run of everything at once (WebSocket publishes to healthy subscribers, REST
// publishes to the same topic, churn, slow readers the server must cut, jobs), with the server's
// RSS sampled every second into a CSV.

#include "ScenarioSupport.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

namespace loadgen {

using namespace support;

namespace {

// ~650 KB/s on the slow readers' topic: one that stops reading passes the hub's 4 MiB outbound
// cap (and what the kernel buffers) within seconds, and the topic's history (1000 events, 8 MiB)
// is full after 12.5 s, so it is part of the level after the warm-up.
constexpr int bulkPayloadBytes = 8 * 1024;
constexpr int64_t bulkEveryNs = 12'500'000;
// A slow reader reads nothing for this long, then looks for 0.2 s whether it was cut.
constexpr int64_t slowPauseNs = 20 * nsPerSecond;
constexpr int64_t slowLookNs = 200'000'000;
constexpr int slowReceiveBuffer = 16 * 1024;

struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
};

} // namespace

ScenarioResult runSoak(ScenarioResult result, const BenchOptions& options)
{
    LoadDriver driver(options.endpoint, settingsFor(options));
    const uint32_t healthy = driver.topic("soak");
    const uint32_t bulk = driver.topic("soak-bulk");
    const uint32_t churnTopic = driver.topic("soak-churn");
    SoakResult soak;
    soak.seconds = options.soakSeconds;
    soak.warmupSeconds = options.soakWarmupSeconds >= 0
                             ? std::min(options.soakWarmupSeconds, options.soakSeconds)
                             : std::min(300.0, options.soakSeconds / 2);
    soak.csvPath = options.soakCsv;

    if (!connectClients(driver, options, result, options.soakSubscribers, {healthy}, false, 0))
        return result;
    const int64_t timeout = toNs(options.connectTimeoutSeconds);
    const ConnectResult rest = driver.connect(Role::Rest, 1, timeout);
    const ConnectResult jobs = driver.connect(Role::Http, 1, timeout);
    if (rest.failed > 0 || jobs.failed > 0) {
        result.error = "could not open the HTTP connections: " + rest.firstError + jobs.firstError;
        return result;
    }

    std::unique_ptr<std::FILE, FileCloser> csv;
    if (!soak.csvPath.empty()) {
        csv.reset(std::fopen(soak.csvPath.c_str(), "we"));
        if (!csv) {
            result.error = "cannot write " + soak.csvPath;
            return result;
        }
        std::fprintf(csv.get(), "seconds,server_rss_kib,server_cpu_percent,loadgen_cpu_percent,"
                                "events_received,churned,slow_readers_cut,jobs_accepted\n");
        std::fflush(csv.get());
    }

    const int64_t start = monotonicNs();
    driver.keepSlowReaders(options.soakSlowReaders, bulk, slowPauseNs, slowLookNs,
                           slowReceiveBuffer);
    driver.every(start, [&](int64_t now) {
        driver.publishUncounted(bulk, bulkPayloadBytes);
        ++soak.bulkPublished;
        return now + bulkEveryNs;
    });
    if (options.soakRestRate > 0) {
        const auto batch = uint32_t(std::max(1, options.soakRestBatch));
        const auto every = toNs(double(batch) / options.soakRestRate);
        driver.every(start + every, [&driver, batch, every](int64_t now) {
            driver.publishRestBatch(batch);
            return now + every;
        });
    }
    bool jobsLogged = false;
    if (options.soakJobSeconds > 0) {
        driver.every(start + toNs(options.soakJobSeconds / 2), [&](int64_t now) {
            // Alternately the two financial jobs of SPEC §5.1.
            const bool forecast = soak.jobsSubmitted % 2 == 0;
            const bool sent =
                driver.request("POST", forecast ? "/api/jobs/forecast" : "/api/jobs/monte_carlo",
                               forecast ? R"({"months":24,"scenario":"baseline"})"
                                        : R"({"iterations":1000,"months":24,)"
                                          R"("variables":["revenue_growth","expense_inflation"]})",
                               [&](int status, std::string_view body, int64_t) {
                                   if (status >= 200 && status < 300) {
                                       ++soak.jobsAccepted;
                                       return;
                                   }
                                   ++soak.jobsRefused;
                                   if (!jobsLogged) {
                                       jobsLogged = true;
                                       progress("a job was refused (" + std::to_string(status) +
                                                "): " + std::string(body.substr(0, 200)));
                                   }
                               });
            if (!sent) {
                // The server closed the idle connection: open another, try again shortly.
                driver.keepHttpClient();
                return now + nsPerSecond / 5;
            }
            ++soak.jobsSubmitted;
            return now + toNs(options.soakJobSeconds);
        });
    }
    auto sampleCpu = std::make_unique<CpuMeter>(options.serverPid);
    driver.every(start + nsPerSecond, [&](int64_t now) {
        SoakSample sample;
        sample.seconds = double(now - start) / 1e9;
        if (options.serverPid)
            sample.rssKiB = residentKiB(options.serverPid);
        sample.cpu = sampleCpu->use();
        sampleCpu = std::make_unique<CpuMeter>(options.serverPid);
        sample.eventsReceived = driver.eventsReceived();
        sample.churned = driver.churnCompleted();
        sample.slowCut = driver.slowReadersCut();
        sample.jobsAccepted = soak.jobsAccepted;
        if (csv) {
            std::fprintf(csv.get(), "%.1f,%lld,%.1f,%.1f,%llu,%llu,%llu,%llu\n", sample.seconds,
                         static_cast<long long>(sample.rssKiB.value_or(-1)),
                         sample.cpu.serverPercent.value_or(-1), sample.cpu.loadgenPercent,
                         static_cast<unsigned long long>(sample.eventsReceived),
                         static_cast<unsigned long long>(sample.churned),
                         static_cast<unsigned long long>(sample.slowCut),
                         static_cast<unsigned long long>(sample.jobsAccepted));
            std::fflush(csv.get());
        }
        if (int64_t(sample.seconds) % 60 == 0)
            progress(format("soak %.0f s: server RSS %.0f KiB", sample.seconds,
                            double(sample.rssKiB.value_or(0))));
        soak.samples.push_back(sample);
        return now + nsPerSecond;
    });
    if (options.soakChurnRate > 0)
        driver.startChurn(options.soakChurnRate, churnTopic, 200);

    progress(format("soak: %.0f s, %.0f publishes/s to %.0f subscribers", options.soakSeconds,
                    options.soakRate, double(options.soakSubscribers)));
    PublishPlan plan;
    plan.topics = {healthy};
    plan.restBatch = options.soakRestBatch;
    const PhaseResult phase =
        driver.publish(options.soakRate, options.soakSeconds, options.drainSeconds, plan);
    soak.churn = driver.stopChurn();
    soak.churn.seconds = options.soakSeconds;
    soak.churn.completedPerSecond = double(soak.churn.completed) / options.soakSeconds;
    soak.slowStarted = driver.slowReadersStarted();
    soak.slowCut = driver.slowReadersCut();
    soak.slowCutWith1013 = driver.slowReadersCutWith1013();
    driver.clearTimers();
    result.phases.push_back(phase);

    for (const SoakSample& sample : soak.samples) {
        if (!sample.rssKiB)
            continue;
        if (sample.seconds < soak.warmupSeconds)
            continue;
        if (!soak.rssAtWarmupKiB)
            soak.rssAtWarmupKiB = sample.rssKiB;
        soak.rssMaxAfterWarmupKiB = std::max(soak.rssMaxAfterWarmupKiB.value_or(0), *sample.rssKiB);
        soak.rssEndKiB = sample.rssKiB;
        const double drift = 100.0 * std::abs(double(*sample.rssKiB - *soak.rssAtWarmupKiB)) /
                             double(*soak.rssAtWarmupKiB);
        soak.rssDriftPercent = std::max(soak.rssDriftPercent.value_or(0), drift);
    }

    const bool noLoss = phase.lost == 0 && phase.seqGaps == 0 && phase.disconnects == 0 &&
                        phase.publishErrors == 0 && phase.published > 0;
    result.headline =
        format("healthy clients: %.0f of %.0f events, ", double(phase.received),
               double(phase.expected)) +
        lossText(phase) +
        (soak.rssDriftPercent ? format("; server RSS within %.1f %% of %.0f KiB after the warm-up",
                                       *soak.rssDriftPercent, double(*soak.rssAtWarmupKiB))
                              : std::string("; RSS not measured"));
    addFigure(result, "lost", double(phase.lost));
    addFigure(result, "seq_gaps", double(phase.seqGaps));
    if (soak.rssDriftPercent)
        addFigure(result, "rss_drift_percent", *soak.rssDriftPercent);
    addFigure(result, "slow_readers_cut", double(soak.slowCut));
    addFigure(result, "churned", double(soak.churn.completed));
    addFigure(result, "jobs_accepted", double(soak.jobsAccepted));
    addFigure(result, "p99_ms", phase.latency.p99Ms);
    recordLoadgen(result, phase.cpu, phase.messagesRead);
    if (soak.slowCut == 0 && options.soakSlowReaders > 0)
        result.notes.push_back("no slow reader was cut: the soak was too short for one to fill "
                               "the server's outbound cap");
    if (soak.jobsRefused > 0)
        result.notes.push_back(std::to_string(soak.jobsRefused) + " job submissions refused");
    result.targetMet = noLoss && soak.rssDriftPercent && *soak.rssDriftPercent <= 5.0;
    result.soak = std::move(soak);
    driver.closeAll();
    return result;
}

} // namespace loadgen
