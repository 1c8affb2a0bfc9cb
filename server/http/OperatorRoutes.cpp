#include "OperatorRoutes.h"

#include "../alerts/AlertCenter.h"
#include "../auth/Identity.h"
#include "../auth/TopicPolicy.h"
#include "../hub/Hub.h"
#include "../hub/Subscriber.h"
#include "../hub/Subscribers.h"
#include "../monitor/HubMonitor.h"
#include "../protocol/Endpoints.h"
#include "../series/SeriesSampler.h"
#include "../wire/Json.h"
#include "HttpRouter.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QMap>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace switchboard {

namespace {

bool mayReadHubWide(const OperatorContext& context, const Identity& identity)
{
    return context.authMode == AuthMode::Off || identity.isAdmin();
}

bool mayRead(const OperatorContext& context, const Identity& identity, const SeriesInfo& info)
{
    if (info.readableWith.isEmpty())
        return mayReadHubWide(context, identity);
    return context.policy.canSubscribe(identity, info.readableWith);
}

HttpResponse errorResponse(const Error& error)
{
    int status = 400;
    switch (error.code) {
    case ErrorCode::PermissionDenied:
        status = 403;
        break;
    case ErrorCode::NotFound:
        status = 404;
        break;
    case ErrorCode::InternalError:
        status = 500;
        break;
    default:
        break;
    }
    return HttpResponse::error(status, errorCodeName(error.code), error.message);
}

QString query(const HttpCall& call, const QString& name)
{
    return QUrlQuery(call.request.url()).queryItemValue(name, QUrl::FullyDecoded);
}

} // namespace

std::variant<QJsonObject, Error> seriesJson(const OperatorContext& context,
                                            const Identity& identity, QStringList names,
                                            const QString& range, qint64 nowMs)
{
    const std::optional<SeriesRange> parsed =
        seriesRangeFromName(range.isEmpty() ? u"15m"_s : range);
    if (!parsed)
        return Error{ErrorCode::InvalidMessage, u"range: must be 15m, 1h or 24h"_s};
    names.removeAll(QString());
    names.removeDuplicates();
    if (names.size() > 64)
        return Error{ErrorCode::InvalidMessage, u"names: at most 64 series at once"_s};
    if (names.isEmpty()) {
        for (const SeriesInfo& info : context.series.all()) {
            if (mayRead(context, identity, info))
                names.append(info.name);
        }
    }
    QJsonObject out;
    for (const QString& name : std::as_const(names)) {
        const SeriesInfo* info = context.series.info(name);
        if (!info)
            return Error{
                ErrorCode::InvalidMessage,
                u"names: \"%1\" is not a series (GET /api/v1/series/names lists them)"_s.arg(
                    name.left(64))};
        if (!mayRead(context, identity, *info))
            return Error{
                ErrorCode::PermissionDenied,
                info->readableWith.isEmpty()
                    ? u"names: \"%1\" is a hub-wide figure, for administrators"_s.arg(name)
                    : u"names: \"%1\" needs the right to read %2"_s.arg(name, info->readableWith)};
        QJsonArray points;
        for (const auto& [ms, value] : context.series.points(name, *parsed, nowMs))
            points.append(QJsonArray{double(ms), value});
        out.insert(name, points);
    }
    return out;
}

QJsonArray seriesCatalog(const OperatorContext& context, const Identity& identity)
{
    QJsonArray catalog;
    for (const SeriesInfo& info : context.series.all())
        catalog.append(QJsonObject{{u"name"_s, info.name},
                                   {u"unit"_s, info.unit},
                                   {u"summary"_s, info.summary},
                                   {u"hub_wide"_s, info.readableWith.isEmpty()},
                                   {u"readable"_s, mayRead(context, identity, info)}});
    return catalog;
}

QJsonArray topicsJson(const OperatorContext& context, qint64 nowMs)
{
    const auto& topics = context.hub.topics();
    QStringList names = topics.keys();
    names.sort();
    QJsonArray out;
    for (const QString& name : std::as_const(names)) {
        const Topic& topic = *topics.value(name);
        QMap<QString, int> perDialect;
        for (const Topic::EncoderGroup& group : topic.groups())
            perDialect[context.dialects.value(group.encoder, u"other"_s)] +=
                int(group.subscribers.size());
        QJsonObject dialects;
        for (auto it = perDialect.cbegin(); it != perDialect.cend(); ++it)
            dialects.insert(it.key(), it.value());
        const SeriesSampler::TopicRate rate = context.sampler.topicRate(name);
        const qint64 oldest = topic.oldestHistoryMs();
        out.append(QJsonObject{
            {u"name"_s, name},
            {u"subscribers"_s, topic.subscriberCount()},
            {u"subscribers_by_dialect"_s, dialects},
            {u"seq"_s, double(topic.lastSeq())},
            {u"events_per_second"_s, std::round(rate.eventsPerSecond * 100) / 100},
            {u"deliveries_per_second"_s, std::round(rate.deliveriesPerSecond * 100) / 100},
            {u"deliveries_total"_s, double(topic.deliveries())},
            {u"history_depth"_s, topic.historySize()},
            {u"history_age_seconds"_s,
             oldest > 0 ? std::round(double(nowMs - oldest) / 100.0) / 10.0 : 0.0},
            {u"last_event_at"_s, topic.lastEventMs() > 0
                                     ? QJsonValue(Json::isoTimestamp(topic.lastEventMs()))
                                     : QJsonValue(QJsonValue::Null)}});
    }
    return out;
}

std::variant<QJsonArray, Error> topicEventsJson(const OperatorContext& context,
                                                const Identity& identity, const QString& topic,
                                                int limit)
{
    if (limit < 1 || limit > maxTopicEvents)
        return Error{ErrorCode::InvalidMessage,
                     u"limit: must be from 1 to %1"_s.arg(maxTopicEvents)};
    if (!context.policy.canSubscribe(identity, topic))
        return Error{ErrorCode::PermissionDenied, u"not allowed to read %1"_s.arg(topic.left(200))};
    const Topic* found = context.hub.findTopic(topic);
    if (!found)
        return Error{ErrorCode::NotFound, u"no topic \"%1\""_s.arg(topic.left(200))};
    QJsonArray events;
    for (const EventPtr& event : found->recentEvents(limit))
        events.append(QJsonObject{{u"topic"_s, event->topic},
                                  {u"seq"_s, double(event->seq)},
                                  {u"event"_s, event->name},
                                  {u"ts"_s, Json::isoTimestamp(event->timestampMs)},
                                  {u"data"_s, event->data.object()}});
    return events;
}

QJsonObject connectionJson(const OperatorContext& context, const Subscriber& subscriber)
{
    const ConnectionInfo info = HubMonitor::connectionInfo(subscriber);
    const Endpoint* endpoint = context.endpoints.match(info.endpoint);
    return QJsonObject{
        {u"connection_id"_s, info.id},
        {u"user_id"_s, info.user},
        {u"role"_s, info.role},
        {u"tenant"_s, info.tenant},
        {u"endpoint"_s, info.endpoint},
        {u"endpoint_pattern"_s, endpoint ? endpoint->path : info.endpoint},
        {u"dialect"_s, context.dialects.value(&subscriber.encoder())},
        {u"remote_address"_s, info.remoteAddress},
        {u"connected_at"_s, info.since.toUTC().toString(Qt::ISODateWithMs)},
        {u"messages_in"_s, double(info.messagesIn)},
        {u"messages_out"_s, double(info.messagesOut)},
        {u"bytes_in"_s, double(info.bytesIn)},
        {u"bytes_out"_s, double(info.bytesOut)},
        {u"topics"_s, QJsonArray::fromStringList(info.topics)},
        {u"outbound_bytes"_s, double(info.outboundBytes)},
        {u"outbound_cap_bytes"_s, double(info.outboundCap)},
        {u"outbound_percent"_s,
         info.outboundCap > 0
             ? std::round(1000.0 * double(info.outboundBytes) / double(info.outboundCap)) / 10.0
             : 0.0},
        {u"token_expires_at"_s, info.tokenExpiresAt > 0
                                    ? QJsonValue(Json::isoTimestamp(info.tokenExpiresAt))
                                    : QJsonValue(QJsonValue::Null)}};
}

QJsonObject whoAmIJson(const OperatorContext& context, const Identity& identity)
{
    QJsonObject me{{u"auth_mode"_s, authModeName(context.authMode)},
                   {u"authenticated"_s, identity.isAuthenticated()},
                   {u"role"_s, roleName(identity.role)},
                   {u"admin"_s, mayReadHubWide(context, identity)}};
    if (identity.isAuthenticated()) {
        me.insert(u"sub"_s, identity.subject);
        me.insert(u"tenant"_s, identity.tenant);
        if (!identity.name.isEmpty())
            me.insert(u"name"_s, identity.name);
        if (identity.expiresAt > 0)
            me.insert(u"expires_at"_s, Json::isoTimestamp(identity.expiresAt));
    }
    return me;
}

void addOperatorRoutes(HttpRouter& router, const OperatorContext& context)
{
    using Method = QHttpServerRequest::Method;
    router.add(
        {Method::Get,
         u"/api/v1/series"_s,
         HttpAccess::User,
         u"Time series for charts: ?names=a,b&range=15m|1h|24h -> {name: [[unix_ms, value], ...]} "
         "(hub-wide series need the admin role)"_s,
         [&context](const HttpCall& call) {
             const QString names = query(call, u"names"_s);
             auto result = seriesJson(context, call.identity, names.split(u',', Qt::SkipEmptyParts),
                                      query(call, u"range"_s), QDateTime::currentMSecsSinceEpoch());
             if (auto* error = std::get_if<Error>(&result))
                 return errorResponse(*error);
             return HttpResponse::json(std::get<QJsonObject>(result));
         },
         {}});
    router.add({Method::Get,
                u"/api/v1/series/names"_s,
                HttpAccess::User,
                u"Every series the hub keeps, with its unit and whether the caller may read it"_s,
                [&context](const HttpCall& call) {
                    return HttpResponse::json(seriesCatalog(context, call.identity));
                },
                {}});
    router.add({Method::Get,
                u"/api/v1/topics"_s,
                HttpAccess::Admin,
                u"Every topic: subscribers per dialect, seq, events/s in, deliveries/s out, "
                "history depth and age, last event"_s,
                [&context](const HttpCall&) {
                    return HttpResponse::json(
                        topicsJson(context, QDateTime::currentMSecsSinceEpoch()));
                },
                {}});
    router.add(
        {Method::Get,
         u"/api/v1/topics/{name}/events"_s,
         HttpAccess::User,
         u"The last events of a topic's history (?limit=N, 1-1000, default 50), newest last; "
         "for whoever may subscribe to it"_s,
         [&context](const HttpCall& call) {
             const QString limitText = query(call, u"limit"_s);
             bool ok = true;
             const int limit = limitText.isEmpty() ? 50 : limitText.toInt(&ok);
             if (!ok || limit < 1 || limit > maxTopicEvents)
                 return errorResponse(Error{ErrorCode::InvalidMessage,
                                            u"limit: must be from 1 to %1"_s.arg(maxTopicEvents)});
             const QString topic = call.parameter(u"name"_s);
             // A room's tenant may be known on another node only: answered once it is.
             const DeferredResponse answer = call.defer();
             context.policy.checkSubscribe(
                 call.identity, {topic},
                 [&context, answer, identity = call.identity, topic,
                  limit](const QString& refused) {
                     if (!refused.isEmpty())
                         return answer(errorResponse(
                             Error{ErrorCode::PermissionDenied,
                                   u"not allowed to read %1"_s.arg(topic.left(200))}));
                     auto result = topicEventsJson(context, identity, topic, limit);
                     if (auto* error = std::get_if<Error>(&result))
                         return answer(errorResponse(*error));
                     answer(HttpResponse::json(std::get<QJsonArray>(result)));
                 });
             return answer.response();
         },
         {}});
    router.add({Method::Get,
                u"/api/v1/alerts/rules"_s,
                HttpAccess::Admin,
                u"The alert rules {id, metric, op, threshold, for_seconds, severity, webhook?}"_s,
                [&context](const HttpCall&) {
                    return HttpResponse::json(QJsonObject{
                        {u"rules"_s, context.alerts.rulesJson()},
                        {u"metrics"_s, QJsonArray::fromStringList(context.series.names())}});
                },
                {}});
    const QJsonObject ruleSchema{
        {u"type"_s, u"object"_s},
        {u"required"_s, QJsonArray{u"id"_s, u"metric"_s, u"op"_s, u"threshold"_s}},
        {u"properties"_s,
         QJsonObject{
             {u"id"_s, QJsonObject{{u"type"_s, u"string"_s}}},
             {u"metric"_s, QJsonObject{{u"type"_s, u"string"_s}}},
             {u"op"_s, QJsonObject{{u"enum"_s, QJsonArray::fromStringList(AlertRule::ops)}}},
             {u"threshold"_s, QJsonObject{{u"type"_s, u"number"_s}}},
             {u"for_seconds"_s, QJsonObject{{u"type"_s, u"integer"_s},
                                            {u"minimum"_s, 0},
                                            {u"maximum"_s, AlertRule::maxForSeconds}}},
             {u"severity"_s,
              QJsonObject{{u"enum"_s, QJsonArray::fromStringList(AlertRule::severities)}}},
             {u"webhook"_s, QJsonObject{{u"type"_s, u"string"_s}, {u"format"_s, u"uri"_s}}},
             {u"summary"_s, QJsonObject{{u"type"_s, u"string"_s}}}}}};
    router.add(
        {Method::Put, u"/api/v1/alerts/rules"_s, HttpAccess::Admin,
         u"Replace the alert rules (an array of rules, or {\"rules\": [...]}); kept in SQLite"_s,
         [&context](const HttpCall& call) {
             QJsonParseError parseError;
             const QJsonDocument body = QJsonDocument::fromJson(call.request.body(), &parseError);
             if (parseError.error != QJsonParseError::NoError)
                 return HttpResponse::error(
                     400, u"INVALID_JSON"_s,
                     u"invalid JSON at offset %1: %2"_s.arg(parseError.offset)
                         .arg(parseError.errorString()));
             const QJsonValue value =
                 body.isArray() ? QJsonValue(body.array()) : QJsonValue(body.object());
             if (auto error = context.alerts.setRules(value, call.identity.subject))
                 return errorResponse(*error);
             return HttpResponse::json(QJsonObject{{u"rules"_s, context.alerts.rulesJson()}});
         },
         QJsonObject{
             {u"oneOf"_s,
              QJsonArray{QJsonObject{{u"type"_s, u"array"_s}, {u"items"_s, ruleSchema}},
                         QJsonObject{{u"type"_s, u"object"_s},
                                     {u"properties"_s,
                                      QJsonObject{{u"rules"_s,
                                                   QJsonObject{{u"type"_s, u"array"_s},
                                                               {u"items"_s, ruleSchema}}}}}}}}}});
    router.add(
        {Method::Get,
         u"/api/v1/alerts"_s,
         HttpAccess::User,
         u"Firing and recent alerts {firing: [...], recent: [...]}, newest first"_s,
         [&context](const HttpCall&) { return HttpResponse::json(context.alerts.alertsJson()); },
         {}});
    router.add({Method::Post,
                u"/api/v1/alerts/{id}/ack"_s,
                HttpAccess::Admin,
                u"Acknowledge an alert"_s,
                [&context](const HttpCall& call) {
                    auto result =
                        context.alerts.acknowledge(call.parameter(u"id"_s), call.identity.subject);
                    if (auto* error = std::get_if<Error>(&result))
                        return errorResponse(*error);
                    return HttpResponse::json(std::get<QJsonObject>(result));
                },
                {}});
    router.add({Method::Get,
                u"/api/v1/me"_s,
                HttpAccess::Public,
                u"Who the caller is (from its bearer token) and whether it may use the "
                "administrators' routes"_s,
                [&context](const HttpCall& call) {
                    return HttpResponse::json(whoAmIJson(context, call.identity));
                },
                {}});
    router.add(
        {Method::Get,
         u"/api/v1/ws/connections/{id}"_s,
         HttpAccess::Admin,
         u"One connection in detail: topics, counters, outbound queue and its cap, "
         "dialect, token expiry"_s,
         [&context](const HttpCall& call) {
             const Subscriber* subscriber = context.subscribers.find(call.parameter(u"id"_s));
             if (!subscriber)
                 return HttpResponse::error(404, u"NOT_FOUND"_s, u"no connection with that id"_s);
             return HttpResponse::json(connectionJson(context, *subscriber));
         },
         {}});
}

} // namespace switchboard
