#include "JobRoutes.h"

#include "../auth/TopicPolicy.h"
#include "../jobs/JobDirectory.h"
#include "../jobs/JobEngine.h"
#include "HttpRouter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QUrlQuery>

#include <variant>

namespace switchboard {

namespace {

constexpr qint64 maxReportBytes = 64 * 1024 * 1024;

HttpResponse invalid(const QString& message)
{
    return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"), message);
}

HttpResponse refused(const JobAnswer& answer)
{
    switch (answer.refusal) {
    case JobRefusal::InvalidParams:
        return invalid(answer.error);
    case JobRefusal::NotFound:
        return HttpResponse::error(404, QStringLiteral("NOT_FOUND"), answer.error);
    case JobRefusal::Forbidden:
        return HttpResponse::error(403, QStringLiteral("PERMISSION_DENIED"), answer.error);
    case JobRefusal::Conflict:
        return HttpResponse::error(409, QStringLiteral("INVALID_MESSAGE"), answer.error);
    case JobRefusal::Busy:
        return HttpResponse::error(429, QStringLiteral("RATE_LIMIT_EXCEEDED"), answer.error);
    case JobRefusal::Storage:
        return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"), answer.error);
    }
    Q_UNREACHABLE();
    return {};
}

// The request body as a JSON object; an empty body is an empty object.
std::variant<QJsonObject, HttpResponse> bodyObject(const HttpCall& call)
{
    const QByteArray body = call.request.body();
    if (body.trimmed().isEmpty())
        return QJsonObject{};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return HttpResponse::error(400, QStringLiteral("INVALID_JSON"),
                                   QStringLiteral("invalid JSON at offset %1: %2")
                                       .arg(parseError.offset)
                                       .arg(parseError.errorString()));
    if (!document.isObject())
        return invalid(QStringLiteral("the body must be a JSON object"));
    return document.object();
}

// The first field of `object` not in `known`, as an error; empty when there is none.
QString unknownField(const QJsonObject& object, const QStringList& known)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return QStringLiteral("\"%1\" is not a field here (expected: %2)")
                .arg(it.key().left(100), known.join(QLatin1String(", ")));
    }
    return {};
}

HttpResponse jobResponse(const JobRecord& job, int status)
{
    HttpResponse response = HttpResponse::json(job.toJson(), status);
    response.headers.emplaceBack("Location", "/api/jobs/" + job.id.toUtf8());
    return response;
}

HttpResponse listJobs(const HttpCall& call, JobDirectory& directory)
{
    const QUrlQuery query(call.request.url());
    std::optional<JobStatus> status;
    if (query.hasQueryItem(QStringLiteral("status"))) {
        const QString name = query.queryItemValue(QStringLiteral("status"), QUrl::FullyDecoded);
        status = jobStatusFromName(name);
        if (!status)
            return invalid(QStringLiteral("status must be one of queued, running, completed, "
                                          "failed, cancelled, interrupted"));
    }
    const QString type = query.queryItemValue(QStringLiteral("type"), QUrl::FullyDecoded);
    const DeferredResponse answer = call.defer();
    directory.list(status, type, [answer](const JobListing& listing) {
        QJsonArray list;
        for (const JobRecord& job : listing.jobs)
            list.append(job.toJson());
        answer(
            HttpResponse::json(QJsonObject{{QLatin1String("jobs"), list},
                                           {QLatin1String("count"), list.size()},
                                           {QLatin1String("running"), listing.running},
                                           {QLatin1String("queued"), listing.queued},
                                           {QLatin1String("max_concurrent"), listing.maxRunning}}));
    });
    return answer.response();
}

HttpResponse findJob(const HttpCall& call, JobDirectory& directory)
{
    const DeferredResponse answer = call.defer();
    directory.find(call.parameter(QStringLiteral("id")),
                   [answer](const std::optional<JobRecord>& job) {
                       answer(job ? HttpResponse::json(job->toJson())
                                  : HttpResponse::error(404, QStringLiteral("NOT_FOUND"),
                                                        QStringLiteral("no job with that id")));
                   });
    return answer.response();
}

HttpResponse submitJob(const HttpCall& call, JobEngine& jobs)
{
    auto body = bodyObject(call);
    if (auto* error = std::get_if<HttpResponse>(&body))
        return *error;
    const JobAnswer answer = jobs.submit(call.parameter(QStringLiteral("type")),
                                         std::get<QJsonObject>(body), call.identity);
    return answer.ok() ? jobResponse(*answer.job, 202) : refused(answer);
}

HttpResponse cancelJob(const HttpCall& call, JobDirectory& directory)
{
    const DeferredResponse answer = call.defer();
    directory.cancel(
        call.parameter(QStringLiteral("id")), call.identity, [answer](const JobAnswer& cancelled) {
            if (!cancelled.ok())
                return answer(refused(cancelled));
            // A running job stops at its next check: accepted, not done yet.
            answer(jobResponse(*cancelled.job,
                               cancelled.job->status == JobStatus::Cancelled ? 200 : 202));
        });
    return answer.response();
}

bool isValidName(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"));
    return pattern.match(text).hasMatch();
}

HttpResponse createExternal(const HttpCall& call, JobEngine& jobs, const TopicPolicy& policy)
{
    auto body = bodyObject(call);
    if (auto* error = std::get_if<HttpResponse>(&body))
        return *error;
    const QJsonObject object = std::get<QJsonObject>(body);
    if (const QString problem =
            unknownField(object, {QStringLiteral("type"), QStringLiteral("title"),
                                  QStringLiteral("project_id")});
        !problem.isEmpty())
        return invalid(problem);
    const QJsonValue type = object.value(QLatin1String("type"));
    if (!type.isString() || !isValidName(type.toString()))
        return invalid(QStringLiteral("type is required: 1 to 64 letters, digits or _ . : -"));
    const QJsonValue title = object.value(QLatin1String("title"));
    if (!title.isString() || title.toString().trimmed().isEmpty() || title.toString().size() > 200)
        return invalid(QStringLiteral("title is required: a non-empty string of at most 200 "
                                      "characters"));
    const QJsonValue project = object.value(QLatin1String("project_id"));
    QString projectId;
    if (!project.isUndefined() && !project.isNull()) {
        projectId = project.isString() ? project.toString() : QString();
        if (projectId.isEmpty() || projectId.size() > 100 ||
            !TopicPolicy::isValidName(QStringLiteral("project:") + projectId))
            return invalid(QStringLiteral("project_id must be a string of 1 to 100 characters "
                                          "without spaces"));
        // The job's progress is published on the project's topic: only where its service may
        // publish (a service of the project's tenant, or an administrator; SPEC §4).
        if (!policy.canPublish(call.identity, QStringLiteral("project:") + projectId))
            return HttpResponse::error(
                403, QStringLiteral("PERMISSION_DENIED"),
                QStringLiteral("not allowed to report progress to project %1: it is not "
                               "registered to your tenant")
                    .arg(projectId));
    }
    const JobAnswer answer =
        jobs.createExternal(type.toString(), title.toString(), projectId, call.identity);
    return answer.ok() ? jobResponse(*answer.job, 201) : refused(answer);
}

HttpResponse reportProgress(const HttpCall& call, JobEngine& jobs)
{
    auto body = bodyObject(call);
    if (auto* error = std::get_if<HttpResponse>(&body))
        return *error;
    const QJsonObject object = std::get<QJsonObject>(body);
    if (const QString problem = unknownField(
            object, {QStringLiteral("progress"), QStringLiteral("status"),
                     QStringLiteral("message"), QStringLiteral("result"), QStringLiteral("error")});
        !problem.isEmpty())
        return invalid(problem);
    if (object.isEmpty())
        return invalid(QStringLiteral("the body must report progress, status or message"));

    ExternalReport report;
    const QJsonValue progress = object.value(QLatin1String("progress"));
    if (!progress.isUndefined() && !progress.isNull()) {
        if (!progress.isDouble() || progress.toDouble() < 0 || progress.toDouble() > 100)
            return invalid(QStringLiteral("progress must be a number from 0 to 100"));
        report.progress = progress.toDouble();
    }
    const QJsonValue status = object.value(QLatin1String("status"));
    if (!status.isUndefined() && !status.isNull()) {
        const std::optional<JobStatus> parsed = jobStatusFromName(status.toString());
        if (!status.isString() || !parsed || *parsed == JobStatus::Queued ||
            *parsed == JobStatus::Interrupted)
            return invalid(QStringLiteral("status must be one of running, completed, failed, "
                                          "cancelled"));
        report.status = *parsed;
    }
    for (const auto& [name, target] : {std::pair{QStringLiteral("message"), &report.message},
                                       std::pair{QStringLiteral("error"), &report.error}}) {
        const QJsonValue value = object.value(name);
        if (value.isUndefined() || value.isNull())
            continue;
        if (!value.isString() || value.toString().size() > 2000)
            return invalid(name + QStringLiteral(" must be a string of at most 2000 characters"));
        *target = value.toString();
    }
    const QJsonValue result = object.value(QLatin1String("result"));
    if (!result.isUndefined() && !result.isNull()) {
        if (!result.isObject())
            return invalid(QStringLiteral("result must be an object"));
        report.result = result.toObject();
    }
    const JobAnswer answer =
        jobs.reportExternal(call.parameter(QStringLiteral("id")), report, call.identity);
    return answer.ok() ? HttpResponse::json(answer.job->toJson()) : refused(answer);
}

HttpResponse downloadReport(const HttpCall& call, const JobEngine& jobs)
{
    const QString name = call.parameter(QStringLiteral("name"));
    // A plain file name: no separators, no "..", no hidden files, a known extension.
    static const QRegularExpression safeName(
        QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*\\.(html|csv|json)$"));
    const QRegularExpressionMatch match = safeName.match(name);
    if (name.size() > 200 || !match.hasMatch())
        return HttpResponse::error(404, QStringLiteral("NOT_FOUND"),
                                   QStringLiteral("no report with that name"));
    const QDir folder(jobs.environment().reportsDir);
    const QFileInfo file(folder.filePath(name));
    // The file must really be in the reports folder, not a link out of it.
    if (!file.isFile() || file.isSymLink() ||
        file.canonicalFilePath() != QDir(folder.canonicalPath()).filePath(name))
        return HttpResponse::error(404, QStringLiteral("NOT_FOUND"),
                                   QStringLiteral("no report named %1").arg(name));
    QFile content(file.filePath());
    if (file.size() > maxReportBytes || !content.open(QIODevice::ReadOnly))
        return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                   QStringLiteral("the report cannot be read"));
    const QString extension = match.captured(2);
    QByteArray type = "application/json";
    if (extension == QLatin1String("html"))
        type = "text/html; charset=utf-8";
    else if (extension == QLatin1String("csv"))
        type = "text/csv; charset=utf-8";
    HttpResponse response = HttpResponse::content(content.readAll(), type);
    response.headers.emplaceBack("Content-Disposition",
                                 (extension == QLatin1String("html") ? "inline" : "attachment") +
                                     QByteArray("; filename=\"") + name.toUtf8() + '"');
    return response;
}

QJsonObject submitSchema(const JobTypes& types)
{
    QJsonArray variants;
    for (const JobType& type : types.all()) {
        QJsonObject schema = type.schema();
        schema.insert(QLatin1String("title"), type.name);
        schema.insert(QLatin1String("description"), type.summary);
        variants.append(schema);
    }
    return QJsonObject{{QLatin1String("description"),
                        QLatin1String("The params of the job type named in the path")},
                       {QLatin1String("oneOf"), variants}};
}

QJsonObject property(const char* type, const char* description)
{
    return QJsonObject{{QLatin1String("type"), QLatin1String(type)},
                       {QLatin1String("description"), QLatin1String(description)}};
}

QJsonObject externalSchema()
{
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("type"), QLatin1String("title")}},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("type"), property("string", "what kind of work this is")},
                     {QLatin1String("title"), property("string", "shown with the job")},
                     {QLatin1String("project_id"),
                      property("string", "progress also goes to topic project:{project_id}")}}}};
}

QJsonObject progressSchema()
{
    QJsonObject status = property("string", "running (default) or how the job ended");
    status.insert(QLatin1String("enum"),
                  QJsonArray{QLatin1String("running"), QLatin1String("completed"),
                             QLatin1String("failed"), QLatin1String("cancelled")});
    QJsonObject progress = property("number", "0-100; never goes back");
    progress.insert(QLatin1String("minimum"), 0);
    progress.insert(QLatin1String("maximum"), 100);
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("properties"),
         QJsonObject{{QLatin1String("progress"), progress},
                     {QLatin1String("status"), status},
                     {QLatin1String("message"), property("string", "what is happening")},
                     {QLatin1String("result"), property("object", "with status completed")},
                     {QLatin1String("error"), property("string", "with status failed")}}}};
}

} // namespace

void addJobRoutes(HttpRouter& router, JobEngine& jobs, JobDirectory& directory,
                  const TopicPolicy& policy)
{
    using Method = QHttpServerRequest::Method;
    router.add({Method::Get,
                QStringLiteral("/api/jobs"),
                HttpAccess::User,
                QStringLiteral("Jobs of every node, newest first; filter with ?status= and ?type="),
                [&directory](const HttpCall& call) { return listJobs(call, directory); },
                {}});
    router.add({Method::Post, QStringLiteral("/api/jobs/{type}"), HttpAccess::User,
                QStringLiteral("Submit a job of a type (%1); the body holds its params. "
                               "202 with the job")
                    .arg(jobs.types().names().join(QLatin1String(", "))),
                [&jobs](const HttpCall& call) { return submitJob(call, jobs); },
                submitSchema(jobs.types())});
    router.add({Method::Get,
                QStringLiteral("/api/jobs/{id}"),
                HttpAccess::User,
                QStringLiteral("One job, on whichever node runs it: status, progress, params, "
                               "result or error"),
                [&directory](const HttpCall& call) { return findJob(call, directory); },
                {}});
    router.add({Method::Post,
                QStringLiteral("/api/jobs/{id}/cancel"),
                HttpAccess::User,
                QStringLiteral("Cancel a job, on whichever node runs it: a queued one at once "
                               "(200), a running one at its next check, within a second (202)"),
                [&directory](const HttpCall& call) { return cancelJob(call, directory); },
                {}});
    router.add(
        {Method::Post, QStringLiteral("/api/v1/jobs/external"), HttpAccess::ServiceOrAdmin,
         QStringLiteral("Create a job that a service runs and reports (201 with the job)"),
         [&jobs, &policy](const HttpCall& call) { return createExternal(call, jobs, policy); },
         externalSchema()});
    router.add(
        {Method::Post, QStringLiteral("/api/v1/jobs/{id}/progress"), HttpAccess::ServiceOrAdmin,
         QStringLiteral("Report progress or the end of an external job"),
         [&jobs](const HttpCall& call) { return reportProgress(call, jobs); }, progressSchema()});
    router.add({Method::Get,
                QStringLiteral("/api/v1/reports/{name}"),
                HttpAccess::User,
                QStringLiteral("Download a report written by a report_generation job"),
                [&jobs](const HttpCall& call) { return downloadReport(call, jobs); },
                {}});
}

} // namespace switchboard
