// 004 presence: `status_update {status}` (online, away, busy) tells every room the session
// is in with `user_status_changed {user_id, status}`; `typing_start`/`typing_stop
// {cell_id, room}` send `user_typing_start`/`user_typing_stop {user_id, username, cell_id}`
// to the others in the room.

#include "../HandlerRegistry.h"
#include "CollabHandlers.h"

#include <QDateTime>

namespace switchboard {
namespace {

const QStringList statuses{QStringLiteral("online"), QStringLiteral("away"),
                           QStringLiteral("busy")};

QJsonObject statusSchema()
{
    QJsonObject schema = collab::objectSchema({{"status", "string"}}, {"status"});
    QJsonObject properties = schema.value(QLatin1String("properties")).toObject();
    properties.insert(QLatin1String("status"),
                      QJsonObject{{QLatin1String("enum"), QJsonArray::fromStringList(statuses)}});
    schema.insert(QLatin1String("properties"), properties);
    return schema;
}

void status(HandlerContext& context)
{
    Fields fields(context.message.data, {});
    const QString status = fields.requiredString(QStringLiteral("status"), 16);
    if (!fields.ok())
        return context.fail(*fields.error());
    if (!statuses.contains(status))
        return context.fail(ErrorCode::InvalidMessage,
                            QStringLiteral("status must be one of %1").arg(statuses.join(u", ")));
    Collab& collab = collab::state(context);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const QString& room : collab.rooms().roomsOf(context.subscriber.id())) {
        if (RoomMember* member = collab.rooms().member(room, context.subscriber.id())) {
            member->status = status;
            member->lastSeenMs = now;
            collab.sharePresence(room, context.subscriber.id());
        }
        collab.publishToRoom(room, QStringLiteral("user_status_changed"),
                             {{QLatin1String("user_id"), collab::userId(context.subscriber)},
                              {QLatin1String("status"), status}},
                             &context.subscriber);
    }
}

QJsonObject typingSchema()
{
    return collab::objectSchema({{"cell_id", "string"}, {"room", "string"}}, {"cell_id"});
}

void typing(HandlerContext& context, const QString& event)
{
    Fields fields(context.message.data, {});
    const QString cellId = fields.requiredString(QStringLiteral("cell_id"), 64);
    if (!fields.ok())
        return context.fail(*fields.error());
    const std::optional<QString> named = collab::namedRoom(context);
    if (!named)
        return;
    const QString room = collab::roomOrFail(context, *named);
    if (room.isEmpty())
        return;
    collab::state(context).publishToRoom(
        room, event,
        {{QLatin1String("user_id"), collab::userId(context.subscriber)},
         {QLatin1String("username"), collab::username(context.subscriber)},
         {QLatin1String("cell_id"), cellId}},
        &context.subscriber);
}

void typingStart(HandlerContext& context)
{
    typing(context, QStringLiteral("user_typing_start"));
}

void typingStop(HandlerContext& context)
{
    typing(context, QStringLiteral("user_typing_stop"));
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("status_update"),
                             Access::Authenticated,
                             QLatin1String("Set online/away/busy; the rooms get "
                                           "user_status_changed"),
                             &statusSchema, &status)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("typing_start"),
                             Access::Authenticated,
                             QLatin1String("Started typing in a cell; the others get "
                                           "user_typing_start"),
                             &typingSchema, &typingStart)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("typing_stop"),
                             Access::Authenticated,
                             QLatin1String("Stopped typing; the others get user_typing_stop"),
                             &typingSchema, &typingStop)

} // namespace switchboard
