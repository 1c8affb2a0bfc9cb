#include "JobEvents.h"

#include "../hub/Hub.h"
#include "../wire/Json.h"

namespace switchboard {

namespace {

const QString jobsTopic = QStringLiteral("jobs");
const QString calculationsTopic = QStringLiteral("calculations");

// The top-level scalar fields of a result: what a progress bar's "done" line shows, without
// the month-by-month tables.
QJsonObject summaryOf(const QJsonObject& result)
{
    QJsonObject summary;
    for (auto it = result.begin(); it != result.end(); ++it) {
        if (!it.value().isArray() && !it.value().isObject())
            summary.insert(it.key(), it.value());
    }
    return summary;
}

QJsonObject calculationData(const JobRecord& job)
{
    QJsonObject data = job.toEventData();
    data.insert(QLatin1String("calculation_type"), job.type);
    return data;
}

} // namespace

JobEvents::JobEvents(Hub& hub)
    : m_hub(hub)
{}

void JobEvents::toProject(const JobRecord& job, const QString& event, QJsonObject data)
{
    if (job.projectId.isEmpty())
        return;
    data.insert(QLatin1String("job_id"), job.id);
    data.insert(QLatin1String("job_type"), job.type);
    data.insert(QLatin1String("status"), jobStatusName(job.status));
    data.insert(QLatin1String("timestamp"), Json::isoNow());
    m_hub.publish(QStringLiteral("project:") + job.projectId, event, data);
}

void JobEvents::queued(const JobRecord& job)
{
    m_hub.publish(jobsTopic, QStringLiteral("job_queued"), job.toEventData());
}

void JobEvents::started(const JobRecord& job, bool calculation)
{
    m_hub.publish(jobsTopic, QStringLiteral("job_started"), job.toEventData());
    if (calculation)
        m_hub.publish(calculationsTopic, QStringLiteral("calculation_progress"),
                      calculationData(job));
    projectProgress(job);
}

void JobEvents::progress(const JobRecord& job, bool calculation)
{
    m_hub.publish(jobsTopic, QStringLiteral("job_progress"), job.toEventData());
    if (calculation)
        m_hub.publish(calculationsTopic, QStringLiteral("calculation_progress"),
                      calculationData(job));
    projectProgress(job);
}

void JobEvents::projectProgress(const JobRecord& job)
{
    // Seed 003 names the progress of each kind of work differently, with its own fields; the
    // job's type says which kind it is. `status` (added by toProject) is the job's status.
    const QString text = job.message.isEmpty() ? job.title : job.message;
    // rc_analysis_progress and document_generation_progress share {status, progress, message}.
    for (const QLatin1String kind :
         {QLatin1String("rc_analysis"), QLatin1String("document_generation")}) {
        if (job.type.startsWith(kind)) {
            toProject(job, kind + QLatin1String("_progress"),
                      QJsonObject{{QLatin1String("progress"), job.progress},
                                  {QLatin1String("message"), text}});
            return;
        }
    }
    if (job.type.startsWith(QLatin1String("matching"))) {
        // A job reports a percentage, not a count of requirements: its requirements are
        // percentage points.
        toProject(job, QStringLiteral("matching_progress"),
                  QJsonObject{{QLatin1String("current_requirement"), text},
                              {QLatin1String("requirements_completed"), job.progress},
                              {QLatin1String("requirements_total"), 100},
                              {QLatin1String("progress"), job.progress}});
    } else {
        // Likewise its sections are percentage points.
        toProject(job, QStringLiteral("generation_progress"),
                  QJsonObject{{QLatin1String("current_section"), text},
                              {QLatin1String("sections_completed"), job.progress},
                              {QLatin1String("sections_total"), 100},
                              {QLatin1String("progress"), job.progress},
                              {QLatin1String("quality_score"), QJsonValue::Null}});
    }
}

void JobEvents::finished(const JobRecord& job, bool calculation)
{
    QString jobEvent;
    QString calculationEvent = QStringLiteral("calculation_failed");
    switch (job.status) {
    case JobStatus::Completed:
        jobEvent = QStringLiteral("job_completed");
        calculationEvent = QStringLiteral("calculation_complete");
        break;
    case JobStatus::Failed:
        jobEvent = QStringLiteral("job_failed");
        break;
    case JobStatus::Cancelled:
        jobEvent = QStringLiteral("job_cancelled");
        break;
    default:
        Q_ASSERT_X(false, "JobEvents::finished", "not a finishing status");
        return;
    }
    m_hub.publish(jobsTopic, jobEvent, job.toEventData());
    if (calculation) {
        QJsonObject data = calculationData(job);
        if (job.result)
            data.insert(QLatin1String("result_summary"), summaryOf(*job.result));
        m_hub.publish(calculationsTopic, calculationEvent, data);
    }
    const QString operation = job.title.isEmpty() ? job.type : job.title;
    if (job.status == JobStatus::Completed) {
        toProject(job, QStringLiteral("completion"),
                  QJsonObject{{QLatin1String("operation"), operation},
                              {QLatin1String("result"), job.result.value_or(QJsonObject{})}});
    } else {
        toProject(job, QStringLiteral("error"),
                  QJsonObject{{QLatin1String("operation"), operation},
                              {QLatin1String("error"), job.error}});
    }
}

} // namespace switchboard
