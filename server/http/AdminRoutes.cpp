#include "AdminRoutes.h"

#include "../cluster/Cluster.h"
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

// The request body as a JSON object, or the 400 that says why it is not one.
std::optional<HttpResponse> readObject(const QByteArray& body, QJsonObject& object)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
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

std::optional<HttpResponse> readObject(const HttpCall& call, QJsonObject& object)
{
    return readObject(call.request.body(), object);
}

const QString roomQuestion = QStringLiteral("room.reach");
const QString userQuestion = QStringLiteral("user.reach");
// Stored notifications for every node to deliver to its own 004 sessions; each answers how many
// received them.
const QString notificationDelivery = QStringLiteral("notification.deliver");
// Who a notification without a user_id is for: each node answers its users with an open 004
// session.
const QString notificationAudience = QStringLiteral("notification.audience");
// Each node's rooms (roomsHere), for a listing of the cluster's.
const QString roomsQuestion = QStringLiteral("rooms.list");

// The sum of `field` over the answers of the nodes other than this one.
int othersSum(const Cluster& cluster, const QList<Cluster::Answer>& answers, QLatin1String field)
{
    int sum = 0;
    for (const Cluster::Answer& answer : answers) {
        if (answer.node != cluster.nodeName())
            sum += answer.body.value(field).toInt();
    }
    return sum;
}

// Whether any node other than this one answered `field` true.
bool othersAny(const Cluster& cluster, const QList<Cluster::Answer>& answers, QLatin1String field)
{
    return std::any_of(answers.cbegin(), answers.cend(), [&](const Cluster::Answer& answer) {
        return answer.node != cluster.nodeName() && answer.body.value(field).toBool();
    });
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

// Every room of this node, whatever endpoint its members joined it by: 004's rooms with their
// sheets and activity, and the rooms only native or 002 clients are in (topic room:{id}), with
// what the hub knows of them. Each lists its `users`: the users (or anonymous connections) in
// the room here from every dialect.
QJsonArray roomsHere(const RouteContext& context, Collab& collab)
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
    const auto usersJson = [](const QSet<QString>& users) {
        QStringList sorted(users.cbegin(), users.cend());
        sorted.sort();
        return QJsonArray::fromStringList(sorted);
    };
    QJsonArray rooms;
    for (const Room* room : collab.rooms().all()) {
        QSet<QString> users = members.take(room->id);
        for (const auto& [sessionId, member] : room->members)
            users.insert(member.userId);
        QJsonObject entry = roomJson(*room);
        entry.insert(QLatin1String("users"), usersJson(users));
        rooms.append(entry);
    }
    for (auto it = members.cbegin(); it != members.cend(); ++it) {
        const QString topic = prefix + it.key();
        const quint64 seq = context.hub.currentSeq(topic);
        const Hub::Replay last = context.hub.eventsAfter(topic, seq > 0 ? seq - 1 : 0);
        rooms.append(QJsonObject{
            {QLatin1String("room_id"), it.key()},
            {QLatin1String("users"), usersJson(it.value())},
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

// The rooms of every node in one list, a room the nodes share once: its users are the union
// of each node's, its sheets and last activity the most any node has, its messages and joins
// per hour the sum of what each node counted (a room only native or 002 clients are in counts
// its topic's seq, the cluster's: the highest), its tenant the one any node knows. Each with
// `user_count` instead of `users`.
QJsonArray mergedRooms(const QList<QJsonArray>& nodes)
{
    QMap<QString, QJsonObject> byId;
    QMap<QString, QSet<QString>> users;
    for (const QJsonArray& rooms : nodes) {
        for (const QJsonValue& value : rooms) {
            const QJsonObject room = value.toObject();
            const QString id = room.value(QLatin1String("room_id")).toString();
            for (const QJsonValue& user : room.value(QLatin1String("users")).toArray())
                users[id].insert(user.toString());
            auto found = byId.find(id);
            if (found == byId.end()) {
                byId.insert(id, room);
                continue;
            }
            QJsonObject& merged = *found;
            const auto most = [&](QLatin1String field) {
                merged.insert(
                    field, std::max(merged.value(field).toDouble(), room.value(field).toDouble()));
            };
            const auto sum = [&](QLatin1String field) {
                if (!room.value(field).isNull())
                    merged.insert(field,
                                  merged.value(field).toDouble() + room.value(field).toDouble());
            };
            const bool byTopic = room.value(QLatin1String("avg_users_per_hour")).isNull() ||
                                 merged.value(QLatin1String("avg_users_per_hour")).isNull();
            most(QLatin1String("active_sheets_count"));
            if (byTopic) {
                most(QLatin1String("messages_sent"));
            } else {
                sum(QLatin1String("messages_sent"));
                sum(QLatin1String("avg_users_per_hour"));
            }
            if (merged.value(QLatin1String("avg_users_per_hour")).isNull())
                merged.insert(QLatin1String("avg_users_per_hour"),
                              room.value(QLatin1String("avg_users_per_hour")));
            if (room.value(QLatin1String("last_activity")).toString() >
                merged.value(QLatin1String("last_activity")).toString())
                merged.insert(QLatin1String("last_activity"),
                              room.value(QLatin1String("last_activity")));
            if (merged.value(QLatin1String("tenant")).toString().isEmpty())
                merged.insert(QLatin1String("tenant"), room.value(QLatin1String("tenant")));
        }
    }
    QJsonArray rooms;
    for (auto it = byId.begin(); it != byId.end(); ++it) {
        it->remove(QLatin1String("users"));
        it->insert(QLatin1String("user_count"), int(users.value(it.key()).size()));
        rooms.append(*it);
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
    const QJsonArray rooms = mergedRooms({roomsHere(context, collab)});
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

// A room as one node sees it: whether it exists there (a 004 room, or members in any dialect)
// and how many of that node's connections are in it.
struct RoomReach {
    bool exists = false;
    int members = 0;
};

RoomReach roomReach(const QString& roomId, Collab& collab, const Hub& hub)
{
    const int members = hub.subscriberCount(QStringLiteral("room:") + roomId);
    return {collab.rooms().find(roomId) != nullptr || members > 0, members};
}

// A room is a room whatever path its members came by: 004's rooms, 002's custom rooms and the
// native protocol's all live on topic room:{id}, so the broadcast reaches every member, each
// in its dialect's shape (004 flat, 002 {type, timestamp, data}, native an `event` of topic
// room:{id}), and no one else. A room without members in any dialect is not found. On a node
// of a cluster the topic carries the broadcast to the members on every node; `elsewhere` is
// what the other nodes said of the room.
HttpResponse roomBroadcast(const QString& roomId, const QByteArray& request, Collab& collab,
                           const Hub& hub, const RoomReach& elsewhere = {})
{
    if (!roomReach(roomId, collab, hub).exists && !elsewhere.exists)
        return HttpResponse::error(404, QStringLiteral("ROOM_NOT_FOUND"),
                                   QStringLiteral("no room \"%1\"").arg(roomId.left(128)));
    QJsonObject body;
    if (auto problem = readObject(request, body))
        return *problem;
    Fields fields(body, {});
    const QString type =
        fields.optionalString(QStringLiteral("type"), QStringLiteral("room_broadcast"), 100);
    if (!fields.ok())
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"), fields.error()->message);
    body.insert(QLatin1String("timestamp"), Json::isoNow());
    const int delivered = collab.publishToRoom(roomId, type, body) + elsewhere.members;
    return HttpResponse::json(QJsonObject{{QLatin1String("status"), QLatin1String("sent")},
                                          {QLatin1String("room_id"), roomId},
                                          {QLatin1String("delivered"), delivered}});
}

HttpResponse roomBroadcast(const HttpCall& call, Collab& collab, const RouteContext& context)
{
    const QString roomId = call.parameter(QStringLiteral("id"));
    if (!context.cluster)
        return roomBroadcast(roomId, call.request.body(), collab, context.hub);
    const DeferredResponse answer = call.defer();
    Cluster& cluster = *context.cluster;
    cluster.ask(roomQuestion, {{QLatin1String("room_id"), roomId}}, Cluster::answerTimeout,
                [answer, roomId, body = call.request.body(), &collab, &hub = context.hub,
                 &cluster](const QList<Cluster::Answer>& answers) {
                    const RoomReach elsewhere{
                        othersAny(cluster, answers, QLatin1String("exists")),
                        othersSum(cluster, answers, QLatin1String("members"))};
                    answer(roomBroadcast(roomId, body, collab, hub, elsewhere));
                });
    return answer.response();
}

// Where a user is connected, as one node sees it: with any session (of any dialect), with a
// session of another tenant than `tenant` (empty: any tenant is fine), and how many of that
// node's connections a publication on user:{id} reaches.
struct UserReach {
    bool connected = false;
    bool foreign = false;
    int subscribers = 0;
};

UserReach userReach(const QString& userId, const QString& tenant, Collab& collab,
                    const Subscribers& subscribers, const Hub& hub)
{
    UserReach reach;
    reach.connected = collab.sessionCountOf(userId) > 0;
    for (const Subscriber* subscriber : subscribers.all()) {
        if (subscriber->identity().subject != userId)
            continue;
        reach.connected = true;
        reach.foreign =
            reach.foreign || (!tenant.isEmpty() && subscriber->identity().tenant != tenant);
    }
    reach.subscribers = hub.subscriberCount(QStringLiteral("user:") + userId);
    return reach;
}

// The tenant a caller may notify users of; empty: any (an administrator, or a caller without a
// tenant).
QString notifiableTenant(const Identity& caller)
{
    return caller.isAdmin() ? QString() : caller.tenant;
}

// `here` is what this node knows of the user, `elsewhere` what the other nodes of a cluster
// said (the publication on user:{id} reaches the user's sessions on every node).
HttpResponse notifyUser(const QString& userId, const QByteArray& request, Hub& hub,
                        const UserReach& here, const UserReach& elsewhere = {})
{
    if (!here.connected && !elsewhere.connected)
        return HttpResponse::error(
            404, QStringLiteral("NOT_FOUND"),
            QStringLiteral("user \"%1\" is not connected").arg(userId.left(128)));
    // A service of one tenant may not reach the users of another (SPEC §2.1: 403).
    if (here.foreign || elsewhere.foreign)
        return HttpResponse::error(
            403, QStringLiteral("PERMISSION_DENIED"),
            QStringLiteral("user \"%1\" belongs to another tenant").arg(userId.left(128)));
    QJsonObject body;
    if (auto problem = readObject(request, body))
        return *problem;
    Fields fields(body, {});
    const QString type =
        fields.optionalString(QStringLiteral("type"), QStringLiteral("notification"), 100);
    if (!fields.ok())
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"), fields.error()->message);
    body.remove(QLatin1String("type"));
    body.insert(QLatin1String("timestamp"), Json::isoNow());
    const Hub::PublishResult result = hub.publish(QStringLiteral("user:") + userId, type, body);
    return HttpResponse::json(
        QJsonObject{{QLatin1String("status"), QLatin1String("sent")},
                    {QLatin1String("user_id"), userId},
                    {QLatin1String("delivered"), result.delivered + elsewhere.subscribers}});
}

HttpResponse notifyUser(const HttpCall& call, Collab& collab, const RouteContext& context)
{
    const QString userId = call.parameter(QStringLiteral("id"));
    const QString tenant = notifiableTenant(call.identity);
    const UserReach here = userReach(userId, tenant, collab, context.subscribers, context.hub);
    if (!context.cluster)
        return notifyUser(userId, call.request.body(), context.hub, here);
    const DeferredResponse answer = call.defer();
    Cluster& cluster = *context.cluster;
    cluster.ask(
        userQuestion, {{QLatin1String("user_id"), userId}, {QLatin1String("tenant"), tenant}},
        Cluster::answerTimeout,
        [answer, userId, here, body = call.request.body(), &hub = context.hub,
         &cluster](const QList<Cluster::Answer>& answers) {
            const UserReach elsewhere{othersAny(cluster, answers, QLatin1String("connected")),
                                      othersAny(cluster, answers, QLatin1String("foreign")),
                                      othersSum(cluster, answers, QLatin1String("subscribers"))};
            answer(notifyUser(userId, body, hub, here, elsewhere));
        });
    return answer.response();
}

// What this node answers the others' questions about rooms and users.
void answerForThisNode(Cluster& cluster, const RouteContext& context, Collab& collab)
{
    // A room's members and a user's sessions are counted here once their topic takes the
    // cluster's publications: the asking node publishes on this answer, and a publication that
    // reached Redis while this node was still asking where the topic stands would be taken for
    // history from before the members joined, and never delivered to them.
    cluster.handleLater(
        roomQuestion, [&collab, &hub = context.hub](const QJsonObject& message,
                                                    const Cluster::Answering& answer) {
            const QString roomId = message.value(QLatin1String("room_id")).toString();
            const RoomReach reach = roomReach(roomId, collab, hub);
            hub.whenReady({QStringLiteral("room:") + roomId}, [answer, reach] {
                answer({{QLatin1String("exists"), reach.exists},
                        {QLatin1String("members"), reach.members}});
            });
        });
    cluster.handleLater(userQuestion, [&collab, &context](const QJsonObject& message,
                                                          const Cluster::Answering& answer) {
        const QString userId = message.value(QLatin1String("user_id")).toString();
        const UserReach reach = userReach(userId, message.value(QLatin1String("tenant")).toString(),
                                          collab, context.subscribers, context.hub);
        context.hub.whenReady({QStringLiteral("user:") + userId}, [answer, reach] {
            answer({{QLatin1String("connected"), reach.connected},
                    {QLatin1String("foreign"), reach.foreign},
                    {QLatin1String("subscribers"), reach.subscribers}});
        });
    });
    cluster.handle(roomsQuestion, [&collab, &context](const QJsonObject&) {
        return QJsonObject{{QLatin1String("rooms"), roomsHere(context, collab)}};
    });
    cluster.handle(notificationAudience, [&collab](const QJsonObject&) {
        return QJsonObject{
            {QLatin1String("users"), QJsonArray::fromStringList(collab.connectedUsers())}};
    });
    cluster.handle(notificationDelivery, [&collab](const QJsonObject& message) {
        int delivered = 0;
        for (const QJsonValue& record : message.value(QLatin1String("notifications")).toArray())
            delivered += collab.deliver(Notification::fromRecord(record.toObject()));
        return QJsonObject{{QLatin1String("delivered"), delivered}};
    });
}

// GET /api/v1/ws/rooms: every node's rooms in one list (mergedRooms).
HttpResponse listRooms(const HttpCall& call, const RouteContext& context, Collab& collab)
{
    if (!context.cluster)
        return HttpResponse::json(mergedRooms({roomsHere(context, collab)}));
    const DeferredResponse answer = call.defer();
    context.cluster->ask(roomsQuestion, {}, Cluster::answerTimeout,
                         [answer](const QList<Cluster::Answer>& answers) {
                             QList<QJsonArray> nodes;
                             for (const Cluster::Answer& node : answers)
                                 nodes.append(node.body.value(QLatin1String("rooms")).toArray());
                             answer(HttpResponse::json(mergedRooms(nodes)));
                         });
    return answer.response();
}

// Stores a copy of the notification for each user, then delivers it live to their sessions (on
// every node in a cluster, each node to its own: once per session) and answers how many
// received it. Stored before it is delivered or acknowledged: an unread notification survives
// a crash.
void storeAndDeliver(const DeferredResponse& answer, Collab& collab, NotificationStore& store,
                     Cluster* cluster, const Notification& notification, const QStringList& users)
{
    QList<Notification> stored;
    for (const QString& user : users) {
        Notification copy = notification;
        copy.userId = user;
        stored.append(copy);
    }
    const auto created = [id = notification.id, eventType = notification.eventType,
                          recipients = users.size()](int delivered) {
        return HttpResponse::json(QJsonObject{{QLatin1String("status"), QLatin1String("created")},
                                              {QLatin1String("notification_id"), id},
                                              {QLatin1String("event_type"), eventType},
                                              {QLatin1String("recipients"), recipients},
                                              {QLatin1String("delivered"), delivered}});
    };
    if (stored.isEmpty())
        return answer(created(0));
    store.add(stored, &collab, [answer, &collab, cluster, stored, created](bool durable) {
        if (!durable)
            return answer(
                HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                    QStringLiteral("the notification could not be stored")));
        if (!cluster) {
            int delivered = 0;
            for (const Notification& n : stored)
                delivered += collab.deliver(n);
            return answer(created(delivered));
        }
        QJsonArray records;
        for (const Notification& n : stored)
            records.append(n.toRecord());
        cluster->ask(notificationDelivery, {{QLatin1String("notifications"), records}},
                     Cluster::answerTimeout,
                     [answer, created](const QList<Cluster::Answer>& answers) {
                         int delivered = 0;
                         for (const Cluster::Answer& node : answers)
                             delivered += node.body.value(QLatin1String("delivered")).toInt();
                         answer(created(delivered));
                     });
    });
}

HttpResponse broadcastNotification(const HttpCall& call, Collab& collab, NotificationStore& store,
                                   Cluster* cluster)
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

    const DeferredResponse answer = call.defer();
    // Without a user_id: everyone with an open 004 connection, on every node.
    if (userId.isEmpty() && cluster) {
        cluster->ask(notificationAudience, {}, Cluster::answerTimeout,
                     [answer, &collab, &store, cluster,
                      notification](const QList<Cluster::Answer>& answers) {
                         QStringList users;
                         for (const Cluster::Answer& node : answers) {
                             for (const QJsonValue& user :
                                  node.body.value(QLatin1String("users")).toArray())
                                 users.append(user.toString());
                         }
                         users.removeDuplicates();
                         storeAndDeliver(answer, collab, store, cluster, notification, users);
                     });
        return answer.response();
    }
    storeAndDeliver(answer, collab, store, cluster, notification,
                    userId.isEmpty() ? collab.connectedUsers() : QStringList{userId});
    return answer.response();
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
    router.add(
        {Method::Get,
         QStringLiteral("/api/v1/ws/rooms"),
         HttpAccess::Admin,
         QStringLiteral("Every room, whichever endpoint its members joined it by: "
                        "[{room_id, user_count, active_sheets_count, last_activity, "
                        "messages_sent, avg_users_per_hour}]"),
         [&context, &collab](const HttpCall& call) { return listRooms(call, context, collab); },
         {}});
    router.add(
        {Method::Post, QStringLiteral("/api/v1/ws/rooms/{id}/broadcast"), HttpAccess::Admin,
         QStringLiteral("Send the JSON body (its `type` names the message) to a room's "
                        "members, whichever endpoint they joined it by (004, 002, native)"),
         [&context, &collab](const HttpCall& call) { return roomBroadcast(call, collab, context); },
         bodySchema({"type", "title", "message"})});
    router.add(
        {Method::Post, QStringLiteral("/api/v1/ws/users/{id}/notify"), HttpAccess::ServiceOrAdmin,
         QStringLiteral("Send the JSON body to every session of a connected user"),
         [&context, &collab](const HttpCall& call) { return notifyUser(call, collab, context); },
         bodySchema({"type", "from", "message"})});
    router.add({Method::Post, QStringLiteral("/api/v1/ws/broadcast/notification"),
                HttpAccess::ServiceOrAdmin,
                QStringLiteral("Store a notification (?event_type=, default notification_created) "
                               "for user_id, or for every connected 004 user, and deliver it "
                               "through their filters"),
                [&collab, &notifications, cluster = context.cluster](const HttpCall& call) {
                    return broadcastNotification(call, collab, notifications, cluster);
                },
                bodySchema({"user_id", "title", "message", "category", "priority", "module_name"},
                           {"title"})});
    if (context.cluster)
        answerForThisNode(*context.cluster, context, collab);
}

} // namespace switchboard
