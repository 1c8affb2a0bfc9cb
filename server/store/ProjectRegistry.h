#pragma once

// The project registry of document 003 (SPEC §2.1, §4): which tenant owns each project.
// `project:{id}` topics and `/ws/projects/{id}` connections are open only to that tenant.
// The checks read it in memory, on the hub thread; where it is kept is the implementation's:
// SQLite on a node alone (SqliteProjectRegistry), Redis for the nodes of a cluster
// (cluster/RedisProjectRegistry), so that a project registered on one node is enforced on all.

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace switchboard {

class Database;

struct Project {
    QString id;
    QString tenant;
    QString name;
    QDateTime updatedAt;

    // As a registry keeps it: {project_id, tenant, name, updated_at (ms)}; and back.
    QJsonObject toRecord() const;
    static std::optional<Project> fromRecord(const QJsonObject& record);
};

class ProjectRegistry {
public:
    using PutDone = std::function<void(bool stored)>;

    ProjectRegistry() = default;
    virtual ~ProjectRegistry() = default;
    ProjectRegistry(const ProjectRegistry&) = delete;
    ProjectRegistry& operator=(const ProjectRegistry&) = delete;

    // Start-up: what the registry needs before the hub serves. Blocks; says why it failed.
    virtual std::optional<QString> load() = 0;
    // Registers or updates a project; `done(stored)` comes later, on the hub thread, once it
    // is durable (committed, or applied by Redis). The checks know it at once.
    virtual void put(Project project, PutDone done) = 0;

    // The project's tenant, or nothing when the project is not registered.
    std::optional<QString> tenantOf(const QString& projectId) const;
    std::optional<Project> find(const QString& projectId) const;
    QList<Project> all() const;
    int count() const { return int(m_projects.size()); }

    static constexpr int maxProjects = 100'000;

protected:
    void remember(const Project& project) { m_projects.insert(project.id, project); }
    void rememberOnly(const QList<Project>& projects);

private:
    QHash<QString, Project> m_projects;
};

// One node's registry: in memory, and in SQLite so that it survives restarts.
class SqliteProjectRegistry final : public QObject, public ProjectRegistry {
    Q_OBJECT

public:
    explicit SqliteProjectRegistry(Database& database, QObject* parent = nullptr);

    // Creates the table if needed and reads every project.
    std::optional<QString> load() override;
    void put(Project project, PutDone done) override;

private:
    Database& m_database;
};

} // namespace switchboard
