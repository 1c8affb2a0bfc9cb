#include "JobTally.h"

namespace switchboard {

void JobTally::note(const JobRecord& job)
{
    // jobChanged reports a job's end once (JobEngine::archive); interrupted jobs are those the
    // hub stopped, not outcomes.
    if (!isFinished(job.status) || job.status == JobStatus::Interrupted)
        return;
    ++m_finished[jobStatusName(job.status)];
    const double seconds = job.startedAt > 0 && job.completedAt >= job.startedAt
                               ? double(job.completedAt - job.startedAt) / 1000.0
                               : 0.0;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        if (seconds <= bounds[i])
            ++m_buckets[i];
    }
    ++m_buckets[bounds.size()];
    m_sum += seconds;
    ++m_count;
}

} // namespace switchboard
