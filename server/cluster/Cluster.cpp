#include "Cluster.h"

#include "RedisShards.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>

namespace switchboard {

namespace {

Q_LOGGING_CATEGORY(lcCluster, "switchboard.cluster")

const QByteArray nodesKey = "sb:nodes";
const QByteArray controlChannel = "sb:control";
// A node's entry left this long after its last heartbeat is removed from Redis.
constexpr qint64 forgetNodesAfterMs = 3600 * 1000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QJsonObject nodeJson(const Cluster::Node& node)
{
    return {{QLatin1String("address"), node.address},
            {QLatin1String("connections"), node.figures.connections},
            {QLatin1String("messages_in_per_second"), node.figures.messagesInPerSecond},
            {QLatin1String("messages_out_per_second"), node.figures.messagesOutPerSecond},
            {QLatin1String("started"), double(node.startedMs)},
            {QLatin1String("last_seen"), double(node.lastSeenMs)}};
}

Cluster::Node nodeFrom(const QString& name, const QJsonObject& json)
{
    Cluster::Node node;
    node.name = name;
    node.address = json.value(QLatin1String("address")).toString();
    node.figures.connections = json.value(QLatin1String("connections")).toInt();
    node.figures.messagesInPerSecond =
        json.value(QLatin1String("messages_in_per_second")).toDouble();
    node.figures.messagesOutPerSecond =
        json.value(QLatin1String("messages_out_per_second")).toDouble();
    node.startedMs = qint64(json.value(QLatin1String("started")).toDouble());
    node.lastSeenMs = qint64(json.value(QLatin1String("last_seen")).toDouble());
    return node;
}

} // namespace

Cluster::Cluster(const std::vector<RedisUrl>& urls, ClusterBroker::Settings settings,
                 Histogram& publishRoundTrip, QObject* parent)
    : QObject(parent)
    , m_shards(std::make_unique<RedisShards>(urls))
    , m_broker(std::make_unique<ClusterBroker>(*m_shards, settings, publishRoundTrip))
{
    m_heartbeat.setInterval(heartbeatInterval);
    connect(&m_heartbeat, &QTimer::timeout, this, &Cluster::heartbeat);
    connect(m_shards.get(), &RedisShards::message, this,
            [this](int, const QByteArray& channel, const QByteArray& payload) {
                if (channel == controlChannel)
                    onControlMessage(payload);
            });
    connect(m_shards.get(), &RedisShards::shardUp, this, [this](int shard) {
        qCInfo(lcCluster, "Redis %s is reachable", qUtf8Printable(m_shards->url(shard).display()));
        if (shard == controlShard())
            heartbeat();
    });
    connect(m_shards.get(), &RedisShards::shardDown, this,
            [this](int shard, const QString& reason) {
                qCWarning(lcCluster,
                          "Redis %s lost (%s): this node serves its own clients alone until it "
                          "is back",
                          qUtf8Printable(m_shards->url(shard).display()), qUtf8Printable(reason));
            });
}

Cluster::~Cluster() = default;

Broker& Cluster::broker()
{
    return *m_broker;
}

int Cluster::controlShard() const
{
    return m_shards->shardOf(nodesKey);
}

void Cluster::start(QString name, QString address, std::function<Figures()> figures)
{
    m_name = std::move(name);
    m_address = std::move(address);
    m_figures = std::move(figures);
    m_startedMs = nowMs();
    m_shards->subscriber(controlShard()).subscribe(controlChannel);
    m_shards->start();
    m_heartbeat.start();
    qCInfo(lcCluster, "node %s joins the cluster on %d Redis instance(s)", qUtf8Printable(m_name),
           m_shards->count());
}

bool Cluster::isDegraded() const
{
    for (int shard = 0; shard < m_shards->count(); ++shard) {
        if (!m_shards->isUp(shard))
            return true;
    }
    return false;
}

QStringList Cluster::problems() const
{
    QStringList problems;
    for (int shard = 0; shard < m_shards->count(); ++shard) {
        if (!m_shards->isUp(shard))
            problems.append(QStringLiteral("Redis %1 unreachable: %2")
                                .arg(m_shards->url(shard).display(), m_shards->problem(shard)));
    }
    return problems;
}

std::vector<Cluster::ShardState> Cluster::shards() const
{
    std::vector<ShardState> states;
    for (int shard = 0; shard < m_shards->count(); ++shard)
        states.push_back({m_shards->url(shard).display(), m_shards->isUp(shard),
                          m_shards->problem(shard), m_shards->reconnects(shard)});
    return states;
}

QList<Cluster::Node> Cluster::nodes() const
{
    Node self;
    self.name = m_name;
    self.address = m_address;
    self.figures = m_figures ? m_figures() : Figures{};
    self.startedMs = m_startedMs;
    self.lastSeenMs = nowMs();
    self.self = true;
    QList<Node> live{self};
    const qint64 oldest = nowMs() - std::chrono::milliseconds(nodeTimeout).count();
    for (const Node& node : m_nodes) {
        if (node.name != m_name && node.lastSeenMs >= oldest)
            live.append(node);
    }
    return live;
}

void Cluster::heartbeat()
{
    const int shard = controlShard();
    if (!m_shards->isUp(shard))
        return;
    Node self = nodes().constFirst();
    m_shards->commands(shard).command(
        {"HSET", nodesKey, m_name.toUtf8(),
         QJsonDocument(nodeJson(self)).toJson(QJsonDocument::Compact)},
        [this](const RedisValue&) { readNodes(); });
}

void Cluster::readNodes()
{
    const int shard = controlShard();
    m_shards->commands(shard).command(
        {"HGETALL", nodesKey}, [this, shard](const RedisValue& reply) {
            if (!reply.isArray())
                return;
            const QSet<QString> before(m_nodes.keyBegin(), m_nodes.keyEnd());
            QHash<QString, Node> nodes;
            const qint64 now = nowMs();
            QList<QByteArray> forget{"HDEL", nodesKey};
            for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
                const QString name = QString::fromUtf8(reply.elements[i].string);
                const Node node =
                    nodeFrom(name, QJsonDocument::fromJson(reply.elements[i + 1].string).object());
                if (now - node.lastSeenMs > forgetNodesAfterMs)
                    forget.append(reply.elements[i].string);
                else if (now - node.lastSeenMs <= std::chrono::milliseconds(nodeTimeout).count())
                    nodes.insert(name, node);
            }
            if (forget.size() > 2)
                m_shards->commands(shard).command(forget, [](const RedisValue&) {});
            m_nodes = std::move(nodes);
            const QSet<QString> after(m_nodes.keyBegin(), m_nodes.keyEnd());
            if (before != after) {
                for (const QString& gone : before - after)
                    qCInfo(lcCluster, "node %s left the cluster", qUtf8Printable(gone));
                for (const QString& joined : after - before)
                    if (joined != m_name)
                        qCInfo(lcCluster, "node %s joined the cluster", qUtf8Printable(joined));
                emit nodesChanged();
            }
        });
}

void Cluster::handle(const QString& type, Handler handler)
{
    if (!handler) {
        m_handlers.remove(type);
        return;
    }
    handleLater(
        type, [handler = std::move(handler)](const QJsonObject& message, const Answering& answer) {
            answer(handler(message));
        });
}

void Cluster::handleLater(const QString& type, DeferredHandler handler)
{
    if (handler)
        m_handlers.insert(type, std::move(handler));
    else
        m_handlers.remove(type);
}

void Cluster::tell(const QString& type, QJsonObject message, const QString& node)
{
    message.insert(QLatin1String("type"), type);
    message.insert(QLatin1String("from"), m_name);
    if (!node.isEmpty())
        message.insert(QLatin1String("to"), node);
    const QByteArray payload = QJsonDocument(message).toJson(QJsonDocument::Compact);
    const int shard = controlShard();
    if (!m_shards->isUp(shard)) {
        // The other nodes cannot be reached: what concerns this node is still done.
        if (node.isEmpty() || node == m_name)
            onControlMessage(payload);
        return;
    }
    m_shards->commands(shard).command({"PUBLISH", controlChannel, payload},
                                      [](const RedisValue&) {});
}

void Cluster::ask(const QString& type, QJsonObject message, std::chrono::milliseconds timeout,
                  std::function<void(const QList<Answer>& answers)> done)
{
    const QString id = QString::number(QRandomGenerator::global()->generate64(), 36);
    Asking& asking = m_asking[id];
    asking.done = std::move(done);
    asking.deadline = new QTimer(this);
    asking.deadline->setSingleShot(true);
    connect(asking.deadline, &QTimer::timeout, this, [this, id] { finishAsk(id); });
    asking.deadline->start(timeout);
    message.insert(QLatin1String("id"), id);
    tell(type, std::move(message));
}

void Cluster::finishAsk(const QString& id)
{
    const auto it = m_asking.find(id);
    if (it == m_asking.end())
        return;
    Asking asking = std::move(*it);
    m_asking.erase(it);
    asking.deadline->deleteLater();
    asking.done(asking.answers);
}

void Cluster::onControlMessage(const QByteArray& payload)
{
    const QJsonObject message = QJsonDocument::fromJson(payload).object();
    const QString to = message.value(QLatin1String("to")).toString();
    if (!to.isEmpty() && to != m_name)
        return;
    const QString type = message.value(QLatin1String("type")).toString();
    const QString id = message.value(QLatin1String("id")).toString();
    if (type == QLatin1String("answer")) {
        const auto it = m_asking.find(id);
        if (it == m_asking.end())
            return;
        const QString from = message.value(QLatin1String("from")).toString();
        if (it->answered.contains(from))
            return;
        it->answered.insert(from);
        Answer answer{from, message.value(QLatin1String("answer")).toObject()};
        if (from == m_name)
            it->answers.prepend(std::move(answer));
        else
            it->answers.append(std::move(answer));
        // Out of reach of Redis, no other node can answer: this node's answer is all there is.
        if (it->answered.size() >= nodes().size() || !m_shards->isUp(controlShard()))
            finishAsk(id);
        return;
    }
    // Every node answers an ask, so that it ends as soon as all did.
    Answering answer =
        [cluster = QPointer<Cluster>(this), id,
         from = message.value(QLatin1String("from")).toString()](const QJsonObject& body) {
            if (cluster && !id.isEmpty())
                cluster->tell(QStringLiteral("answer"),
                              {{QLatin1String("id"), id}, {QLatin1String("answer"), body}}, from);
        };
    if (const DeferredHandler handler = m_handlers.value(type))
        handler(message, std::move(answer));
    else
        answer({});
}

} // namespace switchboard
