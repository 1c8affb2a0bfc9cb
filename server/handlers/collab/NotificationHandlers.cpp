// 004 notifications: `subscribe_notifications {categories?, modules?, priorities?}` sets the
// filter the session's notifications pass through (a list left out lets everything
// through); `notification_read {notification_id}` marks one read in the database, so it is
// not delivered again on the next connect.

#include "../../hub/Subscribers.h"
#include "../HandlerRegistry.h"
#include "CollabHandlers.h"

namespace switchboard {
namespace {

constexpr int maxFilterValues = 64;

QJsonObject subscribeSchema()
{
    const QJsonObject list{
        {QLatin1String("type"), QLatin1String("array")},
        {QLatin1String("items"), QJsonObject{{QLatin1String("type"), QLatin1String("string")}}}};
    return QJsonObject{
        {QLatin1String("type"), QLatin1String("object")},
        {QLatin1String("properties"), QJsonObject{{QLatin1String("categories"), list},
                                                  {QLatin1String("modules"), list},
                                                  {QLatin1String("priorities"), list}}}};
}

QSet<QString> optionalSet(Fields& fields, const QJsonObject& message, const QString& name)
{
    if (!message.contains(name) || message.value(name).isNull())
        return {};
    if (message.value(name).toArray().isEmpty() && message.value(name).isArray())
        return {};
    const QStringList values = fields.requiredStringList(name, maxFilterValues, 64);
    return QSet<QString>(values.cbegin(), values.cend());
}

void subscribe(HandlerContext& context)
{
    const QJsonObject& message = context.message.data;
    Fields fields(message, {});
    NotificationFilter filter;
    filter.categories = optionalSet(fields, message, QStringLiteral("categories"));
    filter.modules = optionalSet(fields, message, QStringLiteral("modules"));
    filter.priorities = optionalSet(fields, message, QStringLiteral("priorities"));
    if (!fields.ok())
        return context.fail(*fields.error());
    collab::state(context).setFilter(context.subscriber.id(), filter);
}

QJsonObject readSchema()
{
    return collab::objectSchema({{"notification_id", "string"}}, {"notification_id"});
}

void read(HandlerContext& context)
{
    Fields fields(context.message.data, {});
    const QString id = fields.requiredString(QStringLiteral("notification_id"), 128);
    if (!fields.ok())
        return context.fail(*fields.error());
    Collab& collab = collab::state(context);
    // The answer comes from the database thread; by then the client may have gone.
    Subscribers& subscribers = context.services.subscribers;
    const QString subscriberId = context.subscriber.id();
    collab.notificationStore().markRead(
        collab::userId(context.subscriber), id, &collab,
        [&subscribers, subscriberId, id](bool found) {
            Subscriber* subscriber = subscribers.find(subscriberId);
            if (subscriber && !found)
                subscriber->sendText(CollabDialect::encodeError(
                    Error{ErrorCode::NotFound,
                          QStringLiteral("no notification \"%1\" for you").arg(id)},
                    {{QLatin1String("notification_id"), id}}));
        });
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("subscribe_notifications"),
                             Access::Authenticated,
                             QLatin1String("Filter notifications by categories, modules and "
                                           "priorities"),
                             &subscribeSchema, &subscribe)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("notification_read"),
                             Access::Authenticated,
                             QLatin1String("Mark a notification read (not delivered again)"),
                             &readSchema, &read)

} // namespace switchboard
