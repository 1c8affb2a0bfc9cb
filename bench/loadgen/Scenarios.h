#pragma once

// The performance scenarios of the bench (see bench/README.md): what each one sets up, runs,
// and checks against its target.

#include "LoadDriver.h"

#include <optional>
#include <string>
#include <vector>

namespace loadgen {

struct BenchOptions {
    Endpoint endpoint;
    pid_t serverPid = 0;
    uint64_t subscribers = 1000;
    int publishers = 1;
    int payloadBytes = 200;
    double seconds = 10;      // S1L, S1 and custom: measured publishing time
    double warmupSeconds = 1; // published but not measured, before S1L, S1, S2
    double drainSeconds = 2;  // after the last publish, waiting for stragglers
    double customRate = 100;  // the `custom` scenario's publishes per second
    uint64_t idleConnections = 10000;
    int connectConcurrency = 256;
    double connectTimeoutSeconds = 60;
    // S2: the search for the highest clean publish rate
    double searchStartRate = 500;
    double searchMaxRate = 64000;
    double searchStepSeconds = 3;
    double searchP99Ms = 100;
    double searchBudgetSeconds = 90;
    int64_t hardDeadlineNs = 0;
    bool delayedAcks = true; // clients delay their TCP ACKs (--acks delayed)
};

struct IdleResult {
    std::optional<int64_t> rssBeforeKiB;
    std::optional<int64_t> rssAfterKiB;
    std::optional<int64_t> rssAfterCloseKiB;
    std::optional<double> bytesPerConnection;
    CpuUse cpu; // during the ramp
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
    std::vector<bool> phasePassed; // S2: each step against the search criteria
    std::optional<size_t> best;    // S2: the highest passing step
    std::optional<IdleResult> idle;
};

// The names accepted by runScenario().
std::vector<std::string> scenarioNames();

ScenarioResult runScenario(const std::string& name, const BenchOptions& options);

} // namespace loadgen
