#pragma once

// Turns scenario results into the human-readable report and the --json document.

#include "Scenarios.h"

#include <QJsonObject>

#include <cstdio>
#include <string>
#include <vector>

namespace loadgen {

struct MachineInfo {
    std::string cpuModel;
    long onlineCpus = 0;
    std::string kernel;

    static MachineInfo current();
};

void printReport(std::FILE* out, const std::vector<ScenarioResult>& results,
                 const MachineInfo& machine, const BenchOptions& options);

QJsonObject reportJson(const std::vector<ScenarioResult>& results, const MachineInfo& machine,
                       const BenchOptions& options);

} // namespace loadgen
