// native `job_submit {job_type, params}`: queues a job; acks with the job as the job API
// shows it. Its progress then arrives on the `jobs` topic.

#include "../../hub/Subscriber.h"
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
        {QLatin1String("required"), QJsonArray{QLatin1String("job_type")}},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("job_type"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("string")}}},
                     {QLatin1String("params"),
                      QJsonObject{{QLatin1String("type"), QLatin1String("object")}}}}}};
}

void handle(HandlerContext& context)
{
    Fields fields(context.message.data);
    const QString type = fields.requiredString(QStringLiteral("job_type"), 64);
    const QJsonObject params = fields.optionalObject(QStringLiteral("params"));
    if (!fields.ok())
        return context.fail(*fields.error());
    const JobAnswer answer =
        context.services.jobs.submit(type, params, context.subscriber.identity());
    if (!answer.ok())
        return failJobRequest(context, answer);
    context.reply({{QLatin1String("job"), answer.job->toJson()}});
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("native"), QLatin1String("job_submit"),
                             Access::Authenticated,
                             QLatin1String("Start a job (forecast, monte_carlo, ...)"), &schema,
                             &handle)

} // namespace switchboard
