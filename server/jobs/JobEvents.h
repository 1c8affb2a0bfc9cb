#pragma once

// Turns a job's state changes into hub events: always on `jobs` (job_queued, job_started,
// job_progress, job_completed, job_failed, job_cancelled); for calculation types also on
// `calculations` (calculation_progress, calculation_complete, calculation_failed); for a job
// with a project also on `project:{id}` in the words of seed 003, each with a timestamp:
// progress by the job's type (rc_analysis* -> rc_analysis_progress, matching* ->
// matching_progress, document_generation* -> document_generation_progress, any other ->
// generation_progress), then completion, or error for a failed or cancelled job.

#include "../store/JobRecord.h"

namespace switchboard {

class Hub;

class JobEvents {
public:
    explicit JobEvents(Hub& hub);

    void queued(const JobRecord& job);
    void started(const JobRecord& job, bool calculation);
    void progress(const JobRecord& job, bool calculation);
    // Completed, failed or cancelled.
    void finished(const JobRecord& job, bool calculation);

private:
    void projectProgress(const JobRecord& job);
    void toProject(const JobRecord& job, const QString& event, QJsonObject data);

    Hub& m_hub;
};

} // namespace switchboard
