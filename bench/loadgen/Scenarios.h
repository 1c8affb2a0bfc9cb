#pragma once

// The performance scenarios of the bench (see bench/README.md): what each one sets up, runs,
// and checks against its target.

#include "LoadDriver.h"

#include <QByteArray>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace loadgen {

struct BenchOptions {
    Endpoint endpoint;
    pid_t serverPid = 0;
    std::vector<pid_t> peerPids; // a cluster's other nodes and Redis, for their CPU
    uint16_t redisPort = 0;      // a cluster's Redis, for its commands and bytes per publish
    uint64_t subscribers = 1000;
    int publishers = 1;
    int payloadBytes = 200;
    double seconds = 10;      // S1L, S1, custom, churn: measured time
    double warmupSeconds = 1; // published but not measured, before S1L, S1, S2, S4, REST
    double drainSeconds = 2;  // after the last publish, waiting for stragglers
    double customRate = 100;  // the `custom` scenario's publishes per second
    uint64_t idleConnections = 19000;
    bool idleSubscribe = true; // S3: each idle connection subscribes to a topic
    uint64_t idleTopics = 1;   // S3: over how many topics
    int connectConcurrency = 256;
    double connectTimeoutSeconds = 60;
    // S2, S4, REST, wss: the search for the highest clean publish rate
    double searchStartRate = 500;
    double searchMaxRate = 64000;
    double searchStepSeconds = 3;
    double searchP99Ms = 100;
    double searchBudgetSeconds = 150;
    double searchReadRoundMs = 1; // the sockets are read in rounds this far apart (0: at once)
    int searchRetries = 1;        // times a failed step is run again before it counts
    // S4
    uint64_t manyTopics = 1000;
    double manyTopicsStartRate = 2000;
    double manyTopicsMaxRate = 1'000'000;
    // REST
    uint64_t restSubscribers = 100;
    int restBatch = 100;
    int restConnections = 1;
    double restStartRate = 2000; // events per second
    double restMaxRate = 1'000'000;
    // churn
    double churnRate = 5000;
    uint64_t churnInFlight = 1000;
    // soak
    double soakSeconds = 1800;
    double soakWarmupSeconds = -1; // -1: half the soak, at most 300 s
    uint64_t soakSubscribers = 500;
    double soakRate = 100;    // WebSocket publishes per second to the healthy subscribers
    double soakRestRate = 20; // REST events per second (batches of soakRestBatch)
    int soakRestBatch = 10;
    double soakChurnRate = 50; // connections per second
    uint64_t soakSlowReaders = 4;
    double soakJobSeconds = 10; // a job every this many seconds
    std::string soakCsv;        // where the samples go (empty: not written)
    // growth
    std::vector<uint64_t> growthConnections{1000, 5000, 15000};
    std::vector<uint64_t> growthSubscriptions{1, 10, 100}; // per connection, 1000 connections
    std::vector<uint64_t> growthTopics{1000, 10000, 50000};
    std::vector<double> growthEventRates{200, 1000, 5000}; // to 100 subscribers
    std::vector<uint64_t> growthFanouts{100, 300, 1000};   // per dialect

    int64_t hardDeadlineNs = 0;
    bool delayedAcks = false; // --acks delayed (default quick: the kernel's behaviour)
    QByteArray jwtSecret;     // JWT_SECRET_KEY: clients sign in with HS256 tokens
};

struct IdleResult {
    std::optional<int64_t> rssBeforeKiB;
    std::optional<int64_t> rssAfterKiB;
    std::optional<int64_t> rssAfterCloseKiB;
    std::optional<double> bytesPerConnection;
    CpuUse cpu; // during the ramp
};

struct SoakSample {
    double seconds = 0;
    std::optional<int64_t> rssKiB;
    CpuUse cpu; // over the last interval
    uint64_t eventsReceived = 0;
    uint64_t churned = 0;
    uint64_t slowCut = 0;
    uint64_t jobsAccepted = 0;
};

struct SoakResult {
    double seconds = 0;
    double warmupSeconds = 0;
    uint64_t slowStarted = 0;
    uint64_t slowCut = 0;         // closed by the server after subscribing
    uint64_t slowCutWith1013 = 0; // of which with a close frame 1013
    uint64_t jobsSubmitted = 0;
    uint64_t jobsAccepted = 0;
    uint64_t jobsRefused = 0;
    uint64_t bulkPublished = 0;
    ChurnResult churn;
    std::optional<int64_t> rssAtWarmupKiB;
    std::optional<int64_t> rssMaxAfterWarmupKiB;
    std::optional<int64_t> rssEndKiB;
    std::optional<double> rssDriftPercent; // largest distance from the warm-up level
    std::vector<SoakSample> samples;
    std::string csvPath;
};

// One size of one growth measurement.
struct GrowthRow {
    std::string cost; // "connection", "subscription", "topic", "event", "delivery (000)"...
    std::string size; // "5000 connections"
    uint64_t units = 0;
    std::optional<double> rssBytesPerUnit;
    std::optional<double> cpuMicrosecondsPerUnit;
    double loadgenPercent = 0;
    std::string note;
};

struct ScenarioResult {
    std::string name;   // "S1L"
    std::string title;  // what was run, in words
    std::string target; // the requirement, in words
    std::optional<bool> targetMet;
    std::string headline; // the figure the target is about
    std::string error;    // set when the scenario could not run as designed
    ConnectResult setup;  // the subscriber (or idle-connection) ramp
    std::vector<PhaseResult> phases;
    std::vector<bool> phasePassed; // searches: each step against the search criteria
    std::optional<size_t> best;    // searches: the highest passing step
    std::optional<IdleResult> idle;
    std::optional<ChurnResult> churn;
    std::optional<IdleResult> churnMemory; // RSS before the churn, after it and settled
    std::optional<SoakResult> soak;
    std::vector<GrowthRow> growth;
    // The generator's CPU during the headline figure, and whether it may have limited it.
    std::optional<CpuUse> loadgenCpu;
    std::optional<double> loadgenNsPerMessage;
    // The numbers a comparison reads (run.sh --compare): name -> value.
    std::vector<std::pair<std::string, double>> figures;
    std::vector<std::string> notes;
};

// The names accepted by runScenario().
std::vector<std::string> scenarioNames();

ScenarioResult runScenario(const std::string& name, const BenchOptions& options);

} // namespace loadgen
