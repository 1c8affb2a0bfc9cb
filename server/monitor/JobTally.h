#pragma once

// What the job engine has finished since the hub started, for /metrics
// (switchboard_jobs_finished_total by status, switchboard_job_duration_seconds) and the job
// series: fed with every job change, it counts each job once, when it ends.

#include "../store/JobRecord.h"

#include <QByteArray>
#include <QMap>
#include <QString>

#include <array>

namespace switchboard {

class JobTally {
public:
    // Seconds from start to end: a forecast takes well under a second, a big Monte Carlo
    // minutes.
    static constexpr std::array<double, 11> bounds{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900};

    void note(const JobRecord& job);

    quint64 finished(const QString& status) const { return m_finished.value(status); }
    const QMap<QString, quint64>& finishedByStatus() const { return m_finished; }
    quint64 failed() const { return finished(QStringLiteral("failed")); }
    quint64 totalFinished() const { return m_count; }
    // Cumulative bucket counts (the last one is +Inf), sum and count of the durations.
    const std::array<quint64, bounds.size() + 1>& buckets() const { return m_buckets; }
    double durationSum() const { return m_sum; }

private:
    QMap<QString, quint64> m_finished;
    std::array<quint64, bounds.size() + 1> m_buckets{};
    double m_sum = 0;
    quint64 m_count = 0;
};

} // namespace switchboard
