#include "ProjectRoutes.h"

#include "../auth/TopicPolicy.h"
#include "../protocol/Fields.h"
#include "../store/ProjectRegistry.h"
#include "HttpRouter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace switchboard {

namespace {

QJsonObject toJson(const Project& project)
{
    return {{QLatin1String("project_id"), project.id},
            {QLatin1String("tenant"), project.tenant},
            {QLatin1String("name"), project.name},
            {QLatin1String("updated_at"), project.updatedAt.toString(Qt::ISODateWithMs)}};
}

// A service sees and registers the projects of its own tenant only (a service without a
// tenant, and an administrator, all of them).
bool foreignToService(const Identity& identity, const QString& tenant)
{
    return identity.role == Role::Service && !identity.tenant.isEmpty() &&
           identity.tenant != tenant;
}

QJsonObject putSchema()
{
    const QJsonObject text{{QLatin1String("type"), QLatin1String("string")}};
    return {{QLatin1String("type"), QLatin1String("object")},
            {QLatin1String("required"), QJsonArray{QLatin1String("tenant")}},
            {QLatin1String("properties"),
             QJsonObject{{QLatin1String("tenant"), text}, {QLatin1String("name"), text}}}};
}

HttpResponse put(const HttpCall& call, ProjectRegistry& projects)
{
    const QString id = call.parameter(QStringLiteral("id"));
    if (id.size() > 128 || !TopicPolicy::isValidName(QStringLiteral("project:") + id))
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"),
                                   QStringLiteral("id must be at most 128 printable characters "
                                                  "without spaces"));
    QJsonParseError parseError;
    const QJsonDocument body = QJsonDocument::fromJson(call.request.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return HttpResponse::error(400, QStringLiteral("INVALID_JSON"),
                                   QStringLiteral("invalid JSON at offset %1: %2")
                                       .arg(parseError.offset)
                                       .arg(parseError.errorString()));
    if (!body.isObject())
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"),
                                   QStringLiteral("body must be an object {tenant, name?}"));
    const QJsonObject object = body.object();
    Fields fields(object, QString());
    const QString tenant = fields.requiredString(QStringLiteral("tenant"), 128);
    const QString name = fields.optionalString(QStringLiteral("name"), QString(), 256);
    if (!fields.ok())
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"), fields.error()->message);
    if (foreignToService(call.identity, tenant))
        return HttpResponse::error(403, QStringLiteral("PERMISSION_DENIED"),
                                   QStringLiteral("a service registers projects of its own "
                                                  "tenant only"));
    const std::optional<Project> existing = projects.find(id);
    if (existing && foreignToService(call.identity, existing->tenant))
        return HttpResponse::error(403, QStringLiteral("PERMISSION_DENIED"),
                                   QStringLiteral("the project belongs to another tenant"));
    if (!existing && projects.count() >= ProjectRegistry::maxProjects)
        return HttpResponse::error(429, QStringLiteral("RATE_LIMIT_EXCEEDED"),
                                   QStringLiteral("at most %1 projects can be registered")
                                       .arg(ProjectRegistry::maxProjects));

    const Project project{id, tenant, name, QDateTime::currentDateTimeUtc()};
    // Acknowledged only once it is durable (committed; in a cluster, applied by Redis): a
    // registration is never lost on kill -9.
    projects.put(project, [respond = call.respondLater, project,
                           status = existing ? 200 : 201](bool stored) {
        respond(stored ? HttpResponse::json(toJson(project), status)
                       : HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                             QStringLiteral("the project could not be stored")));
    });
    return HttpResponse::pending();
}

} // namespace

void addProjectRoutes(HttpRouter& router, ProjectRegistry& projects)
{
    using Method = QHttpServerRequest::Method;
    router.add({Method::Put, QStringLiteral("/api/v1/projects/{id}"), HttpAccess::ServiceOrAdmin,
                QStringLiteral("Register a project and the tenant that owns it"),
                [&projects](const HttpCall& call) { return put(call, projects); }, putSchema()});
    router.add(
        {Method::Get,
         QStringLiteral("/api/v1/projects"),
         HttpAccess::ServiceOrAdmin,
         QStringLiteral("Every registered project: [{project_id, tenant, name, updated_at}]"),
         [&projects](const HttpCall& call) {
             QJsonArray list;
             for (const Project& project : projects.all()) {
                 if (!foreignToService(call.identity, project.tenant))
                     list.append(toJson(project));
             }
             return HttpResponse::json(list);
         },
         {}});
    router.add({Method::Get,
                QStringLiteral("/api/v1/projects/{id}"),
                HttpAccess::ServiceOrAdmin,
                QStringLiteral("One registered project"),
                [&projects](const HttpCall& call) {
                    const std::optional<Project> project =
                        projects.find(call.parameter(QStringLiteral("id")));
                    if (!project || foreignToService(call.identity, project->tenant))
                        return HttpResponse::error(404, QStringLiteral("NOT_FOUND"),
                                                   QStringLiteral("no such project"));
                    return HttpResponse::json(toJson(*project));
                },
                {}});
}

} // namespace switchboard
