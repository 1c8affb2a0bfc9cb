#pragma once

// CPU time and resident memory of this process and of the server, read from getrusage() and
// /proc, so a report can say who was the bottleneck.

#include <cstdint>
#include <optional>
#include <vector>

#include <sys/types.h>

namespace loadgen {

int64_t monotonicNs();

struct CpuSample {
    int64_t wallNs = 0;
    int64_t cpuNs = 0; // user + system, all threads
};

// CPU used between two samples, as a percentage of one core.
double cpuPercent(const CpuSample& from, const CpuSample& to);

CpuSample selfCpu();
std::optional<CpuSample> processCpu(pid_t pid);

// CPU time of every process on the machine (the busy part of /proc/stat).
std::optional<CpuSample> machineCpu();

// Who used the CPU over an interval, each as a percentage of one core (so a two-core machine
// is at most 200 %). "Others" is the machine minus the two processes: compilers, ksoftirqd.
struct CpuUse {
    double seconds = 0; // the interval
    double loadgenPercent = 0;
    std::optional<double> serverPercent;
    // The other processes of a cluster run (--peer-pids: the second node, Redis), together.
    std::optional<double> peersPercent;
    std::optional<double> machinePercent;
};

// Takes the first samples on construction; use() measures up to now.
class CpuMeter {
public:
    explicit CpuMeter(pid_t serverPid, std::vector<pid_t> peerPids = {});
    CpuUse use() const;

private:
    pid_t m_serverPid;
    std::vector<pid_t> m_peerPids;
    std::optional<CpuSample> m_peers;
    CpuSample m_self;
    std::optional<CpuSample> m_server;
    std::optional<CpuSample> m_machine;
};

// Above this share of one core the generator may be what limits a figure (it has one thread).
constexpr double loadgenBottleneckPercent = 85;

// The generator's CPU per message it took in (user + system, its kernel work included), in
// nanoseconds; 0 when nothing arrived.
double loadgenNsPerMessage(const CpuUse& cpu, uint64_t messages);

// VmRSS from /proc/<pid>/status, in KiB.
std::optional<int64_t> residentKiB(pid_t pid);

// Raises the soft RLIMIT_NOFILE to the hard limit; returns the new soft limit.
uint64_t raiseFileLimit();

} // namespace loadgen
