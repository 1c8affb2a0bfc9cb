#include "HubCore.h"

#include "auth/ConnectionLog.h"
#include "collab/Collab.h"
#include "entities/EntityWatcher.h"
#include "handlers/HandlerRegistry.h"
#include "http/AdminRoutes.h"
#include "http/DocsRoutes.h"
#include "http/HubRoutes.h"
#include "http/JobRoutes.h"
#include "http/ProjectRoutes.h"
#include "http/RouteContext.h"
#include "http/ServiceRoutes.h"
#include "http/UploadRoutes.h"
#include "http/WebRoutes.h"
#include "jobs/JobEngine.h"
#include "monitor/HubMonitor.h"
#include "net/Listener.h"
#include "net/Session.h"
#include "net/Sessions.h"
#include "protocol/dialects/AssistDialect.h"
#include "protocol/dialects/CalculationsDialect.h"
#include "protocol/dialects/CollabDialect.h"
#include "protocol/dialects/NativeDialect.h"
#include "protocol/dialects/ProjectsDialect.h"
#include "protocol/dialects/TradingDialect.h"
#include "sources/LiveSources.h"
#include "sources/SystemMetrics.h"
#include "store/Database.h"
#include "store/JobStore.h"
#include "store/NotificationStore.h"
#include "store/ProjectRegistry.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>

#include <algorithm>

namespace switchboard {

HubCore::HubCore(const HubConfig& config, QObject* parent)
    : QObject(parent)
    , m_config(config)
    , m_tokens(config.jwtPublicKey.isEmpty()
                   ? TokenVerifier(config.jwtSecret)
                   : TokenVerifier(TokenAlgorithm::RS256, config.jwtPublicKey))
    , m_policy(config.authMode)
    , m_scheduler(m_metrics, config.fanoutThreads)
    , m_hub(Hub::Limits{config.historyLimit, config.historyMaxAge}, m_metrics, m_scheduler)
    , m_dispatcher(HandlerRegistry::builtIn(), m_hub, m_config, m_policy, m_tokens)
    , m_sessionContext{m_config, m_hub, m_metrics, m_scheduler, m_dispatcher, m_policy}
    , m_router(m_tokens, config.authMode)
    , m_sessions(new Sessions(this))
    , m_monitor(new HubMonitor(*m_sessions, m_hub, m_metrics, config.snapshotInterval, this))
{
    m_endpoints.add(QStringLiteral("/ws/v1"),
                    std::make_unique<NativeDialect>(int(config.pingInterval.count())));
    m_endpoints.add(CalculationsDialect::paths(), std::make_unique<CalculationsDialect>(m_config));
    m_endpoints.add(QStringLiteral("/ws"), std::make_unique<TradingDialect>());
    m_endpoints.add(QStringLiteral("/ws/connect"), std::make_unique<AssistDialect>());
    m_endpoints.add(ProjectsDialect::paths(), std::make_unique<ProjectsDialect>());

    const RouteContext routes{
        m_config,     m_hub,    *m_sessions, m_metrics,
        *m_monitor,   m_router, m_policy,    [this] { emit shutdownRequested(); },
        &m_endpoints, {}}; // the rate limiters, once made below
    // Route handlers capture the context by reference: it lives as long as the router.
    m_routeContext = std::make_unique<RouteContext>(routes);
    addServiceRoutes(m_router, *m_routeContext);
    addDocsRoutes(m_router, m_endpoints);
    addWebRoutes(m_router);
    addHubRoutes(m_router, *m_routeContext);

    connect(m_monitor, &HubMonitor::snapshotReady, this, &HubCore::snapshotReady);
    new ConnectionLog(*m_sessions); // a child of the sessions it logs

    const auto tick = std::clamp<qint64>(
        std::min(config.pingInterval, config.heartbeatInterval).count() / 4, 50, 1000);
    m_keepAliveTimer.setInterval(int(tick));
    connect(&m_keepAliveTimer, &QTimer::timeout, this, &HubCore::checkKeepAlive);

    m_entityWatcher = std::make_unique<EntityWatcher>(
        EntityWatcher::Options{config.entitiesDir, config.entitiesDebounce, config.demo}, m_hub);

    m_database = std::make_unique<Database>();
    m_jobStore = std::make_unique<JobStore>(*m_database, config.jobHistoryLimit);
    m_notificationStore =
        std::make_unique<NotificationStore>(*m_database, config.notificationsPerUser);
    CollabLimits collabLimits;
    collabLimits.maxRoomsPerSession = config.collabMaxRoomsPerSession;
    collabLimits.maxCellsPerSheet = config.collabMaxCellsPerSheet;
    m_collab = std::make_unique<Collab>(m_hub, collabLimits, *m_notificationStore);
    m_endpoints.add(QStringLiteral("/api/v1/ws"), std::make_unique<CollabDialect>(*m_collab));
    connect(m_sessions, &Sessions::removed, m_collab.get(), &Collab::sessionClosed);
    m_policy.setRoomTenants([collab = m_collab.get()](const QString& roomId) {
        const Room* room = collab->rooms().find(roomId);
        return room ? std::optional<QString>(room->tenant) : std::nullopt;
    });
    addAdminRoutes(m_router, *m_routeContext, *m_collab, *m_notificationStore);
    addUploadRoutes(m_router, m_config, m_hub);
    m_projects = std::make_unique<ProjectRegistry>(*m_database);
    m_policy.setProjects(m_projects.get());
    addProjectRoutes(m_router, *m_projects);
    m_jobs =
        std::make_unique<JobEngine>(JobEngine::limitsFor(config), JobEngine::environmentFor(config),
                                    JobTypes::builtIn(), *m_jobStore, m_hub);
    m_dispatcher.setJobEngine(m_jobs.get());
    m_collab->setJobEngine(m_jobs.get());

    // Without required authentication the Host header is checked too (DNS rebinding).
    m_origins = std::make_unique<OriginPolicy>(config.allowedOrigins,
                                               config.authMode != AuthMode::Required);
    m_router.setOriginPolicy(m_origins.get());
    m_rateLimiter = std::make_unique<RateLimiter>(RateLimiter::Limits{
        {{std::chrono::minutes(1), config.requestsPerMinute, QStringLiteral("minute")},
         {std::chrono::hours(1), config.requestsPerHour, QStringLiteral("hour")}},
        config.rateViolationsBeforeBlock,
        config.rateBlockDuration,
        config.rateCleanupInterval});
    m_dispatcher.setRateLimiter(m_rateLimiter.get());
    m_dialectRateLimiter = std::make_unique<RateLimiter>(RateLimiter::Limits{
        {{config.wsRateWindow, config.wsMaxMessages, QStringLiteral("rate window")}},
        0,
        std::chrono::milliseconds(0),
        config.rateCleanupInterval});
    // Document 002's own per-user limit, on /ws/connect only.
    m_dispatcher.setDialectRateLimiter(QString(AssistDialect().name()), m_dialectRateLimiter.get());
    m_routeContext->rateLimiters = {m_rateLimiter.get(), m_dialectRateLimiter.get()};
    m_monitor->setJobEngine(m_jobs.get());
    addJobRoutes(m_router, *m_jobs, m_policy);
}

HubCore::~HubCore()
{
    // Children would otherwise be deleted by ~QObject, after the members they use (hub,
    // scheduler, metrics) are gone: tear down in dependency order while everything lives.
    delete m_listener;
    delete m_sessions;
    delete m_monitor;
    m_policy.setRoomTenants({}); // it asks m_collab, which goes first
}

std::optional<QString> HubCore::start()
{
    // Before the listener: the start-up entity_list_update is in the topic's history by the
    // time the first client can subscribe.
    if (auto error = m_entityWatcher->start())
        return error;
    // Before the listener too: the jobs kept from the last run are listed from the first request.
    const QString database = QDir(m_config.dataDir).filePath(QStringLiteral("switchboard.db"));
    if (auto error = m_database->open(database))
        return QStringLiteral("--data-dir: ") + *error;
    if (auto error = m_notificationStore->prepare())
        return QStringLiteral("--data-dir: ") + *error;
    if (auto error = m_projects->load())
        return QStringLiteral("--data-dir: ") + *error;
    if (auto error = m_jobs->start())
        return QStringLiteral("--data-dir: ") + *error;
    m_listener = new Listener(m_config, m_endpoints, m_router, m_tokens, *m_sessions,
                              m_sessionContext, this);
    m_listener->setProtection(m_origins.get(), m_rateLimiter.get());
    if (auto error = m_listener->listen())
        return error;
    m_monitor->setServerIdentity({m_config.bindAddress.toString() + u':' + QString::number(port()),
                                  !m_config.tlsCertificateFile.isEmpty(),
                                  authModeName(m_config.authMode)});
    m_monitor->start();
    m_keepAliveTimer.start();
    m_sources = std::make_unique<LiveSources>(m_config, m_hub);
    return std::nullopt;
}

quint16 HubCore::port() const
{
    return m_listener ? m_listener->port() : 0;
}

void HubCore::checkKeepAlive()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 interval = m_config.pingInterval.count();
    const qint64 timeout = m_config.pingTimeout.count();
    // With --auth required an anonymous connection may only authenticate (or ping), and has
    // the handshake timeout to do so.
    const qint64 authenticateWithin =
        m_config.authMode == AuthMode::Required ? m_config.handshakeTimeout.count() : 0;
    const QList<Session*> sessions = m_sessions->all().values();
    for (Session* session : sessions)
        session->checkKeepAlive(now, interval, timeout, authenticateWithin);
}

void HubCore::shutdown(std::chrono::milliseconds grace)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_keepAliveTimer.stop();
    if (m_listener)
        m_listener->stopAccepting();
    m_sessions->closeAll(CloseCode::GoingAway, QStringLiteral("server shutting down"));
    m_scheduler.flushNow();
    // A reply such as the 202 of POST /api/v1/ws/shutdown must leave before its socket goes.
    if (m_listener)
        m_listener->flushHttpSockets();

    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(m_sessions, &Sessions::removed, &loop, [this, &loop] {
        if (m_sessions->count() == 0)
            loop.quit();
    });
    if (m_sessions->count() > 0) {
        deadline.start(grace);
        loop.exec();
    }
}

void HubCore::disconnectClient(const QString& id)
{
    if (Session* session = m_sessions->find(id))
        session->close(CloseCode::Policy, QStringLiteral("disconnected by the operator"));
}

void HubCore::publish(const QString& topic, const QString& event, const QJsonObject& data)
{
    m_hub.publish(topic, event, data);
}

void HubCore::requestFullSnapshot()
{
    m_monitor->requestFull();
}

void HubCore::setSnapshotsObserved(bool observed)
{
    m_monitor->setObserved(observed);
}

} // namespace switchboard

namespace switchboard {

void HubCore::watchTopics(const QStringList& patterns)
{
    m_monitor->setWatchedTopics(patterns);
    const bool metrics = patterns.contains(QStringLiteral("system_metrics")) ||
                         patterns.contains(QStringLiteral("status"));
    if (!m_sources || metrics == m_consoleWatchesMetrics)
        return;
    m_consoleWatchesMetrics = metrics;
    if (metrics)
        m_sources->systemMetrics().addWatcher();
    else
        m_sources->systemMetrics().removeWatcher();
}

namespace {

Identity consoleIdentity()
{
    Identity identity;
    identity.subject = QStringLiteral("console");
    identity.name = QStringLiteral("Switchboard console");
    identity.role = Role::Admin;
    return identity;
}

} // namespace

JobAnswer HubCore::submitJob(const QString& type, const QJsonObject& params)
{
    return m_jobs->submit(type, params, consoleIdentity());
}

JobAnswer HubCore::cancelJob(const QString& id)
{
    return m_jobs->cancel(id, consoleIdentity());
}

QByteArray HubCore::issueToken(const Identity& identity, std::chrono::seconds ttl) const
{
    return m_tokens.issue(identity, ttl);
}

} // namespace switchboard
