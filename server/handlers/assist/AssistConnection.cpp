// 002 connections on `/ws/connect`: greeted with `connection`, joined to `alerts`, their own
// room `document_updates_{user_id}` and (administrators) `admin`; the `admin` room hears of
// every user that connects or disconnects. Hub-wide, every user's document updates are
// mirrored into `all_document_updates`, the administrators' room. Under --auth required
// ("JWT tokens are required for connection") a connection without a token signs in first:
// its `connection` comes after a valid `auth` (AssistAuthHandler), and until then nothing
// else is served (signInFirst).

#include "AssistConnection.h"

#include "../../config/HubConfig.h"
#include "../../hub/Hub.h"
#include "../../hub/PresenceStore.h"
#include "../../hub/Subscriber.h"
#include "../../wire/Json.h"
#include "../HandlerRegistry.h"

namespace switchboard {

namespace assist {

QJsonObject connectionData(const Subscriber& subscriber)
{
    const Identity& identity = subscriber.identity();
    return {{QLatin1String("status"), identity.isAuthenticated() ? QLatin1String("authenticated")
                                                                 : QLatin1String("connected")},
            {QLatin1String("connection_id"), subscriber.id()},
            {QLatin1String("authenticated"), identity.isAuthenticated()},
            {QLatin1String("user_id"),
             identity.isAuthenticated() ? QJsonValue(identity.subject) : QJsonValue()},
            {QLatin1String("role"), roleName(identity.role)}};
}

void announceActivity(const Subscriber& subscriber, Hub& hub, const QString& action)
{
    if (!subscriber.identity().isAuthenticated())
        return;
    hub.publish(QStringLiteral("admin"), QStringLiteral("user_activity"),
                {{QLatin1String("user_id"), subscriber.identity().subject},
                 {QLatin1String("action"), action},
                 {QLatin1String("connection_id"), subscriber.id()},
                 {QLatin1String("timestamp"), Json::isoNow()}});
}

QString topicOfRoom(const QString& room)
{
    if (room == QLatin1String("system_monitoring"))
        return QStringLiteral("system_metrics");
    if (room == QLatin1String("background_jobs"))
        return QStringLiteral("jobs");
    if (room == QLatin1String("admin") || room == QLatin1String("all_document_updates") ||
        room.startsWith(QLatin1String("document_updates_")))
        return room;
    return QStringLiteral("room:") + room;
}

} // namespace assist

namespace {

QStringList autoTopics(const Identity& identity, const QString& /*path*/)
{
    QStringList topics{QStringLiteral("alerts")};
    if (identity.isAuthenticated())
        topics.append(QStringLiteral("document_updates_") + identity.subject);
    if (identity.isAdmin())
        topics.append(QStringLiteral("admin"));
    return topics;
}

void opened(HandlerContext& context)
{
    if (!context.subscriber.identity().isAuthenticated() &&
        context.services.config.authMode == AuthMode::Required)
        return; // greeted once signed in
    context.send(QLatin1String("connection"), assist::connectionData(context.subscriber));
    assist::announceActivity(context.subscriber, context.services.hub, QStringLiteral("connected"));
}

void closed(HandlerContext& context)
{
    assist::announceActivity(context.subscriber, context.services.hub,
                             QStringLiteral("disconnected"));
    // Out of the custom rooms' presence on every node.
    const QStringList topics = context.subscriber.topics();
    for (const QString& topic : topics) {
        if (topic.startsWith(QLatin1String("room:")))
            context.services.presence.remove(topic, context.subscriber.id());
    }
}

void install(Services& services)
{
    // Administrators follow every user's document updates in one room.
    Hub& hub = services.hub;
    hub.setTap(QStringLiteral("document_updates_*"), [&hub](const Event& event) {
        hub.publish(QStringLiteral("all_document_updates"), event.name, event.data);
    });
}

} // namespace

SWITCHBOARD_REGISTER_CONNECTION_HOOKS(.dialect = QLatin1String("assist"), .autoTopics = &autoTopics,
                                      .opened = &opened, .closed = &closed, .install = &install,
                                      .signInFirst = true)

} // namespace switchboard
