#pragma once

// One job as the REST API, the events and the database see it: what it is, where it stands
// and how it ended.

#include <QJsonObject>
#include <QString>

#include <optional>

namespace switchboard {

enum class JobStatus { Queued, Running, Completed, Failed, Cancelled, Interrupted };

// "queued", "running", ... as on the wire and in the database.
QString jobStatusName(JobStatus status);
std::optional<JobStatus> jobStatusFromName(const QString& name);
// Completed, failed, cancelled or interrupted: the job will not change again.
bool isFinished(JobStatus status);

struct JobRecord {
    QString id;
    QString type;
    QString title;
    JobStatus status = JobStatus::Queued;
    double progress = 0; // 0-100, as reported: a service's 45.5 stays 45.5
    QString message;
    QJsonObject params;
    std::optional<QJsonObject> result;
    QString error;
    QString projectId; // set: progress also goes to topic project:{id}
    QString owner;     // `sub` of whoever created the job; empty when anonymous
    bool external = false;
    // Milliseconds since the epoch (UTC); 0 means "not yet".
    qint64 createdAt = 0;
    qint64 startedAt = 0;
    qint64 completedAt = 0;

    // What every job event carries: {job_id, job_type, status, progress, message, result?,
    // error?, created_at, started_at, completed_at} and title/project_id when set.
    QJsonObject toEventData() const;
    // The REST view: the event data plus params, owner and whether it runs elsewhere.
    QJsonObject toJson() const;
    // The job a toJson() view describes (as another node of a cluster sends it); nullopt
    // when `json` is not one.
    static std::optional<JobRecord> fromJson(const QJsonObject& json);
};

} // namespace switchboard
