#pragma once

// What a job sees while it runs on the pool: its checked params, where files live, its
// cancel token, its progress tracker, and a way to publish an event of its own. Everything
// here is safe to use from the job's thread.

#include "CancellationToken.h"
#include "ProgressTracker.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace switchboard {

// Folders the job types read and write.
struct JobEnvironment {
    QString dataDir;
    QString entitiesDir;
    QString reportsDir; // <data-dir>/reports, served by GET /api/v1/reports/{name}
    int keepReports = 100;
};

// How a run ended. A job that notices its token returns cancelled().
struct JobOutcome {
    std::optional<QJsonObject> result; // set: completed
    QString error;                     // set: failed
    bool cancelled = false;

    static JobOutcome success(QJsonObject result) { return {std::move(result), {}, false}; }
    static JobOutcome failure(QString error) { return {std::nullopt, std::move(error), false}; }
    static JobOutcome cancel() { return {std::nullopt, {}, true}; }
};

class JobContext {
public:
    using Publish =
        std::function<void(const QString& topic, const QString& event, const QJsonObject& data)>;

    JobContext(QString jobId, QJsonObject params, JobEnvironment environment,
               std::shared_ptr<const CancellationToken> cancellation,
               std::shared_ptr<ProgressTracker> progress, Publish publish);

    const QString& jobId() const { return m_jobId; }
    const QJsonObject& params() const { return m_params; }
    const JobEnvironment& environment() const { return m_environment; }

    bool isCancelled() const { return m_cancellation->isCancelled(); }
    const CancellationToken& cancellation() const { return *m_cancellation; }

    // 0-100; as often as the job likes (the tracker coalesces).
    void progress(double percent, const QString& message = {}) const;
    // An event of the job's own, e.g. `validation_error` on `entities`; queued to the hub.
    void publish(const QString& topic, const QString& event, const QJsonObject& data) const;

private:
    QString m_jobId;
    QJsonObject m_params;
    JobEnvironment m_environment;
    std::shared_ptr<const CancellationToken> m_cancellation;
    std::shared_ptr<ProgressTracker> m_progress;
    Publish m_publish;
};

} // namespace switchboard
