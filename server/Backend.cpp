#include "Backend.h"

#include "collab/Collab.h"
#include "config/HubConfig.h"
#include "jobs/JobEngine.h"
#include "store/Database.h"
#include "store/JobStore.h"
#include "store/NotificationStore.h"
#include "store/ProjectRegistry.h"
#include "store/SqliteCellStore.h"

namespace switchboard {

Backend::Backend(const HubConfig& config, Hub& hub, Shared shared)
    : m_presence(shared.presence ? std::move(shared.presence)
                                 : std::make_unique<LocalPresenceStore>())
    , m_notifications(std::move(shared.notifications))
    , m_cells(std::move(shared.cells))
    , m_projects(std::move(shared.projects))
    , m_database(std::make_unique<Database>())
{
    m_jobStore = std::make_unique<JobStore>(*m_database, config.jobHistoryLimit);
    if (!m_notifications)
        m_notifications =
            std::make_unique<SqliteNotificationStore>(*m_database, config.notificationsPerUser);
    if (!m_projects)
        m_projects = std::make_unique<SqliteProjectRegistry>(*m_database);
    m_jobs =
        std::make_unique<JobEngine>(JobEngine::limitsFor(config), JobEngine::environmentFor(config),
                                    JobTypes::builtIn(), *m_jobStore, hub);
    CollabLimits limits;
    limits.maxRoomsPerSession = config.collabMaxRoomsPerSession;
    limits.maxCellsPerSheet = config.collabMaxCellsPerSheet;
    if (!m_cells)
        m_cells = std::make_unique<SqliteCellStore>(*m_database, cellLimitsFor(config));
    m_collab =
        std::make_unique<Collab>(hub, limits, *m_notifications, *m_jobs, *m_cells, *m_presence);
}

Backend::~Backend() = default;

CellLimits Backend::cellLimitsFor(const HubConfig& config)
{
    CellLimits limits;
    limits.maxSheetsPerRoom = CollabLimits().maxSheetsPerRoom;
    limits.maxCellsPerSheet = config.collabMaxCellsPerSheet;
    return limits;
}

} // namespace switchboard
