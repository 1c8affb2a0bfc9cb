#include "Backend.h"

#include "collab/Collab.h"
#include "config/HubConfig.h"
#include "jobs/JobEngine.h"
#include "store/Database.h"
#include "store/JobStore.h"
#include "store/NotificationStore.h"
#include "store/ProjectRegistry.h"

namespace switchboard {

Backend::Backend(const HubConfig& config, Hub& hub)
    : m_database(std::make_unique<Database>())
{
    m_jobStore = std::make_unique<JobStore>(*m_database, config.jobHistoryLimit);
    m_notifications = std::make_unique<NotificationStore>(*m_database, config.notificationsPerUser);
    m_projects = std::make_unique<ProjectRegistry>(*m_database);
    m_jobs =
        std::make_unique<JobEngine>(JobEngine::limitsFor(config), JobEngine::environmentFor(config),
                                    JobTypes::builtIn(), *m_jobStore, hub);
    CollabLimits limits;
    limits.maxRoomsPerSession = config.collabMaxRoomsPerSession;
    limits.maxCellsPerSheet = config.collabMaxCellsPerSheet;
    m_collab = std::make_unique<Collab>(hub, limits, *m_notifications, *m_jobs);
}

Backend::~Backend() = default;

} // namespace switchboard
