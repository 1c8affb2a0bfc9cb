#pragma once

// The hub's stateful services beneath the protocols: the SQLite store and its tables, the job
// engine, document 004's collaboration state with the store of its cells (SQLite, unless the
// composition root brings a shared one: a cluster's, in Redis), and who is in which room (this
// node's, in memory, unless a cluster's is brought). They are built in dependency
// order and torn down in the order the store thread needs: collaboration and the notification table
// receive answers the store thread posts, so they outlive the database; the database outlives the
// job engine, whose last writes (jobs cut short by the stop) it commits on the way out.

#include "hub/PresenceStore.h"
#include "store/CellStore.h"

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
    // What the nodes of a cluster share instead of keeping it here; each left null is this
    // node's own.
    struct Shared {
        std::unique_ptr<CellStore> cells;          // the 004 cells (else this node's SQLite file)
        std::unique_ptr<PresenceStore> presence;   // who is in which room (else in memory)
        std::unique_ptr<ProjectRegistry> projects; // 003's (else in SQLite)
        std::unique_ptr<NotificationStore> notifications; // 004's stored ones (else in SQLite)
    };

    Backend(const HubConfig& config, Hub& hub, Shared shared = {});
    ~Backend();
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;

    // The cells' limits the settings ask for, whichever store keeps them.
    static CellLimits cellLimitsFor(const HubConfig& config);

    Database& database() { return *m_database; }
    NotificationStore& notifications() { return *m_notifications; }
    ProjectRegistry& projects() { return *m_projects; }
    JobEngine& jobs() { return *m_jobs; }
    Collab& collab() { return *m_collab; }
    CellStore& cells() { return *m_cells; }
    PresenceStore& presence() { return *m_presence; }

private:
    std::unique_ptr<PresenceStore> m_presence;
    std::unique_ptr<NotificationStore> m_notifications;
    std::unique_ptr<CellStore> m_cells;          // receives the store thread's answers: outlives it
    std::unique_ptr<ProjectRegistry> m_projects; // the same
    std::unique_ptr<Collab> m_collab;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<JobStore> m_jobStore;
    std::unique_ptr<JobEngine> m_jobs;
};

} // namespace switchboard
