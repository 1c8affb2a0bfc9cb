#include "HubCore.h"

#include "entities/EntityWatcher.h"
#include "handlers/HandlerRegistry.h"
#include "http/DocsRoutes.h"
#include "http/HubRoutes.h"
#include "http/JobRoutes.h"
#include "http/RouteContext.h"
#include "http/ServiceRoutes.h"
#include "jobs/JobEngine.h"
#include "monitor/HubMonitor.h"
#include "net/Listener.h"
#include "net/Session.h"
#include "net/Sessions.h"
#include "protocol/dialects/NativeDialect.h"
#include "sources/LiveSources.h"
#include "store/Database.h"
#include "store/JobStore.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>

#include <algorithm>

namespace switchboard {

HubCore::HubCore(const HubConfig& config, QObject* parent)
    : QObject(parent)
    , m_config(config)
    , m_tokens(config.jwtSecret)
    , m_policy(config.authMode)
    , m_scheduler(m_metrics, config.fanoutThreads)
    , m_hub(Hub::Limits{config.historyLimit, config.historyMaxAge}, m_metrics, m_scheduler)
    , m_dispatcher(HandlerRegistry::builtIn(), m_hub, m_config, m_policy, m_tokens)
    , m_sessionContext{m_config, m_hub, m_metrics, m_scheduler, m_dispatcher}
    , m_router(m_tokens, config.authMode)
    , m_sessions(new Sessions(this))
    , m_monitor(new HubMonitor(*m_sessions, m_hub, m_metrics, config.snapshotInterval, this))
{
    m_endpoints.add(QStringLiteral("/ws/v1"),
                    std::make_unique<NativeDialect>(int(config.pingInterval.count())));

    const RouteContext routes{m_config,
                              m_hub,
                              *m_sessions,
                              m_metrics,
                              *m_monitor,
                              m_router,
                              [this] { emit shutdownRequested(); },
                              &m_endpoints};
    // Route handlers capture the context by reference: it lives as long as the router.
    m_routeContext = std::make_unique<RouteContext>(routes);
    addServiceRoutes(m_router, *m_routeContext);
    addDocsRoutes(m_router, m_endpoints);
    addHubRoutes(m_router, *m_routeContext);

    connect(m_monitor, &HubMonitor::snapshotReady, this, &HubCore::snapshotReady);

    const auto tick = std::clamp<qint64>(config.pingInterval.count() / 4, 50, 1000);
    m_keepAliveTimer.setInterval(int(tick));
    connect(&m_keepAliveTimer, &QTimer::timeout, this, &HubCore::checkKeepAlive);

    m_entityWatcher = std::make_unique<EntityWatcher>(
        EntityWatcher::Options{config.entitiesDir, config.entitiesDebounce, config.demo}, m_hub);

    m_database = std::make_unique<Database>();
    m_jobStore = std::make_unique<JobStore>(*m_database, config.jobHistoryLimit);
    m_jobs =
        std::make_unique<JobEngine>(JobEngine::limitsFor(config), JobEngine::environmentFor(config),
                                    JobTypes::builtIn(), *m_jobStore, m_hub);
    m_dispatcher.setJobEngine(m_jobs.get());
    addJobRoutes(m_router, *m_jobs);
}

HubCore::~HubCore()
{
    // Children would otherwise be deleted by ~QObject, after the members they use (hub,
    // scheduler, metrics) are gone: tear down in dependency order while everything lives.
    delete m_listener;
    delete m_sessions;
    delete m_monitor;
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
    if (auto error = m_jobs->start())
        return QStringLiteral("--data-dir: ") + *error;
    m_listener = new Listener(m_config, m_endpoints, m_router, m_tokens, *m_sessions,
                              m_sessionContext, this);
    if (auto error = m_listener->listen())
        return error;
    m_monitor->setServerIdentity({m_config.bindAddress.toString() + u':' + QString::number(port()),
                                  false, authModeName(m_config.authMode)});
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

} // namespace switchboard
