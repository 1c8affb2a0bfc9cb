#include "ProjectRegistry.h"

#include "Database.h"

#include <QJsonObject>
#include <QMetaObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <variant>

namespace switchboard {

namespace {

const char* const createTable = R"(
CREATE TABLE IF NOT EXISTS projects (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
))";

bool store(QSqlDatabase& connection, const Project& project)
{
    QSqlQuery query(connection);
    query.prepare(QStringLiteral(
        "INSERT INTO projects (id, tenant, name, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET tenant = excluded.tenant, name = excluded.name, "
        "updated_at = excluded.updated_at"));
    query.addBindValue(project.id);
    query.addBindValue(project.tenant.isNull() ? QStringLiteral("") : project.tenant);
    query.addBindValue(project.name.isNull() ? QStringLiteral("") : project.name);
    query.addBindValue(project.updatedAt.toMSecsSinceEpoch());
    if (!query.exec()) {
        qWarning("project registry: %s", qPrintable(query.lastError().text()));
        return false;
    }
    return true;
}

} // namespace

QJsonObject Project::toRecord() const
{
    return {{QLatin1String("project_id"), id},
            {QLatin1String("tenant"), tenant},
            {QLatin1String("name"), name},
            {QLatin1String("updated_at"), double(updatedAt.toMSecsSinceEpoch())}};
}

std::optional<Project> Project::fromRecord(const QJsonObject& record)
{
    const QString id = record.value(QLatin1String("project_id")).toString();
    if (id.isEmpty())
        return std::nullopt;
    return Project{id, record.value(QLatin1String("tenant")).toString(),
                   record.value(QLatin1String("name")).toString(),
                   QDateTime::fromMSecsSinceEpoch(
                       qint64(record.value(QLatin1String("updated_at")).toDouble()), Qt::UTC)};
}

void ProjectRegistry::rememberOnly(const QList<Project>& projects)
{
    m_projects.clear();
    for (const Project& project : projects)
        m_projects.insert(project.id, project);
}

SqliteProjectRegistry::SqliteProjectRegistry(Database& database, QObject* parent)
    : QObject(parent)
    , m_database(database)
{}

std::optional<QString> SqliteProjectRegistry::load()
{
    using Loaded = std::variant<QList<Project>, QString>;
    Loaded loaded =
        m_database
            .call<Loaded>([](QSqlDatabase& connection) -> Loaded {
                QSqlQuery query(connection);
                if (!query.exec(QString::fromLatin1(createTable)))
                    return query.lastError().text();
                if (!query.exec(
                        QStringLiteral("SELECT id, tenant, name, updated_at FROM projects")))
                    return query.lastError().text();
                QList<Project> projects;
                while (query.next())
                    projects.append(Project{
                        query.value(0).toString(), query.value(1).toString(),
                        query.value(2).toString(),
                        QDateTime::fromMSecsSinceEpoch(query.value(3).toLongLong(), Qt::UTC)});
                return projects;
            })
            .get();
    if (auto* error = std::get_if<QString>(&loaded))
        return QStringLiteral("projects table: ") + *error;
    rememberOnly(std::get<QList<Project>>(loaded));
    return std::nullopt;
}

std::optional<QString> ProjectRegistry::tenantOf(const QString& projectId) const
{
    const auto it = m_projects.constFind(projectId);
    if (it == m_projects.constEnd())
        return std::nullopt;
    return it->tenant;
}

std::optional<Project> ProjectRegistry::find(const QString& projectId) const
{
    const auto it = m_projects.constFind(projectId);
    if (it == m_projects.constEnd())
        return std::nullopt;
    return *it;
}

QList<Project> ProjectRegistry::all() const
{
    QList<Project> projects = m_projects.values();
    std::sort(projects.begin(), projects.end(),
              [](const Project& a, const Project& b) { return a.id < b.id; });
    return projects;
}

void SqliteProjectRegistry::put(Project project, PutDone done)
{
    remember(project);
    // The answer comes back to this object, which outlives the database (Backend).
    m_database.post([this, project, done = std::move(done)](QSqlDatabase& connection) {
        const bool stored = store(connection, project);
        QMetaObject::invokeMethod(this, [done, stored] { done(stored); });
    });
}

} // namespace switchboard
