#include "JobDirectory.h"

#include "../cluster/Cluster.h"

#include <QJsonArray>

#include <algorithm>

namespace switchboard {

namespace {

const QString listQuestion = QStringLiteral("jobs.list");
const QString findQuestion = QStringLiteral("jobs.find");
const QString cancelQuestion = QStringLiteral("jobs.cancel");

QJsonObject identityJson(const Identity& identity)
{
    return {{QLatin1String("sub"), identity.subject},
            {QLatin1String("role"), roleName(identity.role)},
            {QLatin1String("tenant"), identity.tenant}};
}

Identity identityFrom(const QJsonObject& json)
{
    Identity identity;
    identity.subject = json.value(QLatin1String("sub")).toString();
    const QString role = json.value(QLatin1String("role")).toString();
    identity.role = role == roleName(Role::Anonymous) ? Role::Anonymous : roleFromName(role);
    identity.tenant = json.value(QLatin1String("tenant")).toString();
    return identity;
}

QJsonObject answerJson(const JobAnswer& answer)
{
    if (answer.ok())
        return {{QLatin1String("job"), answer.job->toJson()}};
    return {{QLatin1String("refusal"), int(answer.refusal)},
            {QLatin1String("error"), answer.error}};
}

JobAnswer answerFrom(const QJsonObject& json)
{
    if (const std::optional<JobRecord> job =
            JobRecord::fromJson(json.value(QLatin1String("job")).toObject()))
        return JobAnswer::accept(*job);
    const int refusal = json.value(QLatin1String("refusal")).toInt();
    if (refusal < int(JobRefusal::InvalidParams) || refusal > int(JobRefusal::Storage))
        return JobAnswer::refuse(JobRefusal::Storage, QStringLiteral("unreadable answer"));
    return JobAnswer::refuse(JobRefusal(refusal), json.value(QLatin1String("error")).toString());
}

JobAnswer notFound(const QString& id)
{
    return JobAnswer::refuse(JobRefusal::NotFound, QStringLiteral("no job with id %1").arg(id));
}

} // namespace

JobDirectory::JobDirectory(JobEngine& engine, Cluster* cluster)
    : m_engine(engine)
    , m_cluster(cluster)
{
    if (!m_cluster)
        return;
    // This node's own questions come back to it too: it answers those from its engine directly.
    m_cluster->handle(listQuestion, [this](const QJsonObject& message) {
        if (fromThisNode(message))
            return QJsonObject();
        const QString statusName = message.value(QLatin1String("status")).toString();
        const JobListing listing =
            listHere(statusName.isEmpty() ? std::nullopt : jobStatusFromName(statusName),
                     message.value(QLatin1String("job_type")).toString());
        QJsonArray jobs;
        for (const JobRecord& job : listing.jobs)
            jobs.append(job.toJson());
        return QJsonObject{{QLatin1String("jobs"), jobs},
                           {QLatin1String("running"), listing.running},
                           {QLatin1String("queued"), listing.queued},
                           {QLatin1String("max_running"), listing.maxRunning}};
    });
    m_cluster->handle(findQuestion, [this](const QJsonObject& message) {
        const std::optional<JobRecord> job =
            fromThisNode(message)
                ? std::nullopt
                : m_engine.find(message.value(QLatin1String("job_id")).toString());
        return job ? QJsonObject{{QLatin1String("job"), job->toJson()}} : QJsonObject();
    });
    m_cluster->handle(cancelQuestion, [this](const QJsonObject& message) {
        const QString id = message.value(QLatin1String("job_id")).toString();
        if (fromThisNode(message) || !m_engine.find(id))
            return QJsonObject();
        return answerJson(
            m_engine.cancel(id, identityFrom(message.value(QLatin1String("by")).toObject())));
    });
}

JobDirectory::~JobDirectory()
{
    if (!m_cluster)
        return;
    for (const QString& question : {listQuestion, findQuestion, cancelQuestion})
        m_cluster->handle(question, {});
}

bool JobDirectory::fromThisNode(const QJsonObject& message) const
{
    return message.value(QLatin1String("from")).toString() == m_cluster->nodeName();
}

JobListing JobDirectory::listHere(std::optional<JobStatus> status, const QString& type) const
{
    return {m_engine.list(status, type), m_engine.runningCount(), m_engine.queuedCount(),
            m_engine.limits().maxRunning};
}

void JobDirectory::list(std::optional<JobStatus> status, const QString& type, Listed done)
{
    if (!m_cluster)
        return done(listHere(status, type));
    QJsonObject question{{QLatin1String("job_type"), type}};
    if (status)
        question.insert(QLatin1String("status"), jobStatusName(*status));
    m_cluster->ask(
        listQuestion, question, Cluster::answerTimeout,
        [this, status, type, done = std::move(done)](const QList<Cluster::Answer>& answers) {
            // This node's part as it stands now, the others' as they answered.
            JobListing listing = listHere(status, type);
            for (const Cluster::Answer& answer : answers) {
                if (answer.node == m_cluster->nodeName())
                    continue;
                for (const QJsonValue& job : answer.body.value(QLatin1String("jobs")).toArray()) {
                    if (std::optional<JobRecord> record = JobRecord::fromJson(job.toObject()))
                        listing.jobs.append(std::move(*record));
                }
                listing.running += answer.body.value(QLatin1String("running")).toInt();
                listing.queued += answer.body.value(QLatin1String("queued")).toInt();
                listing.maxRunning += answer.body.value(QLatin1String("max_running")).toInt();
            }
            std::stable_sort(
                listing.jobs.begin(), listing.jobs.end(),
                [](const JobRecord& a, const JobRecord& b) { return a.createdAt > b.createdAt; });
            done(listing);
        });
}

void JobDirectory::find(const QString& id, Found done)
{
    std::optional<JobRecord> job = m_engine.find(id);
    if (job || !m_cluster)
        return done(job);
    m_cluster->ask(findQuestion, {{QLatin1String("job_id"), id}}, Cluster::answerTimeout,
                   [done = std::move(done)](const QList<Cluster::Answer>& answers) {
                       for (const Cluster::Answer& answer : answers) {
                           if (std::optional<JobRecord> found = JobRecord::fromJson(
                                   answer.body.value(QLatin1String("job")).toObject()))
                               return done(found);
                       }
                       done(std::nullopt);
                   });
}

void JobDirectory::cancel(const QString& id, const Identity& by, Answered done)
{
    if (!m_cluster || m_engine.find(id))
        return done(m_engine.cancel(id, by));
    m_cluster->ask(cancelQuestion,
                   {{QLatin1String("job_id"), id}, {QLatin1String("by"), identityJson(by)}},
                   Cluster::answerTimeout,
                   [id, done = std::move(done)](const QList<Cluster::Answer>& answers) {
                       // Only the node that has the job answers with something.
                       for (const Cluster::Answer& answer : answers) {
                           if (!answer.body.isEmpty())
                               return done(answerFrom(answer.body));
                       }
                       done(notFound(id));
                   });
}

} // namespace switchboard
