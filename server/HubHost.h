#pragma once

// The hub's public face: starts the hub in its own thread, forwards commands to it as
// queued calls and delivers its snapshots in the caller's thread. Both executables and
// every test use the hub only through this class.

#include "config/HubConfig.h"
#include "monitor/HubSnapshot.h"

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>

class QThread;

namespace switchboard {

class HubCore;

class HubHost : public QObject {
    Q_OBJECT

public:
    explicit HubHost(HubConfig config, QObject* parent = nullptr);
    ~HubHost() override;

    // Creates the hub inside its thread and starts listening. Blocks until the listener is
    // up or has failed; returns the reason on failure ("--port: address in use").
    std::optional<QString> start();

    // Graceful shutdown: stop accepting, close every client with 1001, let writes drain
    // (at most `grace`), then stop the thread. Safe to call twice.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

    bool isRunning() const;
    quint16 port() const; // the bound port (useful with port 0)
    const HubConfig& config() const { return m_config; }

    // Commands, executed on the hub thread.
    void disconnectClient(const QString& connectionId);
    void publish(const QString& topic, const QString& event, const QJsonObject& data);
    // The next snapshot lists every connection (for an observer that attaches late).
    void requestFullSnapshot();

signals:
    // At most every config().snapshotInterval, in the thread this object lives in.
    void snapshotReady(const switchboard::HubSnapshot& snapshot);
    // A client asked the hub to shut down (POST /api/v1/ws/shutdown).
    void shutdownRequested();

private:
    HubConfig m_config;
    QThread* m_thread = nullptr;
    QObject* m_anchor = nullptr; // lives in m_thread
    HubCore* m_core = nullptr;   // lives in m_thread; touched only through queued calls
    quint16 m_port = 0;
};

} // namespace switchboard
