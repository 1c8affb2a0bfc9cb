#include "ServiceRoutes.h"

#include "../cluster/Cluster.h"
#include "../hub/Hub.h"
#include "../hub/HubMetrics.h"
#include "../hub/Subscribers.h"
#include "../monitor/HubMonitor.h"
#include "../protocol/Endpoints.h"
#include "../wire/Json.h"
#include "ClusterRoutes.h"
#include "HttpRouter.h"
#include "OperatorMetrics.h"
#include "RouteContext.h"
#include "WebRoutes.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace switchboard {

namespace {

QByteArray prometheusText(const HubMetrics& metrics, const Subscribers& subscribers, const Hub& hub,
                          qint64 uptimeSeconds, const Cluster* cluster)
{
    QByteArray out;
    auto metric = [&out](const char* name, const char* type, const char* help, double value) {
        out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n' +
               name + ' ' + QByteArray::number(value, 'g', 15) + '\n';
    };
    metric("switchboard_connections", "gauge", "Open WebSocket connections.", subscribers.count());
    metric("switchboard_connections_total", "counter", "WebSocket connections accepted.",
           double(metrics.connectionsTotal));
    metric("switchboard_connections_rejected_total", "counter",
           "Connections and upgrades refused (limits, bad tokens, unknown paths).",
           double(metrics.rejectedConnections));
    metric("switchboard_messages_in_total", "counter", "Messages received from clients.",
           double(metrics.messagesIn));
    metric("switchboard_messages_out_total", "counter", "Messages queued to clients.",
           double(metrics.messagesOut));
    metric("switchboard_bytes_in_total", "counter", "Bytes received in client messages.",
           double(metrics.bytesIn));
    metric("switchboard_bytes_out_total", "counter", "Bytes queued to clients (framed).",
           double(metrics.bytesOut));
    metric("switchboard_events_published_total", "counter", "Events published to topics.",
           double(metrics.published));
    metric("switchboard_event_encodings_total", "counter",
           "Events encoded for delivery: one per event and dialect, never one per client.",
           double(metrics.eventEncodings));
    metric("switchboard_slow_consumers_dropped_total", "counter",
           "Clients closed (1013) for not reading their messages.",
           double(metrics.droppedSlowConsumers));
    metric("switchboard_http_requests_total", "counter", "HTTP requests handled.",
           double(metrics.httpRequests));
    metric("switchboard_topics", "gauge", "Topics with history or subscribers.", hub.topicCount());
    metric("switchboard_uptime_seconds", "gauge", "Seconds since the hub started.",
           double(uptimeSeconds));
    metrics.publishToSend.writePrometheus(
        out, "switchboard_publish_to_send_seconds",
        "Time from publish until every subscriber's frame was handed to the kernel.");
    if (cluster)
        out += clusterMetrics(*cluster, metrics);
    return out;
}

} // namespace

void addServiceRoutes(HttpRouter& router, const RouteContext& context)
{
    using Method = QHttpServerRequest::Method;
    router.add(
        {Method::Get,
         QStringLiteral("/"),
         HttpAccess::Public,
         QStringLiteral("The web dashboard for a browser (Accept: text/html); otherwise "
                        "service information: name, version, endpoints"),
         [&context](const HttpCall& call) {
             if (acceptsHtml(call.request))
                 return dashboardPage(call);
             QJsonArray websockets;
             for (const Endpoint& endpoint : context.endpoints.all())
                 websockets.append(endpoint.path);
             HttpResponse info = HttpResponse::json(QJsonObject{
                 {QLatin1String("name"), QLatin1String("Switchboard")},
                 {QLatin1String("version"), QStringLiteral(SWITCHBOARD_VERSION)},
                 {QLatin1String("status"), QLatin1String("running")},
                 {QLatin1String("uptime_seconds"), double(context.monitor.uptimeSeconds())},
                 {QLatin1String("endpoints"),
                  QJsonObject{{QLatin1String("websocket"), websockets},
                              {QLatin1String("health"), QLatin1String("/health")},
                              {QLatin1String("metrics"), QLatin1String("/metrics")},
                              {QLatin1String("openapi"), QLatin1String("/openapi.json")},
                              {QLatin1String("asyncapi"), QLatin1String("/asyncapi.json")},
                              {QLatin1String("docs"), QLatin1String("/docs")},
                              {QLatin1String("dashboard"), QLatin1String("/")},
                              {QLatin1String("client"), QLatin1String("/client.js")},
                              {QLatin1String("demo"), QLatin1String("/websocket-demo.html")}}}});
             info.headers.emplaceBack("Vary", "Accept");
             return info;
         },
         {}});
    router.add({Method::Get,
                QStringLiteral("/health"),
                HttpAccess::Public,
                QStringLiteral("Liveness and the number of open connections"),
                [&context](const HttpCall&) {
                    QJsonObject health{
                        {QLatin1String("status"), QLatin1String("healthy")},
                        {QLatin1String("active_connections"), context.subscribers.count()},
                        {QLatin1String("timestamp"), Json::isoNow()}};
                    if (context.cluster)
                        addClusterHealth(*context.cluster, health);
                    return HttpResponse::json(health);
                },
                {}});
    router.add({Method::Get,
                QStringLiteral("/metrics"),
                HttpAccess::Public,
                QStringLiteral("Prometheus metrics"),
                [&context](const HttpCall&) {
                    QByteArray text =
                        prometheusText(context.metrics, context.subscribers, context.hub,
                                       context.monitor.uptimeSeconds(), context.cluster);
                    writeOperatorMetrics(text, context);
                    return HttpResponse::content(std::move(text),
                                                 "text/plain; version=0.0.4; charset=utf-8");
                },
                {}});
}

} // namespace switchboard
