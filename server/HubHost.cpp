#include "HubHost.h"

#include "HubCore.h"
#include "Operations.h"
#include "auth/SecretStore.h"
#include "handlers/HandlerRegistry.h"
#include "jobs/JobEngine.h"
#include "jobs/JobType.h"
#include "monitor/HubStory.h"
#ifdef Q_OS_LINUX
#include "net/EpollEventDispatcher.h"
#endif

#include <QDateTime>
#include <QElapsedTimer>
#include <QMetaMethod>
#include <QMetaObject>
#include <QRandomGenerator>
#include <QThread>

#include <algorithm>

namespace switchboard {

HubHost::HubHost(HubConfig config, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    qRegisterMetaType<HubSnapshot>();
}

HubHost::~HubHost()
{
    stop();
}

std::optional<QString> HubHost::start()
{
    joinStoppingThread(); // it may still hold the port
    if (m_thread)
        return QStringLiteral("the hub is already running");
    // SPEC §1: JWT_SECRET_KEY, else the secret kept in the OS keychain (made on first start).
    // With no keychain there is no silent plain-text fallback: the hub does not start.
    if (m_config.authMode != AuthMode::Off && m_config.jwtSecret.isEmpty() &&
        m_config.jwtPublicKey.isEmpty()) {
        const SecretStore::Result stored = SecretStore(m_config.keychainService).jwtSecret();
        if (stored.secret.isEmpty())
            return QStringLiteral("JWT_SECRET_KEY: not set, and the OS keychain that would keep "
                                  "the generated secret cannot be reached (%1); set "
                                  "JWT_SECRET_KEY or choose --auth off")
                .arg(stored.error);
        m_config.jwtSecret = stored.secret;
        m_config.jwtSecretInKeychain = true;
        if (stored.created)
            qInfo("generated a JWT secret and stored it in the OS keychain");
    }
    m_config = withResolvedDirectories(std::move(m_config));
    m_thread = new QThread;
#ifdef Q_OS_LINUX
    m_thread->setEventDispatcher(new EpollEventDispatcher);
#endif
    m_thread->setObjectName(QStringLiteral("hub"));
    m_thread->start();

    // The core is constructed inside the hub thread: Qt's HTTP server keeps an unparented
    // QWebSocketServer that would stay behind (and crash on the first upgrade) if the server
    // were created here and moved.
    std::optional<QString> error;
    // Queued calls need a receiver living in the hub thread before the core exists.
    m_anchor = new QObject;
    m_anchor->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_anchor, &QObject::deleteLater);
    QMetaObject::invokeMethod(
        m_anchor,
        [this, &error] {
            auto* core = new HubCore(m_config);
            error = core->start();
            if (error) {
                delete core;
                return;
            }
            m_core = core;
            m_port = core->port();
            connect(core, &HubCore::snapshotReady, this, &HubHost::snapshotReady);
            core->setSnapshotsObserved(m_snapshotReceivers > 0);
            connect(core, &HubCore::shutdownRequested, this, &HubHost::shutdownRequested);
        },
        Qt::BlockingQueuedConnection);
    if (error) {
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
        return error;
    }
    applyWatchedTopics();
    applyTopicListWatched();
    emit started();
    return error;
}

std::optional<QString> HubHost::restart(HubConfig config, std::chrono::milliseconds grace)
{
    stop(grace);
    return startWith(std::move(config));
}

void HubHost::restartInBackground(HubConfig config, std::chrono::milliseconds grace)
{
    if (m_stopping)
        return;
    const quint64 generation = ++m_restartGeneration;
    if (!m_thread) {
        // Nothing to stop; still answer from the event loop, as when there is.
        QMetaObject::invokeMethod(
            this,
            [this, generation, config = std::move(config)] {
                if (generation != m_restartGeneration)
                    return;
                const QString error = startWith(config).value_or(QString());
                emit restartFinished(error);
                if (m_rotationPrevious)
                    finishRotation(error);
            },
            Qt::QueuedConnection);
        return;
    }
    m_stopping = m_thread;
    HubCore* core = m_core;
    m_thread = nullptr;
    m_core = nullptr;
    m_anchor = nullptr; // deleted with the thread (finished -> deleteLater)
    connect(
        m_stopping, &QThread::finished, this,
        [this, generation, config = std::move(config)] {
            if (generation != m_restartGeneration)
                return; // stop() or start() took over
            joinStoppingThread();
            const QString error = startWith(config).value_or(QString());
            emit restartFinished(error);
            if (m_rotationPrevious)
                finishRotation(error);
        },
        Qt::QueuedConnection);
    if (core) {
        QMetaObject::invokeMethod(core, [core, grace] {
            core->shutdown(grace);
            delete core;
            QThread::currentThread()->quit();
        });
    } else {
        m_stopping->quit();
    }
}

void HubHost::rotateSecret(std::chrono::milliseconds keychainTimeout)
{
    if (m_rotationPrevious || isRestarting() || !m_config.jwtSecretInKeychain ||
        !m_config.jwtPublicKey.isEmpty() || m_config.authMode == AuthMode::Off)
        return;
    m_rotationPrevious = m_config.jwtSecret;
    const QByteArray secret = SecretStore::generateJwtSecret();
    SecretStore(m_config.keychainService)
        .replaceJwtSecret(
            secret, this,
            [this, secret](const std::optional<QString>& error) {
                if (error) {
                    m_rotationPrevious.reset();
                    emit secretRotationFinished(
                        {SecretRotation::Outcome::KeychainRefused, *error, {}});
                    return;
                }
                HubConfig config = m_config;
                config.jwtSecret = secret;
                config.jwtSecretInKeychain = true;
                restartInBackground(config);
            },
            keychainTimeout);
}

void HubHost::finishRotation(const QString& restartError)
{
    const QByteArray previous = *std::exchange(m_rotationPrevious, std::nullopt);
    if (restartError.isEmpty()) {
        emit secretRotationFinished({SecretRotation::Outcome::Rotated, {}, {}});
        return;
    }
    // The hub is back on its previous settings and secret: so must the keychain be, or the
    // next start would refuse every token handed out meanwhile.
    SecretStore(m_config.keychainService)
        .replaceJwtSecret(
            previous, this, [this, restartError](const std::optional<QString>& restoreError) {
                emit secretRotationFinished({SecretRotation::Outcome::RestartFailed, restartError,
                                             restoreError.value_or(QString())});
            });
}

void HubHost::joinStoppingThread()
{
    // A restart still queued (for this thread, or with no hub to stop) is dropped.
    ++m_restartGeneration;
    if (!m_stopping)
        return;
    m_stopping->wait();
    delete m_stopping;
    m_stopping = nullptr;
}

std::optional<QString> HubHost::startWith(HubConfig config)
{
    HubConfig previous = m_config;
    m_config = std::move(config);
    std::optional<QString> error = start();
    if (error) {
        m_config = std::move(previous);
        if (const std::optional<QString> again = start())
            error = *error + QStringLiteral("; the previous settings failed too: ") + *again;
    }
    if (isRunning())
        emit restarted();
    return error;
}

void HubHost::watchTopics(const QStringList& topics)
{
    for (const QString& topic : topics)
        ++m_watched[topic];
    applyWatchedTopics();
}

void HubHost::unwatchTopics(const QStringList& topics)
{
    for (const QString& topic : topics) {
        auto it = m_watched.find(topic);
        if (it != m_watched.end() && --*it <= 0)
            m_watched.erase(it);
    }
    applyWatchedTopics();
}

QStringList HubHost::watchedTopics() const
{
    QStringList topics = m_watched.keys();
    topics.sort();
    return topics;
}

void HubHost::applyWatchedTopics()
{
    if (m_core)
        QMetaObject::invokeMethod(
            m_core, [core = m_core, topics = watchedTopics()] { core->watchTopics(topics); });
}

void HubHost::runCommand(std::function<CommandResult(HubCore&)> command, CommandCallback done)
{
    if (!m_core) {
        if (done)
            done({false, {}, QStringLiteral("the hub is not running")});
        return;
    }
    // The reply is posted to this object: if it is destroyed first (which stops the hub and
    // so waits for the command), the reply is dropped with it.
    QMetaObject::invokeMethod(
        m_core, [this, core = m_core, command = std::move(command), done = std::move(done)] {
            CommandResult result = command(*core);
            if (done)
                QMetaObject::invokeMethod(this, [done, result] { done(result); });
        });
}

void HubHost::runQuery(std::function<JsonResult(HubCore&)> query, JsonCallback done)
{
    if (!m_core) {
        if (done)
            done({false,
                  {},
                  QStringLiteral("INTERNAL_ERROR"),
                  QStringLiteral("the hub is not running")});
        return;
    }
    QMetaObject::invokeMethod(
        m_core, [this, core = m_core, query = std::move(query), done = std::move(done)] {
            JsonResult result = query(*core);
            if (done)
                QMetaObject::invokeMethod(this, [done, result] { done(result); });
        });
}

namespace {

JsonResult jsonOk(QJsonValue value)
{
    return {true, std::move(value), {}, {}};
}

JsonResult jsonError(const Error& error)
{
    return {false, {}, errorCodeName(error.code), error.message};
}

} // namespace

void HubHost::series(const QStringList& names, const QString& range, JsonCallback done)
{
    runQuery(
        [names, range](HubCore& core) {
            auto result = seriesJson(core.operations().context(), HubCore::consoleIdentity(), names,
                                     range, QDateTime::currentMSecsSinceEpoch());
            if (auto* error = std::get_if<Error>(&result))
                return jsonError(*error);
            return jsonOk(std::get<QJsonObject>(result));
        },
        std::move(done));
}

void HubHost::seriesCatalog(JsonCallback done)
{
    runQuery(
        [](HubCore& core) {
            return jsonOk(switchboard::seriesCatalog(core.operations().context(),
                                                     HubCore::consoleIdentity()));
        },
        std::move(done));
}

void HubHost::topicEvents(const QString& topic, int limit, JsonCallback done)
{
    runQuery(
        [topic, limit](HubCore& core) {
            auto result = topicEventsJson(core.operations().context(), HubCore::consoleIdentity(),
                                          topic, limit);
            if (auto* error = std::get_if<Error>(&result))
                return jsonError(*error);
            return jsonOk(std::get<QJsonArray>(result));
        },
        std::move(done));
}

void HubHost::alertRules(JsonCallback done)
{
    runQuery([](HubCore& core) { return jsonOk(core.operations().alerts().rulesJson()); },
             std::move(done));
}

void HubHost::setAlertRules(const QJsonValue& rules, JsonCallback done)
{
    runQuery(
        [rules](HubCore& core) {
            AlertCenter& alerts = core.operations().alerts();
            if (auto error = alerts.setRules(rules, HubCore::consoleIdentity().subject))
                return jsonError(*error);
            return jsonOk(alerts.rulesJson());
        },
        std::move(done));
}

void HubHost::alerts(JsonCallback done)
{
    runQuery([](HubCore& core) { return jsonOk(core.operations().alerts().alertsJson()); },
             std::move(done));
}

void HubHost::acknowledgeAlert(const QString& alertId, JsonCallback done)
{
    runQuery(
        [alertId](HubCore& core) {
            auto result =
                core.operations().alerts().acknowledge(alertId, HubCore::consoleIdentity().subject);
            if (auto* error = std::get_if<Error>(&result))
                return jsonError(*error);
            return jsonOk(std::get<QJsonObject>(result));
        },
        std::move(done));
}

void HubHost::watchTopicList()
{
    ++m_topicListWatchers;
    applyTopicListWatched();
}

void HubHost::unwatchTopicList()
{
    m_topicListWatchers = std::max(0, m_topicListWatchers - 1);
    applyTopicListWatched();
}

void HubHost::applyTopicListWatched()
{
    if (m_core)
        QMetaObject::invokeMethod(m_core, [core = m_core, watched = m_topicListWatchers > 0] {
            core->operations().setTopicListWatched(watched);
        });
}

namespace {

CommandResult fromAnswer(const JobAnswer& answer)
{
    if (answer.ok())
        return {true, answer.job->id, {}};
    return {false, {}, answer.error};
}

} // namespace

void HubHost::submitJob(const QString& type, const QJsonObject& params, CommandCallback done)
{
    runCommand([type, params](HubCore& core) { return fromAnswer(core.submitJob(type, params)); },
               std::move(done));
}

void HubHost::cancelJob(const QString& jobId, CommandCallback done)
{
    runCommand([jobId](HubCore& core) { return fromAnswer(core.cancelJob(jobId)); },
               std::move(done));
}

void HubHost::issueToken(const QString& subject, const QString& role, const QString& tenant,
                         std::chrono::seconds ttl, CommandCallback done)
{
    Identity identity;
    identity.subject = subject;
    identity.name = subject;
    identity.role = roleFromName(role);
    identity.tenant = tenant;
    runCommand(
        [identity, ttl](HubCore& core) {
            if (identity.subject.isEmpty())
                return CommandResult{false, {}, QStringLiteral("sub: must not be empty")};
            if (ttl.count() <= 0)
                return CommandResult{false, {}, QStringLiteral("ttl: must be positive")};
            const QByteArray token = core.issueToken(identity, ttl);
            if (token.isEmpty())
                return CommandResult{false,
                                     {},
                                     QStringLiteral("the hub holds no key to sign tokens with "
                                                    "(an RS256 public key only, or no secret)")};
            return CommandResult{true, QString::fromLatin1(token), {}};
        },
        std::move(done));
}

QList<MessageTypeInfo> HubHost::messageTypes()
{
    QList<MessageTypeInfo> types;
    for (const MessageHandler& handler : HandlerRegistry::builtIn().all())
        types.append({QString(handler.dialect), QString(handler.type), QString(handler.summary),
                      handler.schema ? handler.schema() : QJsonObject{}});
    return types;
}

QList<JobTypeInfo> HubHost::jobTypes()
{
    QList<JobTypeInfo> types;
    for (const JobType& type : JobTypes::builtIn().all())
        types.append({QString(type.name), QString(type.summary),
                      type.schema ? type.schema() : QJsonObject{}});
    return types;
}

void HubHost::stop(std::chrono::milliseconds grace)
{
    joinStoppingThread();
    if (!m_thread)
        return;
    QElapsedTimer stopping;
    stopping.start();
    if (m_core) {
        HubCore* core = m_core;
        m_core = nullptr;
        QMetaObject::invokeMethod(
            core,
            [core, grace] {
                core->shutdown(grace);
                delete core;
            },
            Qt::BlockingQueuedConnection);
    }
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    qCInfo(lcHub, "hub stopped in %lld ms", stopping.elapsed());
}

bool HubHost::isRunning() const
{
    return m_core != nullptr;
}

quint16 HubHost::port() const
{
    return m_port;
}

void HubHost::disconnectClient(const QString& connectionId)
{
    if (m_core)
        QMetaObject::invokeMethod(
            m_core, [core = m_core, connectionId] { core->disconnectClient(connectionId); });
}

void HubHost::publish(const QString& topic, const QString& event, const QJsonObject& data)
{
    if (m_core)
        QMetaObject::invokeMethod(
            m_core, [core = m_core, topic, event, data] { core->publish(topic, event, data); });
}

void HubHost::connectNotify(const QMetaMethod& signal)
{
    if (signal == QMetaMethod::fromSignal(&HubHost::snapshotReady)) {
        ++m_snapshotReceivers;
        applySnapshotsObserved();
    }
}

void HubHost::disconnectNotify(const QMetaMethod& signal)
{
    // Called with an invalid method when every connection of this object is dropped at once.
    if (!signal.isValid())
        m_snapshotReceivers = 0;
    else if (signal == QMetaMethod::fromSignal(&HubHost::snapshotReady))
        m_snapshotReceivers = std::max(0, m_snapshotReceivers - 1);
    else
        return;
    applySnapshotsObserved();
}

void HubHost::applySnapshotsObserved()
{
    if (!m_core)
        return; // start() tells the core
    const bool observed = m_snapshotReceivers > 0;
    QMetaObject::invokeMethod(m_core,
                              [core = m_core, observed] { core->setSnapshotsObserved(observed); });
}

void HubHost::requestFullSnapshot()
{
    if (m_core)
        QMetaObject::invokeMethod(m_core, [core = m_core] { core->requestFullSnapshot(); });
}

} // namespace switchboard
