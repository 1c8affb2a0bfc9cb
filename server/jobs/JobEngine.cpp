#include "JobEngine.h"

#include "../config/HubConfig.h"
#include "../entities/EntityLoader.h"
#include "../hub/Hub.h"
#include "../store/JobStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QUuid>

#include <algorithm>
#include <chrono>
#include <exception>

namespace switchboard {

namespace {

// How long an acknowledgement may wait for its commit before the request is refused.
constexpr std::chrono::seconds commitTimeout{5};

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString newJobId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

JobEngine::Limits JobEngine::limitsFor(const HubConfig& config)
{
    Limits limits;
    limits.maxRunning = config.maxJobs;
    limits.maxQueued = config.maxQueuedJobs;
    limits.keepFinished = config.jobHistoryLimit;
    return limits;
}

JobEnvironment JobEngine::environmentFor(const HubConfig& config)
{
    JobEnvironment environment;
    environment.dataDir = config.dataDir;
    environment.entitiesDir = config.entitiesDir;
    environment.reportsDir = QDir(environment.dataDir).filePath(QStringLiteral("reports"));
    environment.keepReports = config.jobHistoryLimit;
    return environment;
}

JobEngine::JobEngine(Limits limits, JobEnvironment environment, const JobTypes& types,
                     JobStore& store, Hub& hub, QObject* parent)
    : QObject(parent)
    , m_limits(limits)
    , m_environment(std::move(environment))
    , m_types(types)
    , m_store(store)
    , m_hub(hub)
    , m_events(hub)
{
    Q_ASSERT(m_limits.maxRunning > 0);
    m_pool.setObjectName(QStringLiteral("jobs"));
    // The engine decides what runs; the pool only ever gets as many jobs as it has threads.
    m_pool.setMaxThreadCount(m_limits.maxRunning);
}

JobEngine::~JobEngine()
{
    m_stopping = true;
    for (const ActiveJob& job : std::as_const(m_active)) {
        if (job.cancellation)
            job.cancellation->cancel();
    }
    m_pool.waitForDone();
    // The outcomes the jobs posted while we waited: a job that did finish is kept as such.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
    for (ActiveJob& job : m_active) {
        if (job.tracker)
            job.tracker->close();
        job.record.status = JobStatus::Interrupted;
        job.record.completedAt = now();
        job.record.message = QStringLiteral("interrupted: the hub stopped before the job finished");
        m_store.save(job.record);
    }
}

std::optional<QString> JobEngine::start()
{
    auto recovered = m_store.recover();
    if (auto* error = std::get_if<QString>(&recovered))
        return *error;
    // Everything recovered is finished: the store turned unfinished jobs into interrupted.
    QList<JobRecord> jobs = std::get<QList<JobRecord>>(std::move(recovered));
    std::stable_sort(jobs.begin(), jobs.end(), [](const JobRecord& a, const JobRecord& b) {
        return a.completedAt > b.completedAt;
    });
    m_finished = jobs.mid(0, m_limits.keepFinished);
    return std::nullopt;
}

bool JobEngine::commit(const JobRecord& job, const std::optional<JobRecord>& before)
{
    std::future<bool> committed = m_store.save(job);
    if (committed.wait_for(commitTimeout) == std::future_status::ready)
        return committed.get();
    // Not acknowledged, so it must not show up later either: the store runs this after the
    // late write and puts back what was there.
    if (before)
        m_store.save(*before);
    else
        m_store.remove(job.id);
    qWarning("job store: no commit within %lld s; the change to job %s was refused",
             qlonglong(commitTimeout.count()), qPrintable(job.id));
    return false;
}

qint64 JobEngine::creationTime()
{
    // Unique per engine, so that creation time alone orders jobs, also within a millisecond.
    m_lastCreation = std::max(now(), m_lastCreation + 1);
    return m_lastCreation;
}

bool JobEngine::mayCancel(const JobRecord& job, const Identity& identity)
{
    // Services and admins run the place; a user cancels what they started.
    return job.owner.isEmpty() || identity.isServiceOrAdmin() || job.owner == identity.subject;
}

bool JobEngine::mayReport(const JobRecord& job, const Identity& identity)
{
    // Only the service that created an external job speaks for it (or an admin).
    return job.owner.isEmpty() || identity.isAdmin() || job.owner == identity.subject;
}

bool JobEngine::isCalculation(const JobRecord& job) const
{
    const JobType* type = m_types.find(job.type);
    return type && type->kind == JobKind::Calculation;
}

std::shared_ptr<ProgressTracker> JobEngine::trackerFor(const QString& id)
{
    return ProgressTracker::create(
        this, [this, id](const ProgressTracker::Update& update) { onProgress(id, update); });
}

JobAnswer JobEngine::submit(const QString& typeName, const QJsonObject& params, const Identity& by)
{
    const JobType* type = m_types.find(typeName);
    if (!type)
        return JobAnswer::refuse(JobRefusal::InvalidParams,
                                 QStringLiteral("type: \"%1\" is not a job type (known: %2)")
                                     .arg(typeName.left(100), m_types.names().join(u", ")));
    const CheckedParams checked = type->check(params);
    if (!checked.ok())
        return JobAnswer::refuse(JobRefusal::InvalidParams, checked.error);
    if (m_running >= m_limits.maxRunning && int(m_queue.size()) >= m_limits.maxQueued)
        return JobAnswer::refuse(JobRefusal::Busy,
                                 QStringLiteral("the job queue is full (%1 jobs waiting); try "
                                                "again when some have finished")
                                     .arg(m_queue.size()));

    ActiveJob job;
    job.type = type;
    job.cancellation = std::make_shared<CancellationToken>();
    job.record.id = newJobId();
    job.record.type = type->name;
    job.record.params = checked.params;
    job.record.owner = by.subject;
    job.record.createdAt = creationTime();
    job.record.message = QStringLiteral("queued");
    if (!commit(job.record, std::nullopt))
        return JobAnswer::refuse(JobRefusal::Storage,
                                 QStringLiteral("the job could not be stored; see the hub log"));

    const QString id = job.record.id;
    m_active.insert(id, std::move(job));
    m_queue.push_back(id);
    startQueued();
    const ActiveJob& submitted = m_active[id];
    if (submitted.record.status == JobStatus::Queued) {
        m_events.queued(submitted.record);
        emit jobChanged(submitted.record);
    }
    return JobAnswer::accept(submitted.record);
}

void JobEngine::startQueued()
{
    while (m_running < m_limits.maxRunning && !m_queue.empty() && !m_stopping) {
        const QString id = m_queue.front();
        m_queue.pop_front();
        const auto it = m_active.find(id);
        if (it == m_active.end())
            continue;
        ActiveJob& job = *it;
        job.record.status = JobStatus::Running;
        job.record.startedAt = now();
        job.record.message = QStringLiteral("running");
        job.tracker = trackerFor(id);
        ++m_running;
        m_store.save(job.record);
        m_events.started(job.record, job.type->kind == JobKind::Calculation);
        emit jobChanged(job.record);

        auto publish = [this](const QString& topic, const QString& event, const QJsonObject& data) {
            QMetaObject::invokeMethod(
                this, [this, topic, event, data] { m_hub.publish(topic, event, data); },
                Qt::QueuedConnection);
        };
        JobContext context(id, job.record.params, m_environment, job.cancellation, job.tracker,
                           std::move(publish));
        const JobType* type = job.type;
        m_pool.start([this, id, type, context]() mutable {
            JobOutcome outcome;
            // An exception must not cross the pool's thread (it would end the process).
            try {
                outcome = type->run(context);
            } catch (const std::exception& exception) {
                outcome = JobOutcome::failure(QStringLiteral("internal error: %1")
                                                  .arg(QString::fromLocal8Bit(exception.what())));
            } catch (...) {
                outcome = JobOutcome::failure(QStringLiteral("internal error"));
            }
            QMetaObject::invokeMethod(
                this, [this, id, outcome] { finish(id, outcome); }, Qt::QueuedConnection);
        });
    }
}

void JobEngine::onProgress(const QString& id, const ProgressTracker::Update& update)
{
    const auto it = m_active.find(id);
    if (it == m_active.end() || it->record.status != JobStatus::Running)
        return;
    it->record.progress = update.progress;
    if (!update.message.isEmpty())
        it->record.message = update.message;
    // An external job's progress is its service's to report and ours to keep: written as the
    // tracker passes it on, so as often as it is broadcast (the tracker coalesces), not once
    // per report. (A built-in job's progress is not kept: one cut short comes back
    // interrupted, where it means nothing.)
    if (!it->type)
        m_store.save(it->record);
    m_events.progress(it->record, isCalculation(it->record));
    emit jobChanged(it->record);
}

void JobEngine::finish(const QString& id, const JobOutcome& outcome)
{
    const auto it = m_active.find(id);
    if (it == m_active.end())
        return;
    ActiveJob job = std::move(*it);
    m_active.erase(it);
    --m_running;

    const ProgressTracker::Update latest = job.tracker->close();
    job.record.progress = latest.progress;
    job.record.completedAt = now();
    if (job.cancellation->isCancelled() || outcome.cancelled) {
        job.record.status = m_stopping ? JobStatus::Interrupted : JobStatus::Cancelled;
        job.record.error = QStringLiteral("cancelled");
        job.record.message = QStringLiteral("cancelled");
    } else if (outcome.result) {
        job.record.status = JobStatus::Completed;
        job.record.progress = 100;
        job.record.result = outcome.result;
        job.record.message = QStringLiteral("completed");
    } else {
        job.record.status = JobStatus::Failed;
        job.record.error = outcome.error.isEmpty() ? QStringLiteral("failed") : outcome.error;
        job.record.message = QStringLiteral("failed");
    }
    m_store.save(job.record);
    archive(std::move(job));
    startQueued();
}

void JobEngine::archive(ActiveJob job)
{
    Q_ASSERT(isFinished(job.record.status));
    if (job.tracker)
        job.tracker->close();
    m_finished.prepend(job.record);
    if (m_finished.size() > m_limits.keepFinished)
        m_finished.resize(m_limits.keepFinished);
    if (!m_stopping && job.record.status != JobStatus::Interrupted) {
        m_events.finished(job.record, isCalculation(job.record));
        emit jobChanged(job.record);
    }
}

JobAnswer JobEngine::cancel(const QString& id, const Identity& by)
{
    const auto it = m_active.find(id);
    if (it == m_active.end()) {
        if (const std::optional<JobRecord> done = find(id))
            return JobAnswer::refuse(JobRefusal::Conflict,
                                     QStringLiteral("job %1 has already finished (%2)")
                                         .arg(id, jobStatusName(done->status)));
        return JobAnswer::refuse(JobRefusal::NotFound, QStringLiteral("no job with id %1").arg(id));
    }
    if (!mayCancel(it->record, by))
        return JobAnswer::refuse(JobRefusal::Forbidden,
                                 QStringLiteral("job %1 belongs to someone else").arg(id));

    if (it->record.status == JobStatus::Running && it->type) {
        // Cooperative: the job sees its token at its next check and ends as cancelled.
        it->cancellation->cancel();
        it->record.message = QStringLiteral("cancelling");
        return JobAnswer::accept(it->record);
    }
    // Queued, or run elsewhere: it ends here and now.
    ActiveJob job = *it;
    job.record.status = JobStatus::Cancelled;
    job.record.completedAt = now();
    job.record.error = QStringLiteral("cancelled");
    job.record.message = QStringLiteral("cancelled");
    if (!commit(job.record, it->record))
        return JobAnswer::refuse(JobRefusal::Storage,
                                 QStringLiteral("the cancellation could not be stored"));
    m_active.erase(m_active.find(id));
    if (job.type)
        m_queue.erase(std::remove(m_queue.begin(), m_queue.end(), id), m_queue.end());
    else
        --m_external;
    const JobRecord record = job.record;
    archive(std::move(job));
    return JobAnswer::accept(record);
}

JobAnswer JobEngine::createExternal(const QString& type, const QString& title,
                                    const QString& projectId, const Identity& by)
{
    if (m_external >= m_limits.maxExternal)
        return JobAnswer::refuse(JobRefusal::Busy,
                                 QStringLiteral("%1 external jobs are unfinished; finish some "
                                                "before creating more")
                                     .arg(m_external));
    ActiveJob job;
    job.record.id = newJobId();
    job.record.type = type;
    job.record.title = title;
    job.record.projectId = projectId;
    job.record.owner = by.subject;
    job.record.external = true;
    job.record.status = JobStatus::Running; // the service is already at work on it
    job.record.createdAt = creationTime();
    job.record.startedAt = job.record.createdAt;
    job.record.message = QStringLiteral("running");
    if (!commit(job.record, std::nullopt))
        return JobAnswer::refuse(JobRefusal::Storage,
                                 QStringLiteral("the job could not be stored; see the hub log"));
    job.tracker = trackerFor(job.record.id);
    ++m_external;
    const JobRecord record = job.record;
    m_active.insert(record.id, std::move(job));
    m_events.started(record, isCalculation(record));
    emit jobChanged(record);
    return JobAnswer::accept(record);
}

JobAnswer JobEngine::reportExternal(const QString& id, const ExternalReport& report,
                                    const Identity& by)
{
    const auto it = m_active.find(id);
    if (it == m_active.end()) {
        if (const std::optional<JobRecord> done = find(id))
            return JobAnswer::refuse(JobRefusal::Conflict,
                                     QStringLiteral("job %1 has already finished (%2)")
                                         .arg(id, jobStatusName(done->status)));
        return JobAnswer::refuse(JobRefusal::NotFound, QStringLiteral("no job with id %1").arg(id));
    }
    if (it->type)
        return JobAnswer::refuse(JobRefusal::Conflict,
                                 QStringLiteral("job %1 runs in the hub and reports its own "
                                                "progress")
                                     .arg(id));
    if (!mayReport(it->record, by))
        return JobAnswer::refuse(JobRefusal::Forbidden,
                                 QStringLiteral("job %1 was created by another service").arg(id));

    JobRecord updated = it->record;
    if (report.progress)
        updated.progress = std::max(updated.progress, *report.progress);
    if (!report.message.isEmpty())
        updated.message = report.message;

    if (report.status == JobStatus::Running) {
        // Progress may be coalesced (only status changes must be durable before they are
        // acknowledged): it goes through the tracker, which broadcasts and writes the latest
        // values at most ~10 times a second (onProgress), so a chatty service costs neither a
        // commit per report nor a wait on the store.
        it->record = updated;
        it->tracker->report(updated.progress, updated.message);
        return JobAnswer::accept(updated);
    }

    updated.status = report.status;
    updated.completedAt = now();
    if (report.status == JobStatus::Completed) {
        updated.progress = 100;
        updated.result = report.result.value_or(QJsonObject{});
    } else {
        updated.error = !report.error.isEmpty()     ? report.error
                        : !report.message.isEmpty() ? report.message
                                                    : jobStatusName(report.status);
        updated.result = report.result;
    }
    if (!commit(updated, it->record))
        return JobAnswer::refuse(JobRefusal::Storage,
                                 QStringLiteral("the report could not be stored"));
    ActiveJob job = std::move(*it);
    m_active.erase(it);
    --m_external;
    job.record = updated;
    archive(std::move(job));
    return JobAnswer::accept(updated);
}

std::optional<JobRecord> JobEngine::find(const QString& id) const
{
    const auto it = m_active.constFind(id);
    if (it != m_active.constEnd())
        return it->record;
    for (const JobRecord& job : m_finished) {
        if (job.id == id)
            return job;
    }
    return std::nullopt;
}

QList<JobRecord> JobEngine::list(std::optional<JobStatus> status, const QString& type) const
{
    QList<JobRecord> jobs;
    const auto matches = [&](const JobRecord& job) {
        return (!status || job.status == *status) && (type.isEmpty() || job.type == type);
    };
    for (const ActiveJob& job : m_active) {
        if (matches(job.record))
            jobs.append(job.record);
    }
    for (const JobRecord& job : m_finished) {
        if (matches(job))
            jobs.append(job);
    }
    std::stable_sort(jobs.begin(), jobs.end(), [](const JobRecord& a, const JobRecord& b) {
        return a.createdAt > b.createdAt;
    });
    return jobs;
}

} // namespace switchboard
