// 002 `get_active_jobs`: the queued and running jobs (of every node in a cluster), answered as
// `job_updates {jobs}`.
// 002 `broadcast_admin {message, severity?, details?}` (administrators only): a `system_alert`
// {alert_type, severity, message, details} to every connection of the hub that watches
// alerts; `details` as in the document's notify_system_alert. Answered with broadcast_sent.

#include "../../hub/Hub.h"
#include "../../hub/Subscriber.h"
#include "../../jobs/JobDirectory.h"
#include "../../protocol/Fields.h"
#include "../../wire/Json.h"
#include "../HandlerRegistry.h"
#include "../native/JobReplies.h"

#include <QJsonArray>

namespace switchboard {
namespace {

QJsonObject noFields()
{
    return QJsonObject{{QLatin1String("type"), QLatin1String("object")}};
}

QJsonObject broadcastSchema()
{
    const QJsonObject string{{QLatin1String("type"), QLatin1String("string")}};
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("message")}},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("message"), string},
                     {QLatin1String("severity"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("string")},
                                  {QLatin1String("enum"),
                                   QJsonArray{QLatin1String("info"), QLatin1String("warning"),
                                              QLatin1String("critical")}}}},
                     {QLatin1String("details"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("object")}}}}}};
}

void getActiveJobs(HandlerContext& context)
{
    const PendingReply answer = context.defer();
    context.services.jobDirectory.list(std::nullopt, {}, [answer](const JobListing& listing) {
        QJsonArray jobs;
        for (JobStatus status : {JobStatus::Running, JobStatus::Queued}) {
            for (const JobRecord& job : listing.jobs) {
                if (job.status == status)
                    jobs.append(job.toJson());
            }
        }
        answer.reply({{QLatin1String("type"), QLatin1String("job_updates")},
                      {QLatin1String("jobs"), jobs},
                      {QLatin1String("count"), jobs.size()}});
    });
}

void broadcastAdmin(HandlerContext& context)
{
    Fields fields(context.message.data, QString());
    const QString message = fields.requiredString(QStringLiteral("message"), 4096);
    const QString severity =
        fields.optionalString(QStringLiteral("severity"), QStringLiteral("info"), 16);
    const QJsonObject details = fields.optionalObject(QStringLiteral("details"));
    if (!fields.ok())
        return context.fail(*fields.error());
    if (severity != QLatin1String("info") && severity != QLatin1String("warning") &&
        severity != QLatin1String("critical"))
        return context.fail(ErrorCode::InvalidMessage,
                            QStringLiteral("severity must be info, warning or critical"));
    const Hub::PublishResult result = context.services.hub.publish(
        QStringLiteral("alerts"), QStringLiteral("system_alert"),
        {{QLatin1String("alert_type"), QLatin1String("admin_broadcast")},
         {QLatin1String("severity"), severity},
         {QLatin1String("message"), message},
         {QLatin1String("details"), details},
         {QLatin1String("from"), context.subscriber.identity().subject},
         {QLatin1String("timestamp"), Json::isoNow()}});
    context.reply({{QLatin1String("type"), QLatin1String("broadcast_sent")},
                   {QLatin1String("delivered"), result.delivered}});
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("assist"), QLatin1String("get_active_jobs"),
                             Access::Authenticated,
                             QLatin1String("The queued and running jobs, as job_updates {jobs}"),
                             &noFields, &getActiveJobs)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("assist"), QLatin1String("broadcast_admin"),
                             Access::Admin,
                             QLatin1String("Administrators: send a system_alert to everyone "
                                           "{message, severity?, details?}"),
                             &broadcastSchema, &broadcastAdmin)

} // namespace switchboard
