#include "JobStore.h"

#include "Database.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace switchboard {

namespace {

constexpr int schemaVersion = 1;

// Times are integers (ms since the epoch, UTC); NULL where the job has not got there yet.
// Progress is REAL (a service reports 45.5). Files of the first releases declare it INTEGER and
// need no migration: SQLite stores a value that is not a whole number as REAL in such a column
// (NUMERIC affinity), so the schema version stays 1 and either release reads either file.
const char* const createTable = R"(
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    progress REAL NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    params TEXT NOT NULL DEFAULT '{}',
    result TEXT,
    error TEXT NOT NULL DEFAULT '',
    project_id TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    external INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    completed_at INTEGER
))";

const char* const createIndex =
    "CREATE INDEX IF NOT EXISTS jobs_by_completion ON jobs(completed_at) "
    "WHERE completed_at IS NOT NULL";

QVariant optionalTime(qint64 msecs)
{
    return msecs > 0 ? QVariant(msecs) : QVariant(QMetaType(QMetaType::LongLong));
}

QString jsonText(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject jsonObject(const QVariant& text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

void warn(const QString& what, const QSqlQuery& query)
{
    qWarning("job store: %s: %s", qPrintable(what), qPrintable(query.lastError().text()));
}

bool exec(QSqlQuery& query, const QString& sql)
{
    if (query.exec(sql))
        return true;
    warn(sql.simplified().left(60), query);
    return false;
}

// Deletes finished jobs beyond the newest `keep`.
bool prune(QSqlDatabase& connection, int keep)
{
    QSqlQuery query(connection);
    query.prepare(QStringLiteral("DELETE FROM jobs WHERE completed_at IS NOT NULL AND id NOT IN ("
                                 "SELECT id FROM jobs WHERE completed_at IS NOT NULL "
                                 "ORDER BY completed_at DESC, rowid DESC LIMIT ?)"));
    query.addBindValue(keep);
    if (query.exec())
        return true;
    warn(QStringLiteral("prune"), query);
    return false;
}

JobRecord readRecord(const QSqlQuery& query)
{
    JobRecord job;
    job.id = query.value(0).toString();
    job.type = query.value(1).toString();
    job.title = query.value(2).toString();
    job.status = jobStatusFromName(query.value(3).toString()).value_or(JobStatus::Interrupted);
    job.progress = query.value(4).toDouble();
    job.message = query.value(5).toString();
    job.params = jsonObject(query.value(6));
    if (!query.value(7).isNull())
        job.result = jsonObject(query.value(7));
    job.error = query.value(8).toString();
    job.projectId = query.value(9).toString();
    job.owner = query.value(10).toString();
    job.external = query.value(11).toBool();
    job.createdAt = query.value(12).toLongLong();
    job.startedAt = query.value(13).toLongLong();
    job.completedAt = query.value(14).toLongLong();
    return job;
}

} // namespace

JobStore::JobStore(Database& database, int keepFinished)
    : m_database(database)
    , m_keepFinished(keepFinished)
{}

std::variant<QList<JobRecord>, QString> JobStore::recover()
{
    using Result = std::variant<QList<JobRecord>, QString>;
    const int keep = m_keepFinished;
    return m_database
        .call<Result>([keep](QSqlDatabase& connection) -> Result {
            QSqlQuery query(connection);
            if (!exec(query, QStringLiteral("PRAGMA user_version")) || !query.next())
                return QStringLiteral("cannot read the schema version: %1")
                    .arg(query.lastError().text());
            const int version = query.value(0).toInt();
            if (version > schemaVersion)
                return QStringLiteral("the database was written by a newer Switchboard "
                                      "(schema %1, this one knows %2)")
                    .arg(version)
                    .arg(schemaVersion);
            if (!connection.transaction())
                return connection.lastError().text();
            bool ok = exec(query, QLatin1String(createTable)) &&
                      exec(query, QLatin1String(createIndex)) &&
                      exec(query, QStringLiteral("PRAGMA user_version=%1").arg(schemaVersion));
            // A job that was queued or running when the process ended cannot be resumed.
            QSqlQuery interrupt(connection);
            interrupt.prepare(
                QStringLiteral("UPDATE jobs SET status = 'interrupted', completed_at = ?, "
                               "message = 'interrupted: the hub stopped before the job finished' "
                               "WHERE status IN ('queued', 'running')"));
            interrupt.addBindValue(QDateTime::currentMSecsSinceEpoch());
            ok = ok && interrupt.exec() && prune(connection, keep);
            if (!ok || !connection.commit()) {
                const QString reason = interrupt.lastError().isValid()
                                           ? interrupt.lastError().text()
                                           : connection.lastError().text();
                connection.rollback();
                return QStringLiteral("cannot prepare the jobs table: %1").arg(reason);
            }
            QList<JobRecord> jobs;
            if (!exec(query, QStringLiteral("SELECT id, type, title, status, progress, message, "
                                            "params, result, error, project_id, owner, "
                                            "external, created_at, started_at, completed_at "
                                            "FROM jobs ORDER BY created_at DESC, rowid DESC")))
                return QStringLiteral("cannot read the jobs: %1").arg(query.lastError().text());
            while (query.next())
                jobs.append(readRecord(query));
            return jobs;
        })
        .get();
}

std::future<bool> JobStore::save(const JobRecord& job)
{
    const int keep = m_keepFinished;
    return m_database.call<bool>([job, keep](QSqlDatabase& connection) {
        QSqlQuery query(connection);
        query.prepare(QStringLiteral(
            "INSERT OR REPLACE INTO jobs (id, type, title, status, progress, message, params, "
            "result, error, project_id, owner, external, created_at, started_at, completed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        query.addBindValue(job.id);
        query.addBindValue(job.type);
        query.addBindValue(job.title);
        query.addBindValue(jobStatusName(job.status));
        query.addBindValue(job.progress);
        query.addBindValue(job.message);
        query.addBindValue(jsonText(job.params));
        query.addBindValue(job.result ? QVariant(jsonText(*job.result))
                                      : QVariant(QMetaType(QMetaType::QString)));
        query.addBindValue(job.error);
        query.addBindValue(job.projectId);
        query.addBindValue(job.owner);
        query.addBindValue(job.external ? 1 : 0);
        query.addBindValue(job.createdAt);
        query.addBindValue(optionalTime(job.startedAt));
        query.addBindValue(optionalTime(job.completedAt));
        if (!query.exec()) {
            warn(QStringLiteral("save %1").arg(job.id), query);
            return false;
        }
        // Pruning in its own statement: the row above is committed whatever happens here.
        if (isFinished(job.status))
            prune(connection, keep);
        return true;
    });
}

std::future<bool> JobStore::remove(const QString& id)
{
    return m_database.call<bool>([id](QSqlDatabase& connection) {
        QSqlQuery query(connection);
        query.prepare(QStringLiteral("DELETE FROM jobs WHERE id = ?"));
        query.addBindValue(id);
        if (query.exec())
            return true;
        warn(QStringLiteral("remove %1").arg(id), query);
        return false;
    });
}

} // namespace switchboard
