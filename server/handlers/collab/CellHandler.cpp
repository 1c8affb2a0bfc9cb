// 004 `cell_update {sheet_id, cell_id, value, formula?, version?, room?}`: writes the cell of
// the sheet in the room (SPEC §6.5). A `version` older than the stored one is refused with
// VERSION_CONFLICT carrying the current value and version; otherwise the cell gets a new
// version and `cell_updated` goes to everyone in the room, the writer included. The cell store
// (SQLite on one node, Redis in a cluster) decides and answers later: `cell_updated` goes out
// once the write is durable, and a store out of reach is INTERNAL_ERROR with nothing written.

#include "../HandlerRegistry.h"
#include "CollabHandlers.h"

namespace switchboard {
namespace {

constexpr int maxValueLength = 10'000;
constexpr int maxFormulaLength = 4096;
constexpr double maxVersion = 9007199254740991.0; // 2^53 - 1: exact as a JSON number

QJsonObject schema()
{
    return collab::objectSchema({{"sheet_id", "string"},
                                 {"cell_id", "string"},
                                 {"value", "string"},
                                 {"formula", "string"},
                                 {"version", "integer"},
                                 {"room", "string"}},
                                {"sheet_id", "cell_id"});
}

void handle(HandlerContext& context)
{
    const QJsonObject& message = context.message.data;
    Fields fields(message, {});
    const QString sheetId = fields.requiredString(QStringLiteral("sheet_id"), 128);
    const QString cellId = fields.requiredString(QStringLiteral("cell_id"), 64);
    const QString formula = fields.optionalString(QStringLiteral("formula"), {}, maxFormulaLength);
    const std::optional<double> version =
        fields.optionalNumber(QStringLiteral("version"), 0, maxVersion);
    if (!fields.ok())
        return context.fail(*fields.error());
    const QJsonValue value = message.value(QLatin1String("value"));
    if (value.isObject() || value.isArray())
        return context.fail(ErrorCode::InvalidMessage,
                            QStringLiteral("value must be a string, number, boolean or null"));
    if (value.isString() && value.toString().size() > maxValueLength)
        return context.fail(
            ErrorCode::InvalidMessage,
            QStringLiteral("value must be at most %1 characters").arg(maxValueLength));
    if (version && *version != double(qint64(*version)))
        return context.fail(ErrorCode::InvalidMessage,
                            QStringLiteral("version must be a whole number"));
    const std::optional<QString> named = collab::namedRoom(context);
    if (!named)
        return;
    Collab& collab = collab::state(context);
    const QString room = collab::roomOrFail(
        context,
        named->isEmpty() ? collab.rooms().roomForSheet(context.subscriber.id(), sheetId) : *named);
    if (room.isEmpty())
        return;

    const QString user = collab::userId(context.subscriber);
    const QString username = collab::username(context.subscriber);
    const std::optional<qint64> sent =
        version ? std::optional<qint64>(qint64(*version)) : std::nullopt;
    const PendingReply answer = context.defer();
    collab.cells().write(
        Collab::cellRoomOf(*collab.rooms().find(room)), sheetId, cellId,
        value.isUndefined() ? QJsonValue() : value, formula, sent, user,
        [answer, &collab, room, sheetId, cellId, user, username, sent](const CellWrite& write) {
            const CellLimits& limits = collab.cells().limits();
            switch (write.outcome) {
            case CellWrite::Outcome::TooManyCells:
                return answer.fail(
                    ErrorCode::InvalidMessage,
                    QStringLiteral("sheet \"%1\" already holds the maximum of %2 cells")
                        .arg(sheetId)
                        .arg(limits.maxCellsPerSheet));
            case CellWrite::Outcome::TooManySheets:
                return answer.fail(
                    ErrorCode::InvalidMessage,
                    QStringLiteral("room \"%1\" already holds the maximum of %2 sheets")
                        .arg(room)
                        .arg(limits.maxSheetsPerRoom));
            case CellWrite::Outcome::Unavailable:
                return answer.fail(ErrorCode::InternalError,
                                   QStringLiteral("cell %1 of %2 was not confirmed written "
                                                  "(cell store: %3); send it again")
                                       .arg(cellId, sheetId, write.problem));
            case CellWrite::Outcome::Conflict:
                if (Subscriber* client = answer.subscriber())
                    client->sendText(CollabDialect::encodeError(
                        Error{ErrorCode::VersionConflict,
                              QStringLiteral("cell %1 of %2 is at version %3, newer than %4")
                                  .arg(cellId, sheetId)
                                  .arg(write.cell.version)
                                  .arg(sent.value_or(0))},
                        {{QLatin1String("sheet_id"), sheetId},
                         {QLatin1String("cell_id"), cellId},
                         {QLatin1String("current_value"), write.cell.value},
                         {QLatin1String("current_formula"), write.cell.formula},
                         {QLatin1String("current_version"), double(write.cell.version)},
                         {QLatin1String("user_id"), write.cell.userId}}));
                return;
            case CellWrite::Outcome::Written:
                break;
            }
            collab.noteSheet(room, sheetId);
            collab.publishToRoom(room, QStringLiteral("cell_updated"),
                                 {{QLatin1String("sheet_id"), sheetId},
                                  {QLatin1String("cell_id"), cellId},
                                  {QLatin1String("value"), write.cell.value},
                                  {QLatin1String("formula"), write.cell.formula},
                                  {QLatin1String("user_id"), user},
                                  {QLatin1String("username"), username},
                                  {QLatin1String("version"), double(write.cell.version)}});
        });
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("cell_update"),
                             Access::Authenticated,
                             QLatin1String("Write a cell; the room gets cell_updated with the new "
                                           "version, a stale version gets VERSION_CONFLICT"),
                             &schema, &handle)

} // namespace switchboard
