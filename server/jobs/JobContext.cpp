#include "JobContext.h"

namespace switchboard {

JobContext::JobContext(QString jobId, QJsonObject params, JobEnvironment environment,
                       std::shared_ptr<const CancellationToken> cancellation,
                       std::shared_ptr<ProgressTracker> progress, Publish publish)
    : m_jobId(std::move(jobId))
    , m_params(std::move(params))
    , m_environment(std::move(environment))
    , m_cancellation(std::move(cancellation))
    , m_progress(std::move(progress))
    , m_publish(std::move(publish))
{}

void JobContext::progress(double percent, const QString& message) const
{
    m_progress->report(percent, message);
}

void JobContext::publish(const QString& topic, const QString& event, const QJsonObject& data) const
{
    m_publish(topic, event, data);
}

} // namespace switchboard
