#include "JobRecord.h"

#include "../wire/Json.h"

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

} // namespace switchboard
