#pragma once

// What a node of a cluster tells about the cluster (SPEC §12): GET /api/v1/cluster (admin),
// the `cluster` totals of /api/v1/ws/stats and /health, the degraded status of /health while
// a Redis shard is out of reach, and the Redis metrics of /metrics.

#include <QByteArray>
#include <QJsonObject>

namespace switchboard {

class Cluster;
class HttpRouter;
class HubMetrics;
struct RouteContext;

void addClusterRoutes(HttpRouter& router, const RouteContext& context);

// {nodes, total_connections, messages_per_second, degraded}
QJsonObject clusterTotals(const Cluster& cluster);
// Marks `health` degraded (with the reason) while a shard is out of reach, and adds the totals.
void addClusterHealth(const Cluster& cluster, QJsonObject& health);
// switchboard_redis_up{shard}, switchboard_redis_reconnects_total, the publish round trip
// histogram, switchboard_cluster_nodes, in Prometheus' text format.
QByteArray clusterMetrics(const Cluster& cluster, const HubMetrics& metrics);

} // namespace switchboard
