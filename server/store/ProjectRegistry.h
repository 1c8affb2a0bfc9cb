#pragma once

// The project registry of document 003 (SPEC §2.1, §4): which tenant owns each project.
// `project:{id}` topics and `/ws/projects/{id}` connections are open only to that tenant.
// Kept in memory on the hub thread for the checks, and in SQLite so it survives restarts.

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <future>
#include <optional>

namespace switchboard {

class Database;

struct Project {
    QString id;
    QString tenant;
    QString name;
    QDateTime updatedAt;
};

class ProjectRegistry {
public:
    explicit ProjectRegistry(Database& database);

    // Start-up: creates the table if needed and reads every project. Blocks until done.
    std::optional<QString> load();

    // The project's tenant, or nothing when the project is not registered.
    std::optional<QString> tenantOf(const QString& projectId) const;
    std::optional<Project> find(const QString& projectId) const;
    QList<Project> all() const;
    int count() const { return int(m_projects.size()); }

    // Registers or updates a project; the future becomes true once it is committed.
    std::future<bool> put(Project project);

    static constexpr int maxProjects = 100'000;

private:
    Database& m_database;
    QHash<QString, Project> m_projects;
};

} // namespace switchboard
