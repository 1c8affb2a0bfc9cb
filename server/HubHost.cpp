#include "HubHost.h"

#include "HubCore.h"

#include <QMetaObject>
#include <QRandomGenerator>
#include <QThread>

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
    if (m_thread)
        return QStringLiteral("the hub is already running");
    if (m_config.authMode == AuthMode::Required && m_config.jwtSecret.isEmpty())
        return QStringLiteral("JWT_SECRET_KEY: not set; with --auth required the hub needs it to "
                              "verify tokens (or choose --auth optional or off)");
    if (m_config.authMode == AuthMode::Optional && m_config.jwtSecret.isEmpty()) {
        // Anonymous clients can read the public feeds; tokens, if any are issued from this
        // process, are signed with a random key that lives as long as the process.
        QByteArray secret(32, Qt::Uninitialized);
        for (char& byte : secret)
            byte = char(QRandomGenerator::system()->bounded(256));
        m_config.jwtSecret = secret.toBase64();
        qWarning("JWT_SECRET_KEY is not set: tokens are signed with a random key for this run "
                 "only");
    }
    m_config = withResolvedDirectories(std::move(m_config));
    m_thread = new QThread;
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
            connect(core, &HubCore::shutdownRequested, this, &HubHost::shutdownRequested);
        },
        Qt::BlockingQueuedConnection);
    if (error) {
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
    return error;
}

void HubHost::stop(std::chrono::milliseconds grace)
{
    if (!m_thread)
        return;
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

void HubHost::requestFullSnapshot()
{
    if (m_core)
        QMetaObject::invokeMethod(m_core, [core = m_core] { core->requestFullSnapshot(); });
}

} // namespace switchboard
