#include "ProcessStats.h"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace loadgen {

int64_t monotonicNs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

double cpuPercent(const CpuSample& from, const CpuSample& to)
{
    const int64_t wall = to.wallNs - from.wallNs;
    return wall > 0 ? 100.0 * double(to.cpuNs - from.cpuNs) / double(wall) : 0.0;
}

CpuSample selfCpu()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ns = [](const timeval& tv) {
        return int64_t(tv.tv_sec) * 1'000'000'000 + int64_t(tv.tv_usec) * 1000;
    };
    return {monotonicNs(), ns(usage.ru_utime) + ns(usage.ru_stime)};
}

namespace {

std::string readSmallFile(const std::string& path)
{
    std::string text;
    if (FILE* file = std::fopen(path.c_str(), "re")) {
        char buffer[4096];
        size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
            text.append(buffer, n);
        std::fclose(file);
    }
    return text;
}

} // namespace

std::optional<CpuSample> processCpu(pid_t pid)
{
    const int64_t wall = monotonicNs();
    // The process's CPU clock: every thread, those that ended included, in nanoseconds.
    // /proc/<pid>/stat counts in ticks of 10 ms, too coarse for the short phases of growth.
    clockid_t clock{};
    timespec used{};
    if (clock_getcpuclockid(pid, &clock) == 0 && clock_gettime(clock, &used) == 0)
        return CpuSample{wall, int64_t(used.tv_sec) * 1'000'000'000 + used.tv_nsec};
    const std::string stat = readSmallFile("/proc/" + std::to_string(pid) + "/stat");
    // The command name in parentheses may contain spaces: count fields after the last ')'.
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos)
        return std::nullopt;
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    // Fields 3.. follow; utime and stime are fields 14 and 15 (proc(5)).
    if (std::sscanf(stat.c_str() + paren + 1,
                    " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        return std::nullopt;
    const long ticks = sysconf(_SC_CLK_TCK);
    return CpuSample{wall, int64_t((utime + stime) * 1'000'000'000ull / uint64_t(ticks))};
}

std::optional<CpuSample> machineCpu()
{
    const int64_t wall = monotonicNs();
    const std::string stat = readSmallFile("/proc/stat");
    unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                       steal = 0;
    if (std::sscanf(stat.c_str(), "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice,
                    &system, &idle, &iowait, &irq, &softirq, &steal) != 8)
        return std::nullopt;
    const unsigned long long busy = user + nice + system + irq + softirq + steal;
    const long ticks = sysconf(_SC_CLK_TCK);
    return CpuSample{wall, int64_t(busy * 1'000'000'000ull / uint64_t(ticks))};
}

namespace {

// The CPU of several processes together; nullopt when one of them cannot be read.
std::optional<CpuSample> processesCpu(const std::vector<pid_t>& pids)
{
    if (pids.empty())
        return std::nullopt;
    CpuSample total;
    for (const pid_t pid : pids) {
        const auto sample = processCpu(pid);
        if (!sample)
            return std::nullopt;
        total.wallNs = sample->wallNs;
        total.cpuNs += sample->cpuNs;
    }
    return total;
}

} // namespace

CpuMeter::CpuMeter(pid_t serverPid, std::vector<pid_t> peerPids)
    : m_serverPid(serverPid)
    , m_peerPids(std::move(peerPids))
    , m_peers(processesCpu(m_peerPids))
    , m_self(selfCpu())
    , m_server(serverPid ? processCpu(serverPid) : std::nullopt)
    , m_machine(machineCpu())
{}

CpuUse CpuMeter::use() const
{
    CpuUse use;
    const CpuSample self = selfCpu();
    use.seconds = double(self.wallNs - m_self.wallNs) / 1e9;
    use.loadgenPercent = cpuPercent(m_self, self);
    if (m_server) {
        if (const auto now = processCpu(m_serverPid))
            use.serverPercent = cpuPercent(*m_server, *now);
    }
    if (m_peers) {
        if (const auto now = processesCpu(m_peerPids))
            use.peersPercent = cpuPercent(*m_peers, *now);
    }
    if (m_machine) {
        if (const auto now = machineCpu())
            use.machinePercent = cpuPercent(*m_machine, *now);
    }
    return use;
}

double loadgenNsPerMessage(const CpuUse& cpu, uint64_t messages)
{
    if (messages == 0)
        return 0;
    return cpu.loadgenPercent / 100.0 * cpu.seconds * 1e9 / double(messages);
}

std::optional<int64_t> residentKiB(pid_t pid)
{
    const std::string status = readSmallFile("/proc/" + std::to_string(pid) + "/status");
    const size_t line = status.find("\nVmRSS:");
    if (line == std::string::npos)
        return std::nullopt;
    long long kib = 0;
    if (std::sscanf(status.c_str() + line + 7, " %lld", &kib) != 1)
        return std::nullopt;
    return kib;
}

uint64_t raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur;
}

} // namespace loadgen
