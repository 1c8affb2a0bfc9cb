#include "OperatorMetrics.h"

#include "../hub/Subscriber.h"
#include "../hub/Subscribers.h"
#include "../jobs/JobEngine.h"
#include "../monitor/HubMonitor.h"
#include "../monitor/JobTally.h"
#include "../protocol/Endpoints.h"
#include "RouteContext.h"

#include <QFile>
#include <QMap>

#include <cmath>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#include <unistd.h>
#endif
#ifdef Q_OS_LINUX
#include <QDir>
#endif

namespace switchboard {

namespace {

void family(QByteArray& out, const char* name, const char* type, const char* help)
{
    out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

void sample(QByteArray& out, const QByteArray& name, double value)
{
    out += name + ' ' + QByteArray::number(value, 'g', 15) + '\n';
}

QByteArray label(const QString& value)
{
    QByteArray text = value.toUtf8();
    text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return text;
}

struct ProcessFigures {
    double cpuSeconds = -1;
    double residentBytes = -1;
    double virtualBytes = -1;
    double openFds = -1;
    double maxFds = -1;
    double startTime = -1;
};

ProcessFigures processFigures()
{
    ProcessFigures figures;
#ifdef Q_OS_UNIX
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        figures.maxFds = double(limit.rlim_cur);
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) == 0)
        figures.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                             double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
#endif
#ifdef Q_OS_LINUX
    const double ticks = double(sysconf(_SC_CLK_TCK));
    const double page = double(sysconf(_SC_PAGESIZE));
    QFile statFile(QStringLiteral("/proc/self/stat"));
    if (statFile.open(QIODevice::ReadOnly)) {
        const QByteArray stat = statFile.readAll();
        // Fields after the command name (which may hold spaces) in parentheses.
        const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        // Relative to the field after ")": state is 0, utime 11, stime 12, starttime 19,
        // vsize 20, rss 21 (proc(5) numbers them 3, 14, 15, 22, 23, 24).
        if (fields.size() > 21 && ticks > 0) {
            figures.cpuSeconds = (fields[11].toDouble() + fields[12].toDouble()) / ticks;
            figures.virtualBytes = fields[20].toDouble();
            figures.residentBytes = fields[21].toDouble() * page;
            QFile systemStat(QStringLiteral("/proc/stat"));
            if (systemStat.open(QIODevice::ReadOnly)) {
                for (const QByteArray& line : systemStat.readAll().split('\n')) {
                    if (line.startsWith("btime "))
                        figures.startTime =
                            line.mid(6).trimmed().toDouble() + fields[19].toDouble() / ticks;
                }
            }
        }
    }
    figures.openFds = double(QDir(QStringLiteral("/proc/self/fd"))
                                 .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System)
                                 .size());
#endif
    return figures;
}

} // namespace

void writeOperatorMetrics(QByteArray& out, const RouteContext& context)
{
    const JobEngine& jobs = context.monitor.jobs();
    const JobTally& tally = context.monitor.jobTally();
    family(out, "switchboard_jobs_queued", "gauge", "Jobs waiting in the queue.");
    sample(out, "switchboard_jobs_queued", jobs.queuedCount());
    family(out, "switchboard_jobs_running", "gauge", "Jobs running now.");
    sample(out, "switchboard_jobs_running", jobs.runningCount());
    family(out, "switchboard_jobs_finished_total", "counter",
           "Jobs finished since the hub started, by outcome.");
    for (const char* status : {"completed", "failed", "cancelled"})
        sample(out, QByteArray("switchboard_jobs_finished_total{status=\"") + status + "\"}",
               double(tally.finished(QString::fromLatin1(status))));
    family(out, "switchboard_job_duration_seconds", "histogram",
           "Time from a job's start to its end.");
    for (std::size_t i = 0; i < JobTally::bounds.size(); ++i)
        sample(out,
               "switchboard_job_duration_seconds_bucket{le=\"" +
                   QByteArray::number(JobTally::bounds[i], 'g', 6) + "\"}",
               double(tally.buckets()[i]));
    sample(out, "switchboard_job_duration_seconds_bucket{le=\"+Inf\"}",
           double(tally.buckets().back()));
    sample(out, "switchboard_job_duration_seconds_sum", tally.durationSum());
    sample(out, "switchboard_job_duration_seconds_count", double(tally.totalFinished()));

    QMap<QString, int> perEndpoint;
    for (const Endpoint& endpoint : context.endpoints.all())
        perEndpoint.insert(endpoint.path, 0);
    for (const Subscriber* subscriber : context.subscribers.all()) {
        const Endpoint* endpoint = context.endpoints.match(subscriber->endpoint());
        ++perEndpoint[endpoint ? endpoint->path : QStringLiteral("other")];
    }
    family(out, "switchboard_endpoint_connections", "gauge",
           "Open WebSocket connections per endpoint (path pattern).");
    for (auto it = perEndpoint.cbegin(); it != perEndpoint.cend(); ++it)
        sample(out, "switchboard_endpoint_connections{endpoint=\"" + label(it.key()) + "\"}",
               it.value());

    const ProcessFigures process = processFigures();
    const auto processMetric = [&out](const char* name, const char* type, const char* help,
                                      double value) {
        if (value < 0)
            return; // the platform does not tell
        family(out, name, type, help);
        sample(out, name, value);
    };
    processMetric("process_cpu_seconds_total", "counter",
                  "Total user and system CPU time spent in seconds.", process.cpuSeconds);
    processMetric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
                  process.residentBytes);
    processMetric("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
                  process.virtualBytes);
    processMetric("process_open_fds", "gauge", "Number of open file descriptors.", process.openFds);
    processMetric("process_max_fds", "gauge", "Maximum number of open file descriptors.",
                  process.maxFds);
    processMetric("process_start_time_seconds", "gauge",
                  "Start time of the process since unix epoch in seconds.", process.startTime);
}

} // namespace switchboard
