#pragma once

// The hub's services as HubCore wires them (config, hub, subscribers, the store on a temporary
// SQLite file, the job engine, collaboration, tokens, topic policy, rate limits) and the real
// MessageDispatcher over the built-in handlers, without a listener or a socket. A
// MemoryClient is one connection: what net/Session does with a socket (register the
// subscriber, run the dialect's hooks, dispatch text messages, leave the hub when it closes),
// done in memory, so handler tests read each reply from the subscriber's outbox as soon as
// send() returns.

#include "Backend.h"
#include "MemorySubscriber.h"
#include "TestHub.h"
#include "auth/RateLimiter.h"
#include "auth/TokenVerifier.h"
#include "auth/TopicPolicy.h"
#include "collab/Collab.h"
#include "handlers/HandlerRegistry.h"
#include "handlers/MessageDispatcher.h"
#include "handlers/Services.h"
#include "hub/Subscribers.h"
#include "jobs/JobDirectory.h"
#include "jobs/JobEngine.h"
#include "protocol/Endpoints.h"
#include "protocol/dialects/AssistDialect.h"
#include "protocol/dialects/CalculationsDialect.h"
#include "protocol/dialects/CollabDialect.h"
#include "protocol/dialects/NativeDialect.h"
#include "protocol/dialects/ProjectsDialect.h"
#include "protocol/dialects/TradingDialect.h"
#include "store/Database.h"
#include "store/NotificationStore.h"
#include "store/ProjectRegistry.h"

#include <QDir>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace switchboard::test {

// One connection to the fixture's hub on a path, as its socket would have it.
class MemoryClient {
public:
    struct Context {
        Hub& hub;
        Subscribers& subscribers;
        MessageDispatcher& dispatcher;
        WriteQueue& writeQueue;
        HubMetrics& metrics;
    };

    // Registers the subscriber and runs the dialect's `opened` hook (welcome, automatic
    // topics), as a session does once the handshake is answered.
    MemoryClient(Context context, const Dialect& dialect, Subscriber::Setup setup)
        : m_context(context)
        , m_dialect(dialect)
        , m_memory(std::move(setup), context.writeQueue, context.metrics)
    {
        m_memory.setOnClose([this](quint16, const QString&) {
            m_closing = true;
            leaveHub();
        });
        m_context.subscribers.add(&m_memory.subscriber());
        m_registered = true;
        m_context.dispatcher.opened(m_memory.subscriber(), m_dialect);
    }
    ~MemoryClient() { disconnect(); }
    MemoryClient(const MemoryClient&) = delete;
    MemoryClient& operator=(const MemoryClient&) = delete;

    Subscriber& subscriber() { return m_memory.subscriber(); }
    MemorySubscriber& memory() { return m_memory; }
    const Dialect& dialect() const { return m_dialect; }
    const QString& id() const { return m_memory.subscriber().id(); }

    // One text message from the client, handled before this returns.
    void sendText(const QByteArray& text)
    {
        m_memory.subscriber().noteReceived(text.size());
        if (!m_closing)
            m_context.dispatcher.dispatch(m_memory.subscriber(), m_dialect, text);
    }
    void send(const QJsonObject& message)
    {
        sendText(QJsonDocument(message).toJson(QJsonDocument::Compact));
    }
    // Sends `message` and returns what came back to this client because of it (and anything
    // else sent to it since the last take()).
    QList<QJsonObject> exchange(const QJsonObject& message)
    {
        send(message);
        return take();
    }

    QList<QJsonObject> messages() const { return m_memory.messages(); }
    QList<QJsonObject> messagesOfType(const QString& type) const
    {
        return m_memory.messagesOfType(type);
    }
    QList<QByteArray> texts() const { return m_memory.texts(); }
    QList<QJsonObject> take() { return m_memory.take(); }
    void clear() { m_memory.clear(); }
    const QList<MemorySubscriber::Close>& closes() const { return m_memory.closes(); }
    bool isSubscribed(const QString& topic) const
    {
        return m_memory.subscriber().isSubscribed(topic);
    }
    QStringList topics() const { return m_memory.subscriber().topics(); }

    // The client went away: the dialect's `closed` hook runs while the subscriber still has
    // its identity and topics, then it leaves the hub and the registry.
    void disconnect()
    {
        m_closing = true;
        m_memory.subscriber().markClosing();
        leaveHub();
        if (m_registered) {
            m_registered = false;
            m_context.subscribers.remove(&m_memory.subscriber());
        }
    }

private:
    void leaveHub()
    {
        if (m_leftHub)
            return;
        m_leftHub = true;
        m_context.dispatcher.closed(m_memory.subscriber(), m_dialect);
        m_context.hub.unsubscribeAll(m_memory.subscriber());
    }

    Context m_context;
    const Dialect& m_dialect;
    MemorySubscriber m_memory;
    bool m_registered = false;
    bool m_closing = false;
    bool m_leftHub = false;
};

class HandlerFixture {
    // Declared first so that it is removed last, after the database has closed.
    QTemporaryDir m_dataDir;

public:
    explicit HandlerFixture(HubConfig settings = testConfig())
        : config(withDataDir(std::move(settings), m_dataDir.path()))
        , writeQueue([this] { ++wakes; })
        , hub(Hub::Limits{config.historyLimit, config.historyMaxAge}, metrics, writeQueue)
        , backend(config, hub)
        , tokens(config.jwtSecret)
        , policy(
              config.authMode,
              {[this](const QString& projectId) { return backend.projects().tenantOf(projectId); },
               [this](const QString& roomId) {
                   const Room* room = backend.collab().rooms().find(roomId);
                   return room ? std::optional<QString>(room->tenant) : std::nullopt;
               },
               [this](const QString& roomId, TopicPolicy::Tenancy::TenantDone done) {
                   backend.collab().tenantOf(roomId, std::move(done));
               }})
        , rateLimiter(RateLimiter::Limits{
              {{std::chrono::minutes(1), config.requestsPerMinute, QStringLiteral("minute")},
               {std::chrono::hours(1), config.requestsPerHour, QStringLiteral("hour")}},
              config.rateViolationsBeforeBlock,
              config.rateBlockDuration,
              config.rateCleanupInterval})
        , dialectRateLimiter(RateLimiter::Limits{
              {{config.wsRateWindow, config.wsMaxMessages, QStringLiteral("rate window")}},
              0,
              std::chrono::milliseconds(0),
              config.rateCleanupInterval})
        , jobDirectory(backend.jobs(), nullptr)
        , services{config,           hub,
                   subscribers,      policy,
                   tokens,           rateLimiter,
                   backend.jobs(),   jobDirectory,
                   backend.collab(), backend.presence()}
        , dispatcher(HandlerRegistry::builtIn(), services,
                     {rateLimiter, {{QString(AssistDialect().name()), &dialectRateLimiter}}})
    {
        endpoints.add(QStringLiteral("/ws/v1"), std::make_unique<NativeDialect>());
        endpoints.add(CalculationsDialect::paths(),
                      std::make_unique<CalculationsDialect>(
                          Dialect::KeepAlive{config.heartbeatInterval, config.heartbeatTimeout}));
        endpoints.add(QStringLiteral("/ws"), std::make_unique<TradingDialect>());
        endpoints.add(QStringLiteral("/ws/connect"), std::make_unique<AssistDialect>());
        endpoints.add(ProjectsDialect::paths(), std::make_unique<ProjectsDialect>());
        endpoints.add(QStringLiteral("/api/v1/ws"), std::make_unique<CollabDialect>());
        dispatcher.installHooks();
        // A fixture without its database would fail every test that follows in puzzling ways.
        if (const std::optional<QString> error = start())
            qFatal("HandlerFixture: %s", qPrintable(*error));
    }

    // A connection to `path` (parameters filled in) by `identity`: the identity the upgrade
    // admitted (anonymous when the client brought no token).
    std::unique_ptr<MemoryClient> connect(const QString& path, const Identity& identity = {})
    {
        const Endpoint* endpoint = endpoints.match(path);
        Q_ASSERT_X(endpoint, "HandlerFixture::connect", "no endpoint at that path");
        ++metrics.connectionsTotal;
        ++m_nextId;
        return std::make_unique<MemoryClient>(
            MemoryClient::Context{hub, subscribers, dispatcher, writeQueue, metrics},
            *endpoint->dialect,
            Subscriber::Setup{QStringLiteral("c%1").arg(m_nextId), endpoint->dialect, identity,
                              path, QStringLiteral("127.0.0.1:%1").arg(40000 + m_nextId),
                              config.outboundBufferCap});
    }

    static Identity user(const QString& subject, Role role = Role::User, const QString& tenant = {})
    {
        Identity identity;
        identity.subject = subject;
        identity.name = subject;
        identity.role = role;
        identity.tenant = tenant;
        return identity;
    }
    QByteArray token(const Identity& identity) const
    {
        return tokens.issue(identity, std::chrono::hours(1));
    }

    QString dataDir() const { return config.dataDir; }

    HubConfig config;
    HubMetrics metrics;
    int wakes = 0;
    WriteQueue writeQueue;
    Hub hub;
    Subscribers subscribers;
    Backend backend;
    TokenVerifier tokens;
    TopicPolicy policy;
    RateLimiter rateLimiter;
    RateLimiter dialectRateLimiter; // document 002's WS_MAX_MESSAGES per WS_RATE_WINDOW
    JobDirectory jobDirectory;
    Services services;
    MessageDispatcher dispatcher;
    Endpoints endpoints;

private:
    static HubConfig withDataDir(HubConfig settings, const QString& dataDir)
    {
        settings.dataDir = dataDir;
        return withResolvedDirectories(std::move(settings));
    }

    // What HubCore::start does before it listens: the database, its tables, the jobs kept.
    std::optional<QString> start()
    {
        if (auto error = backend.database().open(
                QDir(config.dataDir).filePath(QStringLiteral("switchboard.db"))))
            return error;
        if (auto error = backend.notifications().prepare())
            return error;
        if (auto error = backend.cells().prepare())
            return error;
        if (auto error = backend.projects().load())
            return error;
        return backend.jobs().start();
    }

    int m_nextId = 0;
};

} // namespace switchboard::test
