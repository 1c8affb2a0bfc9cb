#include "AdminRoutes.h"

#include "../collab/Collab.h"
#include "../hub/Hub.h"
#include "../hub/HubMetrics.h"
#include "../hub/Subscriber.h"
#include "../hub/Subscribers.h"
#include "../monitor/HubMonitor.h"
#include "../protocol/Endpoints.h"
#include "../protocol/Fields.h"
#include "../store/NotificationStore.h"
#include "../wire/Json.h"
#include "HttpRouter.h"
#include "RouteContext.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QUrlQuery>
#include <QUuid>

#include <algorithm>
#include <chrono>

namespace switchboard {

namespace {

constexpr qint64 notificationCommitWaitMs = 5000;

// The request body as a JSON object, or the 400 that says why it is not one.
std::optional<HttpResponse> readObject(const HttpCall& call, QJsonObject& object)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(call.request.body(), &error);
    if (error.error != QJsonParseError::NoError)
        return HttpResponse::error(400, QStringLiteral("INVALID_JSON"),
                                   QStringLiteral("invalid JSON at offset %1: %2")
                                       .arg(error.offset)
                                       .arg(error.errorString()));
    if (!document.isObject())
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"),
                                   QStringLiteral("the body must be a JSON object"));
    object = document.object();
    return std::nullopt;
}

QJsonObject roomJson(const Room& room)
{
    // Joins per hour over the room's life, counting at least one hour.
    const double hours =
        std::max(1.0, double(QDateTime::currentMSecsSinceEpoch() - room.createdMs) / 3'600'000.0);
    return QJsonObject{
        {QLatin1String("room_id"), room.id},
        {QLatin1String("user_count"), room.userCount()},
        {QLatin1String("active_sheets_count"), room.sheetOrder.size()},
        {QLatin1String("last_activity"), Json::isoTimestamp(room.lastActivityMs)},
        {QLatin1String("messages_sent"), double(room.messagesSent)},
        {QLatin1String("avg_users_per_hour"), std::round(double(room.joins) / hours * 10.0) / 10.0},
        {QLatin1String("tenant"), room.tenant}};
}

// Every room, whatever endpoint its members joined it by: 004's rooms with their sheets and
// activity, and the rooms only native or 002 clients are in (topic room:{id}), with what the
// hub knows of them. user_count counts the users (or anonymous connections) in the room from
// every dialect.
QJsonArray allRooms(const RouteContext& context, Collab& collab)
{
    const QLatin1String prefix("room:");
    QMap<QString, QSet<QString>> members; // room id -> users or anonymous connections
    for (const Subscriber* subscriber : context.subscribers.all()) {
        const QString& user = subscriber->identity().subject;
        for (const QString& topic : subscriber->topics()) {
            if (topic.startsWith(prefix))
                members[topic.mid(prefix.size())].insert(user.isEmpty() ? subscriber->id() : user);
        }
    }
    QJsonArray rooms;
    for (const Room* room : collab.rooms().all()) {
        QJsonObject entry = roomJson(*room);
        entry.insert(QLatin1String("user_count"),
                     std::max(room->userCount(), int(members.take(room->id).size())));
        rooms.append(entry);
    }
    for (auto it = members.cbegin(); it != members.cend(); ++it) {
        const QString topic = prefix + it.key();
        const quint64 seq = context.hub.currentSeq(topic);
        const Hub::Replay last = context.hub.eventsAfter(topic, seq > 0 ? seq - 1 : 0);
        rooms.append(QJsonObject{
            {QLatin1String("room_id"), it.key()},
            {QLatin1String("user_count"), int(it.value().size())},
            {QLatin1String("active_sheets_count"), 0},
            {QLatin1String("last_activity"),
             last.events.empty() ? QJsonValue(QJsonValue::Null)
                                 : QJsonValue(Json::isoTimestamp(last.events.back()->timestampMs))},
            {QLatin1String("messages_sent"), double(seq)},
            {QLatin1String("avg_users_per_hour"), QJsonValue(QJsonValue::Null)},
            {QLatin1String("tenant"), QString()}});
    }
    return rooms;
}

HttpResponse detailedStats(const RouteContext& context, Collab& collab)
{
    QMap<QString, int> perEndpoint;
    QMap<QString, int> perTopic;
    QJsonArray connections;
    for (const Subscriber* subscriber : context.subscribers.all()) {
        const ConnectionInfo info = HubMonitor::connectionInfo(*subscriber);
        ++perEndpoint[info.endpoint];
        for (const QString& topic : info.topics)
            ++perTopic[topic];
        connections.append(QJsonObject{
            {QLatin1String("connection_id"), info.id},
            {QLatin1String("user_id"), info.user},
            {QLatin1String("role"), info.role},
            {QLatin1String("tenant"), info.tenant},
            {QLatin1String("endpoint"), info.endpoint},
            {QLatin1String("remote_address"), info.remoteAddress},
            {QLatin1String("connected_at"), info.since.toUTC().toString(Qt::ISODateWithMs)},
            {QLatin1String("messages_in"), double(info.messagesIn)},
            {QLatin1String("messages_out"), double(info.messagesOut)},
            {QLatin1String("bytes_in"), double(info.bytesIn)},
            {QLatin1String("bytes_out"), double(info.bytesOut)},
            {QLatin1String("outbound_bytes"), double(info.outboundBytes)},
            {QLatin1String("outbound_cap_bytes"), double(info.outboundCap)},
            {QLatin1String("topics"), QJsonArray::fromStringList(info.topics)}});
    }
    QJsonObject endpoints;
    for (const Endpoint& endpoint : context.endpoints.all())
        endpoints.insert(endpoint.path, perEndpoint.value(endpoint.path));
    for (auto it = perEndpoint.cbegin(); it != perEndpoint.cend(); ++it)
        endpoints.insert(it.key(), it.value());
    QJsonObject topics;
    for (auto it = perTopic.cbegin(); it != perTopic.cend(); ++it)
        topics.insert(it.key(), QJsonObject{{QLatin1String("subscribers"), it.value()},
                                            {QLatin1String("seq"),
                                             double(context.hub.currentSeq(it.key()))}});
    const QJsonArray rooms = allRooms(context, collab);
    return HttpResponse::json(QJsonObject{
        {QLatin1String("total_connections"), context.subscribers.count()},
        {QLatin1String("authenticated_connections"), context.subscribers.authenticatedCount()},
        {QLatin1String("rooms_active"), context.hub.activeTopicsWithPrefix(QLatin1String("room:"))},
        {QLatin1String("messages_per_second"),
         context.monitor.messagesInPerSecond() + context.monitor.messagesOutPerSecond()},
        {QLatin1String("uptime_seconds"), double(context.monitor.uptimeSeconds())},
        {QLatin1String("topics_total"), context.hub.topicCount()},
        {QLatin1String("published_total"), double(context.metrics.published)},
        {QLatin1String("per_endpoint"), endpoints},
        {QLatin1String("per_topic"), topics},
        {QLatin1String("per_connection"), connections},
        {QLatin1String("rooms"), rooms},
        {QLatin1String("timestamp"), Json::isoNow()}});
}

// A room is a room whatever path its members came by: 004's rooms, 002's custom rooms and the
// native protocol's all live on topic room:{id}, so the broadcast reaches every member, each
// in its dialect's shape (004 flat, 002 {type, timestamp, data}, native an `event` of topic
// room:{id}), and no one else. A room without members in any dialect is not found.
HttpResponse roomBroadcast(const HttpCall& call, Collab& collab, const Hub& hub)
{
    const QString roomId = call.parameter(QStringLiteral("id"));
    if (!collab.rooms().find(roomId) && hub.subscriberCount(QStringLiteral("room:") + roomId) == 0)
        return HttpResponse::error(404, QStringLiteral("ROOM_NOT_FOUND"),
                                   QStringLiteral("no room \"%1\"").arg(roomId.left(128)));
    QJsonObject body;
    if (auto problem = readObject(call, body))
        return *problem;
    Fields fields(body, {});
    const QString type =
        fields.optionalString(QStringLiteral("type"), QStringLiteral("room_broadcast"), 100);
    if (!fields.ok())
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"), fields.error()->message);
    body.insert(QLatin1String("timestamp"), Json::isoNow());
    const int delivered = collab.publishToRoom(roomId, type, body);
    return HttpResponse::json(QJsonObject{{QLatin1String("status"), QLatin1String("sent")},
                                          {QLatin1String("room_id"), roomId},
                                          {QLatin1String("delivered"), delivered}});
}

HttpResponse notifyUser(const HttpCall& call, Collab& collab, const Subscribers& subscribers,
                        Hub& hub)
{
    const QString userId = call.parameter(QStringLiteral("id"));
    // A service of one tenant may not reach the users of another (SPEC §2.1: 403).
    const bool anyTenant = call.identity.isAdmin() || call.identity.tenant.isEmpty();
    bool connected = collab.sessionCountOf(userId) > 0;
    bool foreign = false;
    for (const Subscriber* subscriber : subscribers.all()) {
        if (subscriber->identity().subject != userId)
            continue;
        connected = true;
        foreign = foreign || (!anyTenant && subscriber->identity().tenant != call.identity.tenant);
    }
    if (!connected)
        return HttpResponse::error(
            404, QStringLiteral("NOT_FOUND"),
            QStringLiteral("user \"%1\" is not connected").arg(userId.left(128)));
    if (foreign)
        return HttpResponse::error(
            403, QStringLiteral("PERMISSION_DENIED"),
            QStringLiteral("user \"%1\" belongs to another tenant").arg(userId.left(128)));
    QJsonObject body;
    if (auto problem = readObject(call, body))
        return *problem;
    Fields fields(body, {});
    const QString type =
        fields.optionalString(QStringLiteral("type"), QStringLiteral("notification"), 100);
    if (!fields.ok())
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"), fields.error()->message);
    body.remove(QLatin1String("type"));
    body.insert(QLatin1String("timestamp"), Json::isoNow());
    const Hub::PublishResult result = hub.publish(QStringLiteral("user:") + userId, type, body);
    return HttpResponse::json(QJsonObject{{QLatin1String("status"), QLatin1String("sent")},
                                          {QLatin1String("user_id"), userId},
                                          {QLatin1String("delivered"), result.delivered}});
}

HttpResponse broadcastNotification(const HttpCall& call, Collab& collab, NotificationStore& store)
{
    const QUrlQuery query(call.request.url());
    const QString eventType = query.hasQueryItem(QStringLiteral("event_type"))
                                  ? query.queryItemValue(QStringLiteral("event_type"))
                                  : QStringLiteral("notification_created");
    static const QRegularExpression eventPattern(QStringLiteral("^[a-z][a-z0-9_]{0,63}$"));
    if (!eventPattern.match(eventType).hasMatch())
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"),
                                   QStringLiteral("event_type must be a lower_case name"));
    QJsonObject body;
    if (auto problem = readObject(call, body))
        return *problem;
    Fields fields(body, {});
    const QString userId = fields.optionalString(QStringLiteral("user_id"), {}, 128);
    Notification notification;
    notification.eventType = eventType;
    notification.title = fields.requiredString(QStringLiteral("title"), 256);
    notification.message = fields.optionalString(QStringLiteral("message"), {}, 4000);
    notification.category =
        fields.optionalString(QStringLiteral("category"), QStringLiteral("system"), 64);
    notification.priority =
        fields.optionalString(QStringLiteral("priority"), QStringLiteral("normal"), 32);
    notification.moduleName = fields.optionalString(QStringLiteral("module_name"), {}, 64);
    notification.id = fields.optionalString(
        QStringLiteral("id"),
        QStringLiteral("notif_") + QUuid::createUuid().toString(QUuid::Id128).left(16), 128);
    if (!fields.ok())
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"), fields.error()->message);
    static const QStringList known{QStringLiteral("user_id"),  QStringLiteral("title"),
                                   QStringLiteral("message"),  QStringLiteral("category"),
                                   QStringLiteral("priority"), QStringLiteral("module_name"),
                                   QStringLiteral("id")};
    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        if (!known.contains(it.key()))
            notification.data.insert(it.key(), it.value());
    }
    notification.createdAt = QDateTime::currentMSecsSinceEpoch();

    // Without a user_id: everyone with an open 004 connection.
    const QStringList users = userId.isEmpty() ? collab.connectedUsers() : QStringList{userId};
    QList<Notification> stored;
    for (const QString& user : users) {
        Notification copy = notification;
        copy.userId = user;
        stored.append(copy);
    }
    // Stored before it is delivered or acknowledged: an unread notification survives a crash.
    if (!stored.isEmpty()) {
        std::future<bool> committed = store.add(stored);
        if (committed.wait_for(std::chrono::milliseconds(notificationCommitWaitMs)) !=
                std::future_status::ready ||
            !committed.get())
            return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                       QStringLiteral("the notification could not be stored"));
    }
    int delivered = 0;
    for (const Notification& n : std::as_const(stored))
        delivered += collab.deliver(n);
    return HttpResponse::json(QJsonObject{{QLatin1String("status"), QLatin1String("created")},
                                          {QLatin1String("notification_id"), notification.id},
                                          {QLatin1String("event_type"), eventType},
                                          {QLatin1String("recipients"), users.size()},
                                          {QLatin1String("delivered"), delivered}});
}

QJsonObject bodySchema(std::initializer_list<const char*> names,
                       std::initializer_list<const char*> required = {})
{
    QJsonObject properties;
    for (const char* name : names)
        properties.insert(QLatin1String(name),
                          QJsonObject{{QLatin1String("type"), QLatin1String("string")}});
    QJsonArray requiredNames;
    for (const char* name : required)
        requiredNames.append(QLatin1String(name));
    QJsonObject schema{{QLatin1String("type"), QLatin1String("object")},
                       {QLatin1String("properties"), properties}};
    if (!requiredNames.isEmpty())
        schema.insert(QLatin1String("required"), requiredNames);
    return schema;
}

} // namespace

void addAdminRoutes(HttpRouter& router, const RouteContext& context, Collab& collab,
                    NotificationStore& notifications)
{
    using Method = QHttpServerRequest::Method;
    router.add({Method::Get,
                QStringLiteral("/api/v1/ws/stats/detailed"),
                HttpAccess::Admin,
                QStringLiteral("Per-endpoint, per-topic, per-connection and per-room figures"),
                [&context, &collab](const HttpCall&) { return detailedStats(context, collab); },
                {}});
    router.add({Method::Get,
                QStringLiteral("/api/v1/ws/rooms"),
                HttpAccess::Admin,
                QStringLiteral("Every room, whichever endpoint its members joined it by: "
                               "[{room_id, user_count, active_sheets_count, last_activity, "
                               "messages_sent, avg_users_per_hour}]"),
                [&context, &collab](const HttpCall&) {
                    return HttpResponse::json(allRooms(context, collab));
                },
                {}});
    router.add({Method::Post, QStringLiteral("/api/v1/ws/rooms/{id}/broadcast"), HttpAccess::Admin,
                QStringLiteral("Send the JSON body (its `type` names the message) to a room's "
                               "members, whichever endpoint they joined it by (004, 002, native)"),
                [&context, &collab](const HttpCall& call) {
                    return roomBroadcast(call, collab, context.hub);
                },
                bodySchema({"type", "title", "message"})});
    router.add({Method::Post, QStringLiteral("/api/v1/ws/users/{id}/notify"),
                HttpAccess::ServiceOrAdmin,
                QStringLiteral("Send the JSON body to every session of a connected user"),
                [&context, &collab](const HttpCall& call) {
                    return notifyUser(call, collab, context.subscribers, context.hub);
                },
                bodySchema({"type", "from", "message"})});
    router.add({Method::Post, QStringLiteral("/api/v1/ws/broadcast/notification"),
                HttpAccess::ServiceOrAdmin,
                QStringLiteral("Store a notification (?event_type=, default notification_created) "
                               "for user_id, or for every connected 004 user, and deliver it "
                               "through their filters"),
                [&collab, &notifications](const HttpCall& call) {
                    return broadcastNotification(call, collab, notifications);
                },
                bodySchema({"user_id", "title", "message", "category", "priority", "module_name"},
                           {"title"})});
}

} // namespace switchboard
