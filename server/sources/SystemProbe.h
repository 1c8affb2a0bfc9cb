#pragma once

// The seam between SystemMetrics and the operating system: raw counters of CPU time,
// memory and network traffic, read on demand. Linux reads /proc (LinuxSystemProbe); a
// Windows or macOS probe slots in behind forThisPlatform(). What a platform cannot tell is
// left empty and left out of the published metrics.

#include <QtGlobal>

#include <memory>
#include <optional>

namespace switchboard {

struct CpuTimes {
    quint64 busy = 0;  // ticks spent working, all CPUs together
    quint64 total = 0; // busy + idle
};

struct MemoryUsage {
    quint64 usedBytes = 0; // total minus what is available to new programs
    quint64 totalBytes = 0;
};

struct NetworkTotals {
    quint64 receivedBytes = 0; // since boot, every interface but loopback
    quint64 sentBytes = 0;
};

struct SystemCounters {
    std::optional<CpuTimes> cpu;
    std::optional<MemoryUsage> memory;
    std::optional<NetworkTotals> network;
};

class SystemProbe {
public:
    virtual ~SystemProbe() = default;
    virtual SystemCounters read() = 0;

    static std::unique_ptr<SystemProbe> forThisPlatform();
};

} // namespace switchboard
