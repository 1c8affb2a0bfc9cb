// 004 `cursor_move {room, x, y, cell}`: stores the member's cursor and sends
// `cursor_moved {user_id, username, cursor}` to the others in the room.

#include "../HandlerRegistry.h"
#include "CollabHandlers.h"

#include <QDateTime>

namespace switchboard {
namespace {

QJsonObject schema()
{
    return collab::objectSchema(
        {{"room", "string"}, {"x", "number"}, {"y", "number"}, {"cell", "string"}}, {"x", "y"});
}

void handle(HandlerContext& context)
{
    Fields fields(context.message.data, {});
    const std::optional<double> x = fields.optionalNumber(QStringLiteral("x"), -1e9, 1e9);
    const std::optional<double> y = fields.optionalNumber(QStringLiteral("y"), -1e9, 1e9);
    const QString cell = fields.optionalString(QStringLiteral("cell"), {}, 64);
    if (fields.ok() && (!x || !y))
        return context.fail(ErrorCode::InvalidMessage,
                            !x ? QStringLiteral("x is required") : QStringLiteral("y is required"));
    if (!fields.ok())
        return context.fail(*fields.error());
    const std::optional<QString> named = collab::namedRoom(context);
    if (!named)
        return;
    const QString room = collab::roomOrFail(context, *named);
    if (room.isEmpty())
        return;
    Collab& collab = collab::state(context);
    QJsonObject cursor{{QLatin1String("x"), *x}, {QLatin1String("y"), *y}};
    if (!cell.isEmpty())
        cursor.insert(QLatin1String("cell"), cell);
    if (RoomMember* member = collab.rooms().member(room, context.subscriber.id())) {
        member->cursor = cursor;
        member->lastSeenMs = QDateTime::currentMSecsSinceEpoch();
        collab.sharePresence(room, context.subscriber.id());
    }
    collab.publishToRoom(room, QStringLiteral("cursor_moved"),
                         {{QLatin1String("user_id"), collab::userId(context.subscriber)},
                          {QLatin1String("username"), collab::username(context.subscriber)},
                          {QLatin1String("cursor"), cursor}},
                         &context.subscriber);
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("cursor_move"),
                             Access::Authenticated,
                             QLatin1String("Share the cursor; the others get cursor_moved"),
                             &schema, &handle)

} // namespace switchboard
