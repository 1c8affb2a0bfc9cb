#pragma once

// Everything that runs on the hub thread, wired together: metrics, the hub, sessions,
// dialects, handlers, REST routes, the listener and the monitor. Created inside the hub
// thread by HubHost (Qt's HTTP server must be created in the thread it serves).

#include "auth/OriginPolicy.h"
#include "auth/RateLimiter.h"
#include "auth/TokenVerifier.h"
#include "auth/TopicPolicy.h"
#include "config/HubConfig.h"
#include "handlers/MessageDispatcher.h"
#include "http/HttpRouter.h"
#include "hub/Hub.h"
#include "jobs/JobEngine.h"
#include "monitor/HubMetrics.h"
#include "monitor/HubSnapshot.h"
#include "net/SessionContext.h"
#include "net/WriteScheduler.h"
#include "protocol/Endpoints.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <memory>
#include <optional>

namespace switchboard {

class Collab;
class Database;
class EntityWatcher;
class HubMonitor;
class JobEngine;
class JobStore;
class Listener;
class ProjectRegistry;
class LiveSources;
class NotificationStore;
class Sessions;
struct RouteContext;

class HubCore : public QObject {
    Q_OBJECT

public:
    explicit HubCore(const HubConfig& config, QObject* parent = nullptr);
    ~HubCore() override;

    std::optional<QString> start();
    quint16 port() const;

    // Stops accepting and closes every client with 1001; runs the event loop until they are
    // gone or `grace` has passed.
    void shutdown(std::chrono::milliseconds grace);

    void disconnectClient(const QString& id);
    void publish(const QString& topic, const QString& event, const QJsonObject& data);
    void requestFullSnapshot();
    void setSnapshotsObserved(bool observed);

    // The console's commands (HubHost forwards them here). It acts as an in-process admin.
    // Snapshots carry the events of the watched topics; watching `system_metrics` or
    // `status` counts as a watcher of the system metrics (sampled only while watched).
    void watchTopics(const QStringList& patterns);
    JobAnswer submitJob(const QString& type, const QJsonObject& params);
    JobAnswer cancelJob(const QString& id);
    QByteArray issueToken(const Identity& identity, std::chrono::seconds ttl) const;

signals:
    void snapshotReady(const switchboard::HubSnapshot& snapshot);
    void shutdownRequested();

private:
    void checkKeepAlive();

    HubConfig m_config;
    HubMetrics m_metrics;
    TokenVerifier m_tokens;
    TopicPolicy m_policy;
    WriteScheduler m_scheduler;
    Hub m_hub;
    MessageDispatcher m_dispatcher;
    SessionContext m_sessionContext;
    Endpoints m_endpoints;
    HttpRouter m_router;
    std::unique_ptr<RouteContext> m_routeContext;
    Sessions* m_sessions;
    HubMonitor* m_monitor;
    Listener* m_listener = nullptr;
    QTimer m_keepAliveTimer;
    bool m_shuttingDown = false;
    // SPEC §7: browser origins, and message rates per user (per IP when anonymous).
    std::unique_ptr<OriginPolicy> m_origins;
    std::unique_ptr<RateLimiter> m_rateLimiter;
    std::unique_ptr<RateLimiter> m_dialectRateLimiter; // WS_MAX_MESSAGES per WS_RATE_WINDOW
    bool m_consoleWatchesMetrics = false;
    // SPEC §6.1. Declared after m_hub, so destroyed while the hub it publishes to still exists.
    std::unique_ptr<EntityWatcher> m_entityWatcher;
    std::unique_ptr<LiveSources> m_sources; // SPEC §6: logs, metrics, demo feed
    // Document 004's rooms and notifications. Declared before the database, so they outlive
    // the answers its thread still posts to them.
    std::unique_ptr<NotificationStore> m_notificationStore;
    std::unique_ptr<Collab> m_collab;
    // Jobs (SPEC §5). The engine is declared last, so it stops its jobs first; the database
    // outlives it and commits what it wrote on the way out.
    std::unique_ptr<Database> m_database;
    std::unique_ptr<JobStore> m_jobStore;
    std::unique_ptr<ProjectRegistry> m_projects;
    std::unique_ptr<JobEngine> m_jobs;
};

} // namespace switchboard
