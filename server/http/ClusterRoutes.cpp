#include "ClusterRoutes.h"

#include "../cluster/Cluster.h"
#include "../hub/HubMetrics.h"
#include "../wire/Json.h"
#include "HttpRouter.h"
#include "RouteContext.h"

#include <QJsonArray>

namespace switchboard {

namespace {

QJsonArray shardsJson(const Cluster& cluster)
{
    QJsonArray shards;
    for (const Cluster::ShardState& shard : cluster.shards()) {
        QJsonObject state{{QLatin1String("redis"), shard.url},
                          {QLatin1String("up"), shard.up},
                          {QLatin1String("reconnects"), double(shard.reconnects)}};
        if (!shard.up)
            state.insert(QLatin1String("problem"), shard.problem);
        shards.append(state);
    }
    return shards;
}

QJsonObject nodeJson(const Cluster::Node& node)
{
    return {{QLatin1String("name"), node.name},
            {QLatin1String("address"), node.address},
            {QLatin1String("connections"), node.figures.connections},
            {QLatin1String("messages_in_per_second"), node.figures.messagesInPerSecond},
            {QLatin1String("messages_out_per_second"), node.figures.messagesOutPerSecond},
            {QLatin1String("started"), Json::isoTimestamp(node.startedMs)},
            {QLatin1String("last_seen"), Json::isoTimestamp(node.lastSeenMs)},
            {QLatin1String("self"), node.self}};
}

} // namespace

QJsonObject clusterTotals(const Cluster& cluster)
{
    const QList<Cluster::Node> nodes = cluster.nodes();
    int connections = 0;
    double rate = 0;
    for (const Cluster::Node& node : nodes) {
        connections += node.figures.connections;
        rate += node.figures.messagesInPerSecond + node.figures.messagesOutPerSecond;
    }
    return {{QLatin1String("node"), cluster.nodeName()},
            {QLatin1String("nodes"), nodes.size()},
            {QLatin1String("total_connections"), connections},
            {QLatin1String("messages_per_second"), rate},
            {QLatin1String("degraded"), cluster.isDegraded()}};
}

void addClusterHealth(const Cluster& cluster, QJsonObject& health)
{
    if (cluster.isDegraded()) {
        health.insert(QLatin1String("status"), QLatin1String("degraded"));
        const QString reason = cluster.problems().join(QStringLiteral("; ")) +
                               QStringLiteral(" (this node serves its own clients meanwhile)");
        health.insert(QLatin1String("reason"), reason);
    }
    health.insert(QLatin1String("cluster"), clusterTotals(cluster));
}

QByteArray clusterMetrics(const Cluster& cluster, const HubMetrics& metrics)
{
    QByteArray out;
    out += "# HELP switchboard_redis_up Whether the node reaches the Redis shard (1) or not (0).\n"
           "# TYPE switchboard_redis_up gauge\n";
    const std::vector<Cluster::ShardState> shards = cluster.shards();
    for (const Cluster::ShardState& shard : shards)
        out += "switchboard_redis_up{redis=\"" + shard.url.toUtf8() + "\"} " +
               QByteArray(shard.up ? "1" : "0") + '\n';
    out += "# HELP switchboard_redis_reconnects_total Times the node connected to a Redis shard "
           "again after losing it.\n# TYPE switchboard_redis_reconnects_total counter\n";
    for (const Cluster::ShardState& shard : shards)
        out += "switchboard_redis_reconnects_total{redis=\"" + shard.url.toUtf8() + "\"} " +
               QByteArray::number(shard.reconnects) + '\n';
    out += "# HELP switchboard_cluster_nodes Nodes of the cluster this node sees.\n"
           "# TYPE switchboard_cluster_nodes gauge\nswitchboard_cluster_nodes " +
           QByteArray::number(cluster.nodes().size()) + '\n';
    metrics.redisPublish.writePrometheus(
        out, "switchboard_redis_publish_seconds",
        "Time from a publish until Redis numbered it, kept it and sent it to the nodes.");
    return out;
}

void addClusterRoutes(HttpRouter& router, const RouteContext& context)
{
    router.add({QHttpServerRequest::Method::Get,
                QStringLiteral("/api/v1/cluster"),
                HttpAccess::Admin,
                QStringLiteral("The nodes of the cluster this hub is one of: name, address, "
                               "connections, messages/s, started, last seen; and the state of "
                               "its Redis shards"),
                [&context](const HttpCall&) {
                    if (!context.cluster)
                        return HttpResponse::json(
                            QJsonObject{{QLatin1String("clustered"), false},
                                        {QLatin1String("nodes"), QJsonArray{}},
                                        {QLatin1String("redis"), QJsonArray{}}});
                    QJsonArray nodes;
                    for (const Cluster::Node& node : context.cluster->nodes())
                        nodes.append(nodeJson(node));
                    return HttpResponse::json(
                        QJsonObject{{QLatin1String("clustered"), true},
                                    {QLatin1String("node"), context.cluster->nodeName()},
                                    {QLatin1String("degraded"), context.cluster->isDegraded()},
                                    {QLatin1String("nodes"), nodes},
                                    {QLatin1String("redis"), shardsJson(*context.cluster)}});
                },
                {}});
}

} // namespace switchboard
