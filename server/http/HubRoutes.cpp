#include "HubRoutes.h"

#include "../auth/RateLimiter.h"
#include "../auth/TopicPolicy.h"
#include "../config/HubConfig.h"
#include "../hub/Hub.h"
#include "../hub/HubMetrics.h"
#include "../hub/Subscriber.h"
#include "../hub/Subscribers.h"
#include "../monitor/HubMonitor.h"
#include "../protocol/Fields.h"
#include "../wire/Json.h"
#include "ClusterRoutes.h"
#include "HttpRouter.h"
#include "RouteContext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace switchboard {

namespace {

constexpr int maxBatch = 1000;

QJsonObject publishSchema()
{
    const QJsonObject message{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("required"), QJsonArray{QLatin1String("topic"), QLatin1String("type")}},
        {QLatin1String("properties"),
         QJsonObject{
             {QLatin1String("topic"),
              QJsonObject{{QLatin1String("type"), QLatin1String("string")}}},
             {QLatin1String("type"), QJsonObject{{QLatin1String("type"), QLatin1String("string")}}},
             {QLatin1String("data"),
              QJsonObject{{QLatin1String("type"), QLatin1String("object")}}}}}};
    return QJsonObject{
        {QLatin1String("oneOf"),
         QJsonArray{message, QJsonObject{{QLatin1String("type"), QLatin1String("array")},
                                         {QLatin1String("items"), message}}}}};
}

// Validates one message of a publish body; returns an error text naming the field.
QString validatePublish(const QJsonValue& value, const QString& where)
{
    if (!value.isObject())
        return where + QStringLiteral(" must be an object");
    const QJsonObject object = value.toObject();
    Fields fields(object, where);
    const QString topic = fields.requiredString(QStringLiteral("topic"), 200);
    fields.requiredString(QStringLiteral("type"), 100);
    fields.optionalObject(QStringLiteral("data"));
    if (!fields.ok())
        return fields.error()->message;
    if (!TopicPolicy::isValidName(topic))
        return where + QStringLiteral(".topic is not a valid topic name");
    return {};
}

HttpResponse publish(const HttpCall& call, Hub& hub, const TopicPolicy& policy)
{
    QJsonParseError parseError;
    const QJsonDocument body = QJsonDocument::fromJson(call.request.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Qt refuses a top-level scalar ("hello", 42), which is valid JSON of the wrong kind.
        QJsonParseError wrappedError;
        QJsonDocument::fromJson("[" + call.request.body() + "]", &wrappedError);
        if (wrappedError.error == QJsonParseError::NoError)
            return HttpResponse::error(
                400, QStringLiteral("INVALID_MESSAGE"),
                QStringLiteral("body must be a message object or an array of them"));
        return HttpResponse::error(400, QStringLiteral("INVALID_JSON"),
                                   QStringLiteral("invalid JSON at offset %1: %2")
                                       .arg(parseError.offset)
                                       .arg(parseError.errorString()));
    }
    const bool batch = body.isArray();
    const QJsonArray messages = batch ? body.array() : QJsonArray{body.object()};
    if (!batch && !body.isObject())
        return HttpResponse::error(
            400, QStringLiteral("INVALID_MESSAGE"),
            QStringLiteral("body must be a message object or an array of them"));
    if (messages.isEmpty() || messages.size() > maxBatch)
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"),
                                   QStringLiteral("a batch holds 1 to %1 messages").arg(maxBatch));
    // Validate everything first: a batch is published whole or not at all.
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString where = batch ? QStringLiteral("[%1]").arg(i) : QString();
        const QString problem = validatePublish(messages[i], where);
        if (!problem.isEmpty())
            return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"), problem);
    }
    // The route admits services and administrators; the topic decides the rest (a service
    // publishes into its own tenant's projects only). One refused topic refuses the batch.
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString topic = messages[i].toObject().value(QLatin1String("topic")).toString();
        if (!policy.canPublish(call.identity, topic))
            return HttpResponse::error(
                403, QStringLiteral("PERMISSION_DENIED"),
                QStringLiteral("%1not allowed to publish on %2")
                    .arg(batch ? QStringLiteral("[%1]: ").arg(i) : QString(), topic));
    }
    // Answered once every message has its seq: at once on a hub alone (before this returns),
    // when Redis numbered them on a node of a cluster.
    struct Batch {
        QJsonArray results;
        qsizetype left = 0;
        bool returning = true; // still inside this function
        std::optional<HttpResponse> response;
    };
    auto pending = std::make_shared<Batch>();
    pending->left = messages.size();
    for (qsizetype i = 0; i < messages.size(); ++i)
        pending->results.append(QJsonValue());
    const Respond respond = call.respondLater;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QJsonObject message = messages[i].toObject();
        hub.publish(message.value(QLatin1String("topic")).toString(),
                    message.value(QLatin1String("type")).toString(),
                    message.value(QLatin1String("data")).toObject(), nullptr,
                    [pending, i, batch, respond](const Hub::PublishResult& result) {
                        pending->results[i] =
                            QJsonObject{{QLatin1String("seq"), double(result.seq)},
                                        {QLatin1String("delivered"), result.delivered}};
                        if (--pending->left > 0)
                            return;
                        HttpResponse response = batch
                                                    ? HttpResponse::json(pending->results)
                                                    : HttpResponse::json(pending->results.first());
                        if (pending->returning)
                            pending->response = std::move(response);
                        else
                            respond(response);
                    });
    }
    pending->returning = false;
    return pending->response ? *pending->response : HttpResponse::pending();
}

// Clients the rate limiters keep counters for: it grows with distinct users and addresses
// and shrinks every WS_CLEANUP_INTERVAL as quiet clients are forgotten.
int rateLimitEntries(const RouteContext& context)
{
    int entries = 0;
    for (const RateLimiter* limiter : context.rateLimiters)
        entries += limiter ? limiter->trackedClients() : 0;
    return entries;
}

} // namespace

void addHubRoutes(HttpRouter& router, const RouteContext& context)
{
    using Method = QHttpServerRequest::Method;
    router.add(
        {Method::Post, QStringLiteral("/api/v1/publish"), HttpAccess::ServiceOrAdmin,
         QStringLiteral("Publish one event {topic, type, data} or an array of them"),
         [&context](const HttpCall& call) { return publish(call, context.hub, context.policy); },
         publishSchema()});
    router.add({Method::Get,
                QStringLiteral("/api/v1/ws/health"),
                HttpAccess::Public,
                QStringLiteral("Hub health"),
                [&context](const HttpCall&) {
                    QJsonObject health{
                        {QLatin1String("status"), QLatin1String("healthy")},
                        {QLatin1String("active_connections"), context.subscribers.count()},
                        {QLatin1String("uptime_seconds"), double(context.monitor.uptimeSeconds())},
                        {QLatin1String("timestamp"), Json::isoNow()}};
                    if (context.cluster)
                        addClusterHealth(*context.cluster, health);
                    return HttpResponse::json(health);
                },
                {}});
    router.add(
        {Method::Get,
         QStringLiteral("/api/v1/ws/stats"),
         HttpAccess::Admin,
         QStringLiteral("Hub statistics"),
         [&context](const HttpCall&) {
             QJsonObject stats{
                 {QLatin1String("total_connections"), context.subscribers.count()},
                 {QLatin1String("authenticated_connections"),
                  context.subscribers.authenticatedCount()},
                 {QLatin1String("rooms_active"),
                  context.hub.activeTopicsWithPrefix(QLatin1String("room:"))},
                 {QLatin1String("messages_per_second"),
                  context.monitor.messagesInPerSecond() + context.monitor.messagesOutPerSecond()},
                 {QLatin1String("uptime_seconds"), double(context.monitor.uptimeSeconds())},
                 {QLatin1String("rate_limit_entries"), rateLimitEntries(context)}};
             if (context.cluster)
                 stats.insert(QLatin1String("cluster"), clusterTotals(*context.cluster));
             return HttpResponse::json(stats);
         },
         {}});
    router.add({Method::Delete,
                QStringLiteral("/api/v1/ws/connections/{id}"),
                HttpAccess::Admin,
                QStringLiteral("Force-disconnect a connection (close 1008)"),
                [&context](const HttpCall& call) {
                    Subscriber* subscriber =
                        context.subscribers.find(call.parameter(QStringLiteral("id")));
                    if (!subscriber)
                        return HttpResponse::error(404, QStringLiteral("NOT_FOUND"),
                                                   QStringLiteral("no connection with that id"));
                    const QString id = subscriber->id();
                    subscriber->close(CloseCode::Policy,
                                      QStringLiteral("disconnected by an administrator"));
                    return HttpResponse::json(QJsonObject{{QLatin1String("disconnected"), id}});
                },
                {}});
    router.add({Method::Post,
                QStringLiteral("/api/v1/ws/shutdown"),
                HttpAccess::Admin,
                QStringLiteral("Graceful shutdown: every client is closed with 1001"),
                [&context](const HttpCall&) {
                    context.requestShutdown();
                    return HttpResponse::json(
                        QJsonObject{{QLatin1String("status"), QLatin1String("shutting_down")}},
                        202);
                },
                {}});
}

} // namespace switchboard
