#pragma once

// The hub's stateful services beneath the protocols: the SQLite store and its tables, the job
// engine, and document 004's collaboration state. They are built in dependency order and torn
// down in the order the store thread needs: collaboration and the notification table receive
// answers the store thread posts, so they outlive the database; the database outlives the job
// engine, whose last writes (jobs cut short by the stop) it commits on the way out.

#include <memory>

namespace switchboard {

class Collab;
class Database;
class Hub;
class JobEngine;
class JobStore;
class NotificationStore;
class ProjectRegistry;
struct HubConfig;

class Backend {
public:
    Backend(const HubConfig& config, Hub& hub);
    ~Backend();
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;

    Database& database() { return *m_database; }
    NotificationStore& notifications() { return *m_notifications; }
    ProjectRegistry& projects() { return *m_projects; }
    JobEngine& jobs() { return *m_jobs; }
    Collab& collab() { return *m_collab; }

private:
    std::unique_ptr<NotificationStore> m_notifications;
    std::unique_ptr<Collab> m_collab;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<JobStore> m_jobStore;
    std::unique_ptr<ProjectRegistry> m_projects;
    std::unique_ptr<JobEngine> m_jobs;
};

} // namespace switchboard
