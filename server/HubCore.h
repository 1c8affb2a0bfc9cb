#pragma once

// Everything that runs on the hub thread, wired together once, in its constructor: metrics,
// the hub and its write queue, the backend (store, jobs, collaboration), the policies, the
// dispatcher of client messages, REST routes, the monitor, the live sources and (from
// start()) the listener. Created inside the hub thread by HubHost (Qt's HTTP server must be
// created in the thread it serves). Members are declared in the order they are built and torn
// down in reverse: the listener's sessions first, while everything they reach still lives.

#include "Backend.h"
#include "auth/Admission.h"
#include "auth/OriginPolicy.h"
#include "auth/RateLimiter.h"
#include "auth/TokenVerifier.h"
#include "auth/TopicPolicy.h"
#include "auth/TrustedProxies.h"
#include "config/HubConfig.h"
#include "handlers/MessageDispatcher.h"
#include "handlers/Services.h"
#include "http/HttpRouter.h"
#include "http/RouteContext.h"
#include "hub/Hub.h"
#include "hub/HubMetrics.h"
#include "hub/Subscribers.h"
#include "jobs/JobDirectory.h"
#include "monitor/HubMonitor.h"
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

class Cluster;
class EntityWatcher;
class Listener;
class LiveSources;
class Operations;
class SharedBlocks;
struct JobAnswer;

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
    // What operators look at (SPEC §13), as the routes answer it, asked as the console.
    Operations& operations() { return *m_operations; }
    static Identity consoleIdentity();

signals:
    void snapshotReady(const switchboard::HubSnapshot& snapshot);
    void shutdownRequested();

private:
    TopicPolicy::Tenancy tenancy();

    HubConfig m_config;
    HubMetrics m_metrics;
    TokenVerifier m_tokens;
    WriteScheduler m_scheduler;
    // One node of several (--redis): the hub publishes through the cluster's broker.
    std::unique_ptr<Cluster> m_cluster;
    Hub m_hub;
    Subscribers m_subscribers;
    Backend m_backend;
    JobDirectory m_jobDirectory; // the jobs of every node (SPEC §12), or of this hub alone
    // SPEC §4 and §7: who may read and publish what, browser origins, message rates per user
    // (per address when anonymous), and the one gate every request passes.
    TopicPolicy m_policy;
    OriginPolicy m_origins;
    RateLimiter m_rateLimiter;
    RateLimiter m_dialectRateLimiter; // document 002's WS_MAX_MESSAGES per WS_RATE_WINDOW
    RateLimiter m_addressRateLimiter; // the ceiling of an address's anonymous connections
    std::unique_ptr<SharedBlocks> m_sharedBlocks; // a node's blocks hold on every node
    TrustedProxies m_proxies;                     // --trusted-proxy
    Admission m_admission;
    Endpoints m_endpoints;
    Services m_services;
    MessageDispatcher m_dispatcher;
    SessionContext m_sessionContext;
    HttpRouter m_router;
    HubMonitor m_monitor;
    RouteContext m_routeContext;
    // Series, alerts and the hub's story (SPEC §13); built once the endpoints exist.
    std::unique_ptr<Operations> m_operations;
    // SPEC §6: producers of events. The entity watcher is started before the listener, so
    // the start-up entity_list_update is in the topic's history before a client can ask.
    std::unique_ptr<EntityWatcher> m_entityWatcher;
    std::unique_ptr<LiveSources> m_sources;
    QTimer m_keepAliveTimer;
    bool m_shuttingDown = false;
    bool m_consoleWatchesMetrics = false;
    std::unique_ptr<Listener> m_listener;
};

} // namespace switchboard
