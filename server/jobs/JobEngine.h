#pragma once

// Runs jobs off the hub thread (SPEC §5): at most `maxRunning` at once on a thread pool, the
// rest queued in order (up to `maxQueued`); cooperative cancellation; progress coalesced by a
// ProgressTracker per job; every change published through JobEvents and written to the
// JobStore. Also keeps the jobs that services run elsewhere and report over REST (external
// jobs), which look and broadcast exactly like built-in ones.
//
// Lives in the hub thread; every public function is called there. Reads are answered from
// memory (the active jobs and the newest finished ones, as kept in the store), so no request
// waits for the database, except this: a change of status that a caller gets acknowledged (a
// job created or cancelled, an external job reported finished) is committed before the call
// returns, because nothing acknowledged may be lost on kill -9. In WAL mode with
// synchronous=NORMAL that commit is a write() without fsync: a fraction of a millisecond.
// Progress values may be coalesced: an external job's progress reports are acknowledged at
// once and written, without waiting, at most once per coalescing interval (the latest values).

#include "../auth/Identity.h"
#include "../store/JobRecord.h"
#include "JobContext.h"
#include "JobEvents.h"
#include "JobType.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QThreadPool>

#include <deque>
#include <memory>
#include <optional>

namespace switchboard {

class Hub;
class JobStore;
struct HubConfig;

// Why a request about jobs was refused; JobRoutes maps each to an HTTP status.
enum class JobRefusal {
    InvalidParams, // 400, names the field
    NotFound,      // 404
    Forbidden,     // 403: someone else's job
    Conflict,      // 409: the job has finished already
    Busy,          // 429: the queue is full
    Storage,       // 500: the database refused the write
};

struct JobAnswer {
    std::optional<JobRecord> job;
    JobRefusal refusal = JobRefusal::InvalidParams;
    QString error;

    bool ok() const { return job.has_value(); }
    static JobAnswer accept(JobRecord job) { return {std::move(job), {}, {}}; }
    static JobAnswer refuse(JobRefusal why, QString error)
    {
        return {std::nullopt, why, std::move(error)};
    }
};

// What a service reports about its external job (POST /api/v1/jobs/{id}/progress).
struct ExternalReport {
    std::optional<double> progress;
    JobStatus status = JobStatus::Running; // running, completed, failed or cancelled
    QString message;
    std::optional<QJsonObject> result;
    QString error;
};

class JobEngine : public QObject {
    Q_OBJECT

public:
    struct Limits {
        int maxRunning = 5;
        int maxQueued = 1000;
        int keepFinished = 100;
        int maxExternal = 1000; // external jobs not finished yet
    };

    // The limits and folders a hub with `config` uses.
    static Limits limitsFor(const HubConfig& config);
    static JobEnvironment environmentFor(const HubConfig& config);

    JobEngine(Limits limits, JobEnvironment environment, const JobTypes& types, JobStore& store,
              Hub& hub, QObject* parent = nullptr);
    // Cancels the running jobs, waits for them (they stop within a second) and records
    // every unfinished job as interrupted.
    ~JobEngine() override;

    // Loads the kept jobs from the store; those left unfinished by the previous process come
    // back as interrupted. Call once, before serving.
    std::optional<QString> start();

    JobAnswer submit(const QString& type, const QJsonObject& params, const Identity& by);
    JobAnswer cancel(const QString& id, const Identity& by);
    JobAnswer createExternal(const QString& type, const QString& title, const QString& projectId,
                             const Identity& by);
    JobAnswer reportExternal(const QString& id, const ExternalReport& report, const Identity& by);

    std::optional<JobRecord> find(const QString& id) const;
    // Newest first; a filter left empty matches everything.
    QList<JobRecord> list(std::optional<JobStatus> status = std::nullopt,
                          const QString& type = {}) const;

    const JobTypes& types() const { return m_types; }
    const JobEnvironment& environment() const { return m_environment; }
    const Limits& limits() const { return m_limits; }
    int runningCount() const { return m_running; }
    int queuedCount() const { return int(m_queue.size()); }

signals:
    // Every change of a job's state or progress, after it was published.
    void jobChanged(const switchboard::JobRecord& job);

private:
    struct ActiveJob {
        JobRecord record;
        const JobType* type = nullptr; // null: an external job
        std::shared_ptr<CancellationToken> cancellation;
        std::shared_ptr<ProgressTracker> tracker;
    };

    // Writes `job` and waits for the commit: for changes a caller gets acknowledged.
    // `before` is the row as it was (none: a new job), put back if the commit is too late.
    bool commit(const JobRecord& job, const std::optional<JobRecord>& before);
    void startQueued();
    void onProgress(const QString& id, const ProgressTracker::Update& update);
    void finish(const QString& id, const JobOutcome& outcome);
    // Moves a finished (and stored) job into the kept history and publishes its end.
    void archive(ActiveJob job);
    qint64 creationTime();
    bool isCalculation(const JobRecord& job) const;
    std::shared_ptr<ProgressTracker> trackerFor(const QString& id);
    static bool mayCancel(const JobRecord& job, const Identity& identity);
    static bool mayReport(const JobRecord& job, const Identity& identity);

    Limits m_limits;
    JobEnvironment m_environment;
    const JobTypes& m_types;
    JobStore& m_store;
    Hub& m_hub;
    JobEvents m_events;
    QThreadPool m_pool;

    QHash<QString, ActiveJob> m_active; // queued and running, built-in and external
    std::deque<QString> m_queue;        // ids of queued built-in jobs, oldest first
    QList<JobRecord> m_finished;        // newest first, at most keepFinished
    int m_running = 0;                  // built-in jobs on the pool
    int m_external = 0;                 // unfinished external jobs
    qint64 m_lastCreation = 0;
    bool m_stopping = false;
};

} // namespace switchboard
