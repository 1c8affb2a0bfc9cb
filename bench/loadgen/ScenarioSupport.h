#pragma once

// What the scenario files share: settings from the options, the usual ramp, the pass criteria
// of a phase, and how a result records the generator's own cost.

#include "Scenarios.h"

#include <cstdio>
#include <string>

namespace loadgen::support {

constexpr int64_t nsPerSecond = 1'000'000'000;

inline int64_t toNs(double seconds)
{
    return int64_t(seconds * double(nsPerSecond));
}

std::string format(const char* pattern, double a = 0, double b = 0, double c = 0);

// One line on stderr: what the generator is doing now.
void progress(const std::string& line);

// The driver's settings; with a JWT secret, tokens for users (subscribers, churn), services
// (publishers) and an administrator (REST publishes and jobs).
LoadSettings settingsFor(const BenchOptions& options);

// subscribers on topics (round-robin), then the publishers (WebSocket, or REST connections);
// false (with result.error) if some did not make it.
bool connectClients(LoadDriver& driver, const BenchOptions& options, ScenarioResult& result,
                    uint64_t subscribers, const std::vector<uint32_t>& topics, bool rest,
                    int restConnections);

// No loss, no gap, nothing skipped, no error, no disconnect.
bool clean(const PhaseResult& phase);
std::string lossText(const PhaseResult& phase);

// Records the generator's CPU beside the headline figure, its cost per message, and a note
// when it was busy enough to be the limit.
void recordLoadgen(ScenarioResult& result, const CpuUse& cpu, uint64_t messages);

// A cluster run's figures of the phase: Redis commands per publish and bytes per event, the CPU
// of the other processes.
void recordCluster(ScenarioResult& result, const PhaseResult& phase);

void addFigure(ScenarioResult& result, const std::string& name, double value);

} // namespace loadgen::support
