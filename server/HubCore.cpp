#include "HubCore.h"

#include "Operations.h"
#include "cluster/Cluster.h"
#include "cluster/RedisCellStore.h"
#include "cluster/RedisNotificationStore.h"
#include "cluster/RedisPresenceStore.h"
#include "cluster/RedisProjectRegistry.h"
#include "cluster/SharedBlocks.h"
#include "collab/Collab.h"
#include "handlers/HandlerRegistry.h"
#include "http/AdminRoutes.h"
#include "http/ClusterRoutes.h"
#include "http/DocsRoutes.h"
#include "http/HubRoutes.h"
#include "http/JobRoutes.h"
#include "http/ProjectRoutes.h"
#include "http/ServiceRoutes.h"
#include "http/UploadRoutes.h"
#include "http/WebRoutes.h"
#include "hub/Subscriber.h"
#include "jobs/JobEngine.h"
#include "net/ConnectionLog.h"
#include "net/Listener.h"
#include "protocol/dialects/AssistDialect.h"
#include "protocol/dialects/CalculationsDialect.h"
#include "protocol/dialects/CollabDialect.h"
#include "protocol/dialects/NativeDialect.h"
#include "protocol/dialects/ProjectsDialect.h"
#include "protocol/dialects/TradingDialect.h"
#include "sources/EntityWatcher.h"
#include "sources/LiveSources.h"
#include "sources/SystemMetrics.h"
#include "store/Database.h"
#include "store/NotificationStore.h"
#include "store/ProjectRegistry.h"

#include <QDir>
#include <QEventLoop>
#include <QHostInfo>

#include <algorithm>

namespace switchboard {

namespace {

// The cluster as the console shows it: copies, for the snapshot that crosses threads.
ClusterInfo clusterInfo(const Cluster& cluster)
{
    ClusterInfo info;
    info.nodeName = cluster.nodeName();
    for (const Cluster::Node& node : cluster.nodes()) {
        info.nodes.append({node.name, node.address, node.figures.connections,
                           node.figures.messagesInPerSecond, node.figures.messagesOutPerSecond,
                           QDateTime::fromMSecsSinceEpoch(node.startedMs, Qt::UTC),
                           QDateTime::fromMSecsSinceEpoch(node.lastSeenMs, Qt::UTC), node.self});
    }
    for (const Cluster::ShardState& shard : cluster.shards())
        info.shards.append({shard.url, shard.up, shard.problem, shard.reconnects});
    return info;
}

// What a cluster's nodes share (SPEC §12) lives in Redis; a node alone keeps its own.
Backend::Shared sharedByTheCluster(Cluster* cluster, const HubConfig& config)
{
    Backend::Shared shared;
    if (!cluster)
        return shared;
    shared.cells =
        std::make_unique<RedisCellStore>(cluster->shards(), Backend::cellLimitsFor(config));
    shared.presence = std::make_unique<RedisPresenceStore>(*cluster);
    shared.projects = std::make_unique<RedisProjectRegistry>(cluster->shards());
    shared.notifications =
        std::make_unique<RedisNotificationStore>(cluster->shards(), config.notificationsPerUser);
    return shared;
}

} // namespace

HubCore::HubCore(const HubConfig& config, QObject* parent)
    : QObject(parent)
    , m_config(config)
    , m_tokens(config.jwtPublicKey.isEmpty()
                   ? TokenVerifier(config.jwtSecret)
                   : TokenVerifier(TokenAlgorithm::RS256, config.jwtPublicKey))
    , m_scheduler(m_metrics, config.fanoutThreads)
    , m_cluster(config.redis.empty()
                    ? nullptr
                    : std::make_unique<Cluster>(
                          config.redis,
                          ClusterBroker::Settings{config.historyLimit,
                                                  std::chrono::duration_cast<std::chrono::seconds>(
                                                      config.historyMaxAge),
                                                  std::chrono::hours(24 * 7)},
                          m_metrics.redisPublish))
    , m_hub(Hub::Limits{config.historyLimit, config.historyMaxAge}, m_metrics, m_scheduler.queue(),
            m_cluster ? &m_cluster->broker() : nullptr)
    , m_backend(m_config, m_hub, sharedByTheCluster(m_cluster.get(), config))
    , m_jobDirectory(m_backend.jobs(), m_cluster.get())
    , m_policy(config.authMode, tenancy())
    // Without required authentication the Host header is checked too (DNS rebinding).
    , m_origins(config.allowedOrigins, config.authMode != AuthMode::Required)
    , m_rateLimiter(RateLimiter::Limits{
          {{std::chrono::minutes(1), config.requestsPerMinute, QStringLiteral("minute")},
           {std::chrono::hours(1), config.requestsPerHour, QStringLiteral("hour")}},
          config.rateViolationsBeforeBlock,
          config.rateBlockDuration,
          config.rateCleanupInterval})
    , m_dialectRateLimiter(RateLimiter::Limits{
          {{config.wsRateWindow, config.wsMaxMessages, QStringLiteral("rate window")}},
          0,
          std::chrono::milliseconds(0),
          config.rateCleanupInterval})
    , m_addressRateLimiter(RateLimiter::Limits{
          {{std::chrono::minutes(1), config.anonymousRequestsPerMinutePerAddress,
            QStringLiteral("minute from this address")}},
          config.rateViolationsBeforeBlock,
          config.rateBlockDuration,
          config.rateCleanupInterval})
    , m_proxies(config.trustedProxies)
    , m_admission(config.authMode, m_tokens, m_origins, m_rateLimiter, m_addressRateLimiter,
                  m_proxies)
    , m_services{m_config,           m_hub,
                 m_subscribers,      m_policy,
                 m_tokens,           m_rateLimiter,
                 m_backend.jobs(),   m_jobDirectory,
                 m_backend.collab(), m_backend.presence()}
    , m_dispatcher(HandlerRegistry::builtIn(), m_services,
                   {m_rateLimiter,
                    {{QString(AssistDialect().name()), &m_dialectRateLimiter}},
                    &m_addressRateLimiter})
    , m_sessionContext{m_config, m_hub, m_metrics, m_scheduler.queue(), m_dispatcher, m_subscribers}
    , m_router(m_admission)
    , m_monitor(m_subscribers, m_hub, m_metrics, m_backend.jobs(), config.snapshotInterval)
    , m_routeContext{m_config,       m_hub,
                     m_subscribers,  m_metrics,
                     m_monitor,      m_router,
                     m_policy,       [this] { emit shutdownRequested(); },
                     m_endpoints,    {&m_rateLimiter, &m_dialectRateLimiter, &m_addressRateLimiter},
                     m_cluster.get()}
    , m_entityWatcher(std::make_unique<EntityWatcher>(
          EntityWatcher::Options{config.entitiesDir, config.entitiesDebounce, config.demo}, m_hub))
{
    m_endpoints.add(QStringLiteral("/ws/v1"), std::make_unique<NativeDialect>());
    m_endpoints.add(CalculationsDialect::paths(),
                    std::make_unique<CalculationsDialect>(
                        Dialect::KeepAlive{config.heartbeatInterval, config.heartbeatTimeout}));
    m_endpoints.add(QStringLiteral("/ws"), std::make_unique<TradingDialect>());
    m_endpoints.add(QStringLiteral("/ws/connect"), std::make_unique<AssistDialect>());
    m_endpoints.add(ProjectsDialect::paths(), std::make_unique<ProjectsDialect>());
    m_endpoints.add(QStringLiteral("/api/v1/ws"), std::make_unique<CollabDialect>());
    m_dispatcher.installHooks();
    if (m_cluster)
        m_sharedBlocks = std::make_unique<SharedBlocks>(
            *m_cluster, QList<std::pair<QString, RateLimiter*>>{
                            {QStringLiteral("user"), &m_rateLimiter},
                            {QStringLiteral("address"), &m_addressRateLimiter}});
    m_operations = std::make_unique<Operations>(Operations::Parts{
        m_config, m_hub, m_metrics, m_subscribers, m_backend.jobs(), m_monitor,
        m_backend.database(), m_policy, m_endpoints, m_tokens,
        m_cluster ? std::function<ClusterInfo()>([this] { return clusterInfo(*m_cluster); })
                  : std::function<ClusterInfo()>()});

    addServiceRoutes(m_router, m_routeContext);
    addDocsRoutes(m_router, m_endpoints);
    addWebRoutes(m_router);
    addHubRoutes(m_router, m_routeContext);
    addAdminRoutes(m_router, m_routeContext, m_backend.collab(), m_backend.notifications());
    addUploadRoutes(m_router, m_config, m_hub, m_backend.collab());
    addProjectRoutes(m_router, m_backend.projects());
    addJobRoutes(m_router, m_backend.jobs(), m_jobDirectory, m_policy);
    addClusterRoutes(m_router, m_routeContext);
    addOperatorRoutes(m_router, m_operations->context());

    connect(&m_monitor, &HubMonitor::snapshotReady, this, [this](const HubSnapshot& monitored) {
        HubSnapshot snapshot = monitored;
        m_operations->fillSnapshot(snapshot);
        if (m_cluster)
            snapshot.cluster = clusterInfo(*m_cluster);
        emit snapshotReady(snapshot);
    });
    new ConnectionLog(m_subscribers); // a child of the registry it logs

    const auto tick = std::clamp<qint64>(
        std::min(config.pingInterval, config.heartbeatInterval).count() / 4, 50, 1000);
    m_keepAliveTimer.setInterval(int(tick));
    connect(&m_keepAliveTimer, &QTimer::timeout, this, [this] {
        if (m_listener)
            m_listener->checkKeepAlive();
    });
}

HubCore::~HubCore() = default;

TopicPolicy::Tenancy HubCore::tenancy()
{
    // Called while m_backend is built already (it is declared before m_policy).
    return {[&projects = m_backend.projects()](const QString& projectId) {
                return projects.tenantOf(projectId);
            },
            [&collab = m_backend.collab()](const QString& roomId) {
                // An empty room is nobody's (CollabRooms::join).
                const Room* room = collab.rooms().find(roomId);
                return room && !room->members.empty() ? std::optional<QString>(room->tenant)
                                                      : std::nullopt;
            },
            [&collab = m_backend.collab()](const QString& roomId,
                                           TopicPolicy::Tenancy::TenantDone done) {
                collab.tenantOf(roomId, std::move(done));
            }};
}

std::optional<QString> HubCore::start()
{
    // Before the listener: the start-up entity_list_update is in the topic's history by the
    // time the first client can subscribe.
    if (auto error = m_entityWatcher->start())
        return error;
    // Before the listener too: the jobs kept from the last run are listed from the first request.
    const QString database = QDir(m_config.dataDir).filePath(QStringLiteral("switchboard.db"));
    if (auto error = m_backend.database().open(database))
        return QStringLiteral("--data-dir: ") + *error;
    if (auto error = m_backend.notifications().prepare())
        return QStringLiteral("--data-dir: ") + *error;
    if (auto error = m_backend.cells().prepare())
        return QStringLiteral("--data-dir: ") + *error;
    if (auto error = m_backend.projects().load())
        return QStringLiteral("--data-dir: ") + *error;
    if (auto error = m_backend.jobs().start())
        return QStringLiteral("--data-dir: ") + *error;
    if (auto error = m_operations->start())
        return QStringLiteral("--data-dir: ") + *error;
    m_listener = std::make_unique<Listener>(m_endpoints, m_router, m_admission, m_policy,
                                            m_sessionContext, m_backend.collab());
    if (auto error = m_listener->listen())
        return error;
    m_monitor.setServerIdentity({m_config.bindAddress.toString() + u':' + QString::number(port()),
                                 !m_config.tlsCertificateFile.isEmpty(),
                                 authModeName(m_config.authMode)});
    m_monitor.start();
    m_keepAliveTimer.start();
    if (m_cluster) {
        const QString address = QHostInfo::localHostName() + u':' + QString::number(port());
        m_cluster->start(
            m_config.nodeName.isEmpty() ? address : m_config.nodeName, address, [this] {
                return Cluster::Figures{m_subscribers.count(), m_monitor.messagesInPerSecond(),
                                        m_monitor.messagesOutPerSecond()};
            });
    }
    m_sources = std::make_unique<LiveSources>(m_config, m_hub);
    qCInfo(lcHub, "hub started: listening on %s:%u, authentication %s, TLS %s, %lld alert rule(s)",
           qUtf8Printable(m_config.bindAddress.toString()), unsigned(port()),
           qUtf8Printable(authModeName(m_config.authMode)),
           m_config.tlsCertificateFile.isEmpty() ? "off" : "on",
           qlonglong(m_operations->alerts().rules().size()));
    return std::nullopt;
}

quint16 HubCore::port() const
{
    return m_listener ? m_listener->port() : 0;
}

void HubCore::shutdown(std::chrono::milliseconds grace)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    qCInfo(lcHub, "hub stopping: closing %d connection(s)", m_subscribers.count());
    m_keepAliveTimer.stop();
    if (m_listener)
        m_listener->stopAccepting();
    m_subscribers.closeAll(CloseCode::GoingAway, QStringLiteral("server shutting down"));
    m_scheduler.flushNow();
    // A reply such as the 202 of POST /api/v1/ws/shutdown must leave before its socket goes.
    if (m_listener)
        m_listener->flushHttpSockets();

    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(&m_subscribers, &Subscribers::closed, &loop, [this, &loop] {
        if (m_subscribers.count() == 0)
            loop.quit();
    });
    if (m_subscribers.count() > 0) {
        deadline.start(grace);
        loop.exec();
    }
    if (m_subscribers.count() > 0)
        qCWarning(lcHub, "hub stopping: %d connection(s) did not answer the close within %lld ms",
                  m_subscribers.count(), qlonglong(grace.count()));
}

void HubCore::disconnectClient(const QString& id)
{
    if (Subscriber* subscriber = m_subscribers.find(id))
        subscriber->close(CloseCode::Policy, QStringLiteral("disconnected by the operator"));
}

void HubCore::publish(const QString& topic, const QString& event, const QJsonObject& data)
{
    m_hub.publish(topic, event, data);
}

void HubCore::requestFullSnapshot()
{
    m_monitor.requestFull();
}

void HubCore::setSnapshotsObserved(bool observed)
{
    m_monitor.setObserved(observed);
}

} // namespace switchboard

namespace switchboard {

void HubCore::watchTopics(const QStringList& patterns)
{
    m_monitor.setWatchedTopics(patterns);
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

Identity HubCore::consoleIdentity()
{
    Identity identity;
    identity.subject = QStringLiteral("console");
    identity.name = QStringLiteral("Switchboard console");
    identity.role = Role::Admin;
    return identity;
}

JobAnswer HubCore::submitJob(const QString& type, const QJsonObject& params)
{
    return m_backend.jobs().submit(type, params, consoleIdentity());
}

JobAnswer HubCore::cancelJob(const QString& id)
{
    return m_backend.jobs().cancel(id, consoleIdentity());
}

QByteArray HubCore::issueToken(const Identity& identity, std::chrono::seconds ttl) const
{
    return m_tokens.issue(identity, ttl);
}

} // namespace switchboard
