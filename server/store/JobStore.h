#pragma once

// The jobs table: every job's latest state. The newest `keepFinished` finished jobs are
// kept, older ones pruned. Writes are posted to the store thread in order; only start-up
// (recover) and acknowledgements that must be durable wait for them.

#include "JobRecord.h"

#include <QList>
#include <QString>

#include <future>
#include <optional>
#include <variant>

namespace switchboard {

class Database;

class JobStore {
public:
    JobStore(Database& database, int keepFinished);

    // Start-up: creates the table if needed, turns every job that was queued or running
    // when the last process ended into `interrupted`, prunes, and returns every job kept,
    // newest first. Blocks until done (the hub is not serving yet).
    std::variant<QList<JobRecord>, QString> recover();

    // Inserts or replaces the job's row (and prunes when it is finished). The future becomes
    // true once the row is committed, false if the write failed.
    std::future<bool> save(const JobRecord& job);
    std::future<bool> remove(const QString& id);

    int keepFinished() const { return m_keepFinished; }

private:
    Database& m_database;
    int m_keepFinished;
};

} // namespace switchboard
