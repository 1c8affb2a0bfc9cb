#include "HubRoutes.h"

#include "../auth/RateLimiter.h"
#include "../auth/TopicPolicy.h"
#include "../cluster/Cluster.h"
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

#include <algorithm>

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
    };
    auto pending = std::make_shared<Batch>();
    pending->left = messages.size();
    for (qsizetype i = 0; i < messages.size(); ++i)
        pending->results.append(QJsonValue());
    const DeferredResponse answer = call.defer();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QJsonObject message = messages[i].toObject();
        hub.publish(message.value(QLatin1String("topic")).toString(),
                    message.value(QLatin1String("type")).toString(),
                    message.value(QLatin1String("data")).toObject(), nullptr,
                    [pending, i, batch, answer](const Hub::PublishResult& result) {
                        pending->results[i] =
                            QJsonObject{{QLatin1String("seq"), double(result.seq)},
                                        {QLatin1String("delivered"), result.delivered}};
                        if (--pending->left > 0)
                            return;
                        answer(batch ? HttpResponse::json(pending->results)
                                     : HttpResponse::json(pending->results.first()));
                    });
    }
    return answer.response();
}

const QString disconnectQuestion = QStringLiteral("connection.disconnect");

// Closes connection `id` with 1008 if it is one of this node's; whether it was.
bool disconnect(Subscribers& subscribers, const QString& id)
{
    Subscriber* subscriber = subscribers.find(id);
    if (!subscriber)
        return false;
    subscriber->close(CloseCode::Policy, QStringLiteral("disconnected by an administrator"));
    return true;
}

// Connection ids are unique across the cluster: the node that holds the connection closes it,
// and the answer is 404 only when no node has it (or none that answered in time).
HttpResponse disconnectConnection(const HttpCall& call, const RouteContext& context)
{
    const QString id = call.parameter(QStringLiteral("id"));
    const auto disconnected = [id] {
        return HttpResponse::json(QJsonObject{{QLatin1String("disconnected"), id}});
    };
    const auto notFound = [] {
        return HttpResponse::error(404, QStringLiteral("NOT_FOUND"),
                                   QStringLiteral("no connection with that id"));
    };
    if (disconnect(context.subscribers, id))
        return disconnected();
    if (!context.cluster)
        return notFound();
    const DeferredResponse answer = call.defer();
    context.cluster->ask(
        disconnectQuestion, {{QLatin1String("connection_id"), id}}, Cluster::answerTimeout,
        [answer, disconnected, notFound](const QList<Cluster::Answer>& answers) {
            const bool found =
                std::any_of(answers.cbegin(), answers.cend(), [](const Cluster::Answer& a) {
                    return a.body.value(QLatin1String("disconnected")).toBool();
                });
            answer(found ? disconnected() : notFound());
        });
    return answer.response();
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
                QStringLiteral("Force-disconnect a connection (close 1008), on whichever node of "
                               "the cluster holds it"),
                [&context](const HttpCall& call) { return disconnectConnection(call, context); },
                {}});
    if (context.cluster) {
        context.cluster->handle(
            disconnectQuestion, [&subscribers = context.subscribers](const QJsonObject& message) {
                return QJsonObject{
                    {QLatin1String("disconnected"),
                     disconnect(subscribers,
                                message.value(QLatin1String("connection_id")).toString())}};
            });
    }
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
