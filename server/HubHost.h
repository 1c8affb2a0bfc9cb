#pragma once

// The hub's public face: starts the hub in its own thread, forwards commands to it as
// queued calls and delivers its snapshots in the caller's thread. Both executables and
// every test use the hub only through this class.

#include "config/HubConfig.h"
#include "monitor/HubSnapshot.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QThread;

namespace switchboard {

class HubCore;

// The answer to a command: a value (a job id, a token) or the reason it was refused.
struct CommandResult {
    bool ok = false;
    QString value;
    QString error;
};
using CommandCallback = std::function<void(const CommandResult&)>;

// The answer to a query of what operators look at: the JSON the matching REST route answers
// (SPEC §13), or its error code and message.
struct JsonResult {
    bool ok = false;
    QJsonValue value;
    QString code; // "INVALID_MESSAGE", "NOT_FOUND", ...
    QString error;
};
using JsonCallback = std::function<void(const JsonResult&)>;

// A client message type one dialect understands, with the JSON Schema of its data.
struct MessageTypeInfo {
    QString dialect; // "native", ...
    QString type;
    QString summary;
    QJsonObject schema;
};

// How HubHost::rotateSecret() ended.
struct SecretRotation {
    enum class Outcome {
        Rotated,         // the keychain holds the new secret and the hub runs with it
        KeychainRefused, // the keychain did not take it (`error`); nothing changed
        RestartFailed,   // the hub could not restart with it (`error`) and runs on the old one
    };
    Outcome outcome = Outcome::Rotated;
    QString error;
    // RestartFailed: empty when the old secret is back in the keychain, else why it is not
    // (tokens issued now then stop working at the next start).
    QString restoreError;
};

// A job type the engine runs, with the JSON Schema of its params.
struct JobTypeInfo {
    QString name;
    QString summary;
    QJsonObject schema;
};

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

    // Restarts the hub with new settings, inside this process: stops it gracefully and starts
    // it again with `config`. On failure the previous settings are started again and the
    // reason is returned. Emits restarted() when the hub is up again. Blocks for the graceful
    // stop (up to `grace` while clients answer the close); the console uses
    // restartInBackground().
    std::optional<QString>
    restart(HubConfig config, std::chrono::milliseconds grace = std::chrono::milliseconds(1000));
    // The same without waiting: the graceful stop runs on the hub thread, and the hub starts
    // with `config` once it is over; restartFinished() tells the outcome. Meanwhile the hub
    // counts as not running (commands are refused). Ignored while a restart is under way.
    void restartInBackground(HubConfig config,
                             std::chrono::milliseconds grace = std::chrono::milliseconds(1000));
    bool isRestarting() const { return m_stopping != nullptr; }

    // Replaces the JWT secret kept in the OS keychain: a new random one goes into the
    // keychain (the system may ask to unlock it; `keychainTimeout` bounds the wait), then the
    // hub restarts with it in the background, so every token issued before is refused. If the
    // restart fails, the old secret goes back into the keychain. secretRotationFinished()
    // tells the outcome. Ignored while a restart or rotation is under way, and when the
    // secret does not come from the keychain (config().jwtSecretInKeychain).
    void rotateSecret(std::chrono::milliseconds keychainTimeout = std::chrono::seconds(60));
    bool isRotatingSecret() const { return m_rotationPrevious.has_value(); }

    // The observer's topics: snapshots carry their events (see HubMonitor). Counted per name,
    // so several panels may watch the same topic; a name ending in '*' is a prefix
    // ("room:*"). Watching `system_metrics` or `status` makes the hub sample the system
    // metrics even when no client subscribes. Kept across restart().
    void watchTopics(const QStringList& topics);
    void unwatchTopics(const QStringList& topics);
    QStringList watchedTopics() const;

    // Job and token commands, run on the hub thread as the console (an admin). `done`, if
    // given, is called in this object's thread: with the job id or token, or the error.
    void submitJob(const QString& type, const QJsonObject& params, CommandCallback done = {});
    void cancelJob(const QString& jobId, CommandCallback done = {});
    void issueToken(const QString& subject, const QString& role, const QString& tenant,
                    std::chrono::seconds ttl, CommandCallback done);

    // What operators look at (SPEC §13), asked as the console (an admin); `done` gets the JSON
    // of the matching route in this object's thread. GET /api/v1/series?names=&range=:
    void series(const QStringList& names, const QString& range, JsonCallback done);
    // GET /api/v1/series/names
    void seriesCatalog(JsonCallback done);
    // GET /api/v1/topics/{topic}/events?limit=
    void topicEvents(const QString& topic, int limit, JsonCallback done);
    // GET and PUT /api/v1/alerts/rules, GET /api/v1/alerts, POST /api/v1/alerts/{id}/ack
    void alertRules(JsonCallback done);
    void setAlertRules(const QJsonValue& rules, JsonCallback done);
    void alerts(JsonCallback done);
    void acknowledgeAlert(const QString& alertId, JsonCallback done);
    // While watched (counted), snapshots carry the topic list (GET /api/v1/topics) at most
    // once a second. Kept across restart().
    void watchTopicList();
    void unwatchTopicList();

    // What the hub understands, for composers and forms: every registered client message
    // type of every dialect, and every job type. Read-only tables filled before main().
    static QList<MessageTypeInfo> messageTypes();
    static QList<JobTypeInfo> jobTypes();

signals:
    // At most every config().snapshotInterval, in the thread this object lives in.
    void snapshotReady(const switchboard::HubSnapshot& snapshot);
    // A client asked the hub to shut down (POST /api/v1/ws/shutdown).
    void shutdownRequested();
    // restart() brought the hub up again (on the new port, or on the old settings).
    void restarted();
    // restartInBackground() is over: `error` is empty when the hub runs with the new settings,
    // else why they failed (the hub then runs on the previous ones, if those still start).
    void restartFinished(const QString& error);
    // start() brought the hub up (also inside restart()); config() now holds the secret it
    // read from the keychain, if any.
    void started();
    void secretRotationFinished(const switchboard::SecretRotation& rotation);

protected:
    // Snapshots are built on the hub thread only while something receives snapshotReady.
    void connectNotify(const QMetaMethod& signal) override;
    void disconnectNotify(const QMetaMethod& signal) override;

private:
    void applySnapshotsObserved();
    void finishRotation(const QString& restartError);

    HubConfig m_config;
    QThread* m_thread = nullptr;
    QObject* m_anchor = nullptr;     // lives in m_thread
    HubCore* m_core = nullptr;       // lives in m_thread; touched only through queued calls
    QThread* m_stopping = nullptr;   // a hub thread on its way out (restartInBackground)
    quint64 m_restartGeneration = 0; // the restart still to happen; older ones are dropped
    quint16 m_port = 0;
    std::optional<QByteArray> m_rotationPrevious; // the secret a rotation under way replaces
    QHash<QString, int> m_watched;                // topic pattern -> how many watchers
    // Connections to snapshotReady (connectNotify/disconnectNotify; QObject::isSignalConnected
    // keeps answering true for a while after a receiver is gone).
    int m_snapshotReceivers = 0;

    void applyWatchedTopics();
    // Starts with `config`, or with the settings before it if it fails (restart()'s second half).
    std::optional<QString> startWith(HubConfig config);
    // Waits for the thread of a background stop, if one is under way, and drops the start
    // that was to follow it.
    void joinStoppingThread();
    // Runs `command` on the hub thread and hands its result to `done` in this thread.
    void runCommand(std::function<CommandResult(HubCore&)> command, CommandCallback done);
    void runQuery(std::function<JsonResult(HubCore&)> query, JsonCallback done);
    void applyTopicListWatched();
    int m_topicListWatchers = 0;
};

} // namespace switchboard
