// `entity_validation`: validates every entity file (SPEC §5.1). The result lists each error
// with a fix suggestion; each error also goes to topic `entities` as `validation_error`.

#include "../../entities/EntityLoader.h"
#include "../JobParams.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QSet>

namespace switchboard {
namespace {

QJsonObject schema()
{
    return QJsonObject{{QLatin1String("type"), QLatin1String("object")},
                       {QLatin1String("properties"), QJsonObject{}}};
}

CheckedParams check(const QJsonObject& params)
{
    return JobParams(params, {}).result();
}

JobOutcome run(JobContext& context)
{
    context.progress(5, QStringLiteral("reading the entity files"));
    const QString folder = context.environment().entitiesDir;
    const EntitySet set = loadEntities(folder);
    if (context.isCancelled())
        return JobOutcome::cancel();

    context.progress(80, QStringLiteral("reporting %1 errors").arg(set.errors.size()));
    QJsonArray errors;
    QSet<QString> badFiles;
    for (const EntityError& error : set.errors) {
        const QJsonObject json = error.toJson();
        errors.append(json);
        badFiles.insert(error.filePath);
        // The same shape as the watcher's validation_error, one event per error.
        QJsonObject event = json;
        event.insert(QLatin1String("entity_id"), QFileInfo(error.filePath).completeBaseName());
        event.insert(QLatin1String("event_type"), QLatin1String("validated"));
        event.insert(QLatin1String("errors"), QJsonArray{json});
        event.insert(QLatin1String("job_id"), context.jobId());
        context.publish(QStringLiteral("entities"), QStringLiteral("validation_error"), event);
    }
    return JobOutcome::success(QJsonObject{{QLatin1String("valid"), set.errors.isEmpty()},
                                           {QLatin1String("valid_entities"), set.entities.size()},
                                           {QLatin1String("files_with_errors"), badFiles.size()},
                                           {QLatin1String("error_count"), set.errors.size()},
                                           {QLatin1String("errors"), errors}});
}

} // namespace

SWITCHBOARD_REGISTER_JOB_TYPE(QLatin1String("entity_validation"),
                              QLatin1String("Validate every entity file; errors come with a fix "
                                            "suggestion"),
                              JobKind::Task, &schema, &check, &run)

} // namespace switchboard
