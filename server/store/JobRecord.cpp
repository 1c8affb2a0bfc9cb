#include "JobRecord.h"

#include "../wire/Json.h"

#include <QDateTime>

#include <array>

namespace switchboard {

namespace {

struct StatusName {
    JobStatus status;
    QLatin1String name;
};

constexpr std::array<StatusName, 6> statusNames = {{
    {JobStatus::Queued, QLatin1String("queued")},
    {JobStatus::Running, QLatin1String("running")},
    {JobStatus::Completed, QLatin1String("completed")},
    {JobStatus::Failed, QLatin1String("failed")},
    {JobStatus::Cancelled, QLatin1String("cancelled")},
    {JobStatus::Interrupted, QLatin1String("interrupted")},
}};

QJsonValue timestamp(qint64 msecs)
{
    return msecs > 0 ? QJsonValue(Json::isoTimestamp(msecs)) : QJsonValue(QJsonValue::Null);
}

qint64 timestampFrom(const QJsonValue& value)
{
    if (!value.isString())
        return 0;
    const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return time.isValid() ? time.toMSecsSinceEpoch() : 0;
}

} // namespace

QString jobStatusName(JobStatus status)
{
    for (const StatusName& entry : statusNames) {
        if (entry.status == status)
            return entry.name;
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<JobStatus> jobStatusFromName(const QString& name)
{
    for (const StatusName& entry : statusNames) {
        if (name == entry.name)
            return entry.status;
    }
    return std::nullopt;
}

bool isFinished(JobStatus status)
{
    return status != JobStatus::Queued && status != JobStatus::Running;
}

QJsonObject JobRecord::toEventData() const
{
    QJsonObject data{{QLatin1String("job_id"), id},
                     {QLatin1String("job_type"), type},
                     {QLatin1String("status"), jobStatusName(status)},
                     {QLatin1String("progress"), progress},
                     {QLatin1String("message"), message},
                     {QLatin1String("created_at"), timestamp(createdAt)},
                     {QLatin1String("started_at"), timestamp(startedAt)},
                     {QLatin1String("completed_at"), timestamp(completedAt)}};
    if (result)
        data.insert(QLatin1String("result"), *result);
    if (!error.isEmpty())
        data.insert(QLatin1String("error"), error);
    if (!title.isEmpty())
        data.insert(QLatin1String("title"), title);
    if (!projectId.isEmpty())
        data.insert(QLatin1String("project_id"), projectId);
    return data;
}

QJsonObject JobRecord::toJson() const
{
    QJsonObject json = toEventData();
    json.insert(QLatin1String("params"), params);
    json.insert(QLatin1String("external"), external);
    json.insert(QLatin1String("owner"),
                owner.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(owner));
    return json;
}

std::optional<JobRecord> JobRecord::fromJson(const QJsonObject& json)
{
    const std::optional<JobStatus> status =
        jobStatusFromName(json.value(QLatin1String("status")).toString());
    const QString id = json.value(QLatin1String("job_id")).toString();
    if (!status || id.isEmpty())
        return std::nullopt;
    JobRecord job;
    job.id = id;
    job.type = json.value(QLatin1String("job_type")).toString();
    job.title = json.value(QLatin1String("title")).toString();
    job.status = *status;
    job.progress = json.value(QLatin1String("progress")).toDouble();
    job.message = json.value(QLatin1String("message")).toString();
    job.params = json.value(QLatin1String("params")).toObject();
    if (json.value(QLatin1String("result")).isObject())
        job.result = json.value(QLatin1String("result")).toObject();
    job.error = json.value(QLatin1String("error")).toString();
    job.projectId = json.value(QLatin1String("project_id")).toString();
    job.owner = json.value(QLatin1String("owner")).toString();
    job.external = json.value(QLatin1String("external")).toBool();
    job.createdAt = timestampFrom(json.value(QLatin1String("created_at")));
    job.startedAt = timestampFrom(json.value(QLatin1String("started_at")));
    job.completedAt = timestampFrom(json.value(QLatin1String("completed_at")));
    return job;
}

} // namespace switchboard
