// native `jobs_list {status?, type?}`: the jobs the engine knows (every node's in a cluster),
// newest first.

#include "../../jobs/JobDirectory.h"
#include "../../protocol/Fields.h"
#include "../HandlerRegistry.h"
#include "JobReplies.h"

#include <QJsonArray>

namespace switchboard {
namespace {

QJsonObject schema()
{
    const QJsonObject string{{QLatin1String("type"), QLatin1String("string")}};
    return QJsonObject{{QLatin1String("type"), QLatin1String("object")},
                       {QLatin1String("properties"), QJsonObject{{QLatin1String("status"), string},
                                                                 {QLatin1String("type"), string}}}};
}

void handle(HandlerContext& context)
{
    Fields fields(context.message.data);
    const QString statusName = fields.optionalString(QStringLiteral("status"), {}, 32);
    const QString type = fields.optionalString(QStringLiteral("type"), {}, 64);
    if (!fields.ok())
        return context.fail(*fields.error());
    std::optional<JobStatus> status;
    if (!statusName.isEmpty()) {
        status = jobStatusFromName(statusName);
        if (!status)
            return context.fail(
                ErrorCode::InvalidMessage,
                QStringLiteral("data.status: unknown job status \"%1\"").arg(statusName));
    }
    const PendingReply answer = context.defer();
    context.services.jobDirectory.list(status, type, [answer](const JobListing& listing) {
        QJsonArray jobs;
        for (const JobRecord& job : listing.jobs)
            jobs.append(job.toJson());
        answer.reply({{QLatin1String("jobs"), jobs}});
    });
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("native"), QLatin1String("jobs_list"),
                             Access::Authenticated,
                             QLatin1String("List jobs, newest first (filters: status, type)"),
                             &schema, &handle)

} // namespace switchboard
