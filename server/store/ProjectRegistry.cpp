#include "ProjectRegistry.h"

#include "Database.h"

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

} // namespace

ProjectRegistry::ProjectRegistry(Database& database)
    : m_database(database)
{}

std::optional<QString> ProjectRegistry::load()
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
    for (Project& project : std::get<QList<Project>>(loaded))
        m_projects.insert(project.id, std::move(project));
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

std::future<bool> ProjectRegistry::put(Project project)
{
    m_projects.insert(project.id, project);
    return m_database.call<bool>([project](QSqlDatabase& connection) {
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
    });
}

} // namespace switchboard
