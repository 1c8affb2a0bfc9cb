// native `job_cancel {job_id}`: cancels a queued or running job (one's own; services and
// administrators any), on whichever node of a cluster runs it; acks with the job.

#include "../../hub/Subscriber.h"
#include "../../jobs/JobDirectory.h"
#include "../../protocol/Fields.h"
#include "../HandlerRegistry.h"
#include "JobReplies.h"

#include <QJsonArray>

namespace switchboard {
namespace {

QJsonObject schema()
{
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("job_id")}},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("job_id"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("string")}}}}}};
}

void handle(HandlerContext& context)
{
    Fields fields(context.message.data);
    const QString id = fields.requiredString(QStringLiteral("job_id"), 128);
    if (!fields.ok())
        return context.fail(*fields.error());
    const PendingReply reply = context.defer();
    context.services.jobDirectory.cancel(
        id, context.subscriber.identity(), [reply](const JobAnswer& answer) {
            if (!answer.ok())
                return failJobRequest(reply, answer);
            reply.reply({{QLatin1String("job"), answer.job->toJson()}});
        });
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("native"), QLatin1String("job_cancel"),
                             Access::Authenticated, QLatin1String("Cancel a queued or running job"),
                             &schema, &handle)

} // namespace switchboard
