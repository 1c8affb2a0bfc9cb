#pragma once

// This node's part in a cluster of hubs that share Redis (SPEC §12): the Redis shards, the
// broker the hub publishes through, the registry of nodes (every node writes its own figures
// every two seconds and reads everyone's; a node not seen for `nodeTimeout` is gone, and what
// it left behind with it), and the control channel that carries an action to the node that can
// carry it out (disconnect a client, tell a user, block a client, cancel a job), or asks every
// node and gathers their answers.

#include "../config/RedisUrl.h"
#include "ClusterBroker.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace switchboard {

class Histogram;
class RedisShards;

class Cluster : public QObject {
    Q_OBJECT

public:
    // How long a node may go unseen before the others count it gone (SPEC §12: its presence
    // disappears within 30 s).
    static constexpr std::chrono::seconds nodeTimeout{15};
    static constexpr std::chrono::milliseconds heartbeatInterval{2000};
    // How long a request that asks every node waits for their answers before it answers with
    // what came: a node that stalls must not hold up a REST call or a client's reply.
    static constexpr std::chrono::milliseconds answerTimeout{1000};

    // What this node tells the others about itself with every heartbeat.
    struct Figures {
        int connections = 0;
        double messagesInPerSecond = 0;
        double messagesOutPerSecond = 0;
    };
    struct Node {
        QString name;
        QString address;
        Figures figures;
        qint64 startedMs = 0;
        qint64 lastSeenMs = 0;
        bool self = false;
    };
    struct ShardState {
        QString url; // host:port[/db], never the password
        bool up = false;
        QString problem;
        quint64 reconnects = 0;
    };

    Cluster(const std::vector<RedisUrl>& urls, ClusterBroker::Settings settings,
            Histogram& publishRoundTrip, QObject* parent = nullptr);
    ~Cluster() override;

    Broker& broker();
    // The Redis instances, for what else the nodes share through them (the 004 cells).
    RedisShards& shards() { return *m_shards; }
    // Connects and starts the heartbeat, as `name` reachable at `address`.
    void start(QString name, QString address, std::function<Figures()> figures);
    const QString& nodeName() const { return m_name; }

    // Degraded: some shard is out of reach (local delivery goes on); `problems` says which
    // and why.
    bool isDegraded() const;
    QStringList problems() const;
    std::vector<ShardState> shards() const;
    // The nodes seen within nodeTimeout, this one first.
    QList<Node> nodes() const;

    // The control channel. A handler registered for `type` runs on every node a message of that
    // type reaches (the message's `from` names the node that sent it); its return value is this
    // node's answer to ask(). An empty handler unregisters the type.
    using Handler = std::function<QJsonObject(const QJsonObject& message)>;
    void handle(const QString& type, Handler handler);
    // The same for an answer that must wait (for something this node is still doing): the
    // handler calls `answer` once, now or later. An answer that comes after the asking node
    // stopped waiting is ignored there.
    using Answering = std::function<void(const QJsonObject& answer)>;
    using DeferredHandler = std::function<void(const QJsonObject& message, Answering answer)>;
    void handleLater(const QString& type, DeferredHandler handler);
    // Sends to every node (this one included), or to `node` only.
    void tell(const QString& type, QJsonObject message, const QString& node = {});
    // One node's answer to ask().
    struct Answer {
        QString node;
        QJsonObject body;
    };
    // Sends to every node and gathers the answers that come within `timeout` (this node's
    // first); `done` gets them when every live node answered, or when the time is up. With this
    // node's Redis out of reach, only this node answers, at once (before ask() returns).
    void ask(const QString& type, QJsonObject message, std::chrono::milliseconds timeout,
             std::function<void(const QList<Answer>& answers)> done);

signals:
    // A node joined or left the cluster as this node sees it.
    void nodesChanged();

private:
    void heartbeat();
    void readNodes();
    void onControlMessage(const QByteArray& payload);
    void finishAsk(const QString& id);
    int controlShard() const;

    std::unique_ptr<RedisShards> m_shards;
    std::unique_ptr<ClusterBroker> m_broker;
    QString m_name;
    QString m_address;
    qint64 m_startedMs = 0;
    std::function<Figures()> m_figures;
    QTimer m_heartbeat;
    QHash<QString, Node> m_nodes; // the others, by name, as last read
    QHash<QString, DeferredHandler> m_handlers;
    struct Asking {
        QList<Answer> answers;
        QSet<QString> answered;
        std::function<void(const QList<Answer>&)> done;
        QTimer* deadline = nullptr;
    };
    QHash<QString, Asking> m_asking; // by request id
};

} // namespace switchboard
