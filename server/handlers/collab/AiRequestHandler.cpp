// 004 `ai_request {request_id, query, sheet_id, context: {table_range}}`: reads the numbers
// the cell store holds in that range of the sheet and runs the `ai_analysis` job on them (SPEC
// §5.1), so the request also shows in the job API. The requester's sessions get
// `ai_event` ai_start now, then ai_progress and ai_complete {result, processing_time} as
// the job runs (Collab::onJobChanged).

#include "../../collab/CellRange.h"
#include "../../hub/Hub.h"
#include "../../jobs/JobEngine.h"
#include "../HandlerRegistry.h"
#include "../native/JobReplies.h"
#include "CollabHandlers.h"

#include <algorithm>
#include <vector>

namespace switchboard {
namespace {

QJsonObject schema()
{
    return collab::objectSchema({{"request_id", "string"},
                                 {"query", "string"},
                                 {"sheet_id", "string"},
                                 {"context", "object"}},
                                {"request_id", "sheet_id"});
}

// The numeric cells of the sheet inside `range` (everything without one), row by row.
QJsonArray numbersIn(const QHash<QString, Cell>& sheet, const std::optional<CellRange>& range)
{
    struct Numbered {
        CellAddress address;
        double value;
    };
    std::vector<Numbered> numbers;
    for (auto it = sheet.cbegin(); it != sheet.cend(); ++it) {
        const std::optional<CellAddress> address = parseCellAddress(it.key());
        if (!address || (range && !range->contains(*address)))
            continue;
        const QJsonValue value = it->value;
        bool ok = value.isDouble();
        double number = value.toDouble();
        if (value.isString())
            number = value.toString().trimmed().toDouble(&ok);
        if (ok)
            numbers.push_back({*address, number});
    }
    std::sort(numbers.begin(), numbers.end(), [](const Numbered& a, const Numbered& b) {
        return a.address.row != b.address.row ? a.address.row < b.address.row
                                              : a.address.column < b.address.column;
    });
    QJsonArray values;
    for (const Numbered& n : numbers)
        values.append(n.value);
    return values;
}

void handle(HandlerContext& context)
{
    const QJsonObject& message = context.message.data;
    Fields fields(message, {});
    const QString requestId = fields.requiredString(QStringLiteral("request_id"), 128);
    const QString query = fields.optionalString(QStringLiteral("query"), {}, 4000);
    const QString sheetId = fields.requiredString(QStringLiteral("sheet_id"), 128);
    const QJsonObject options = fields.optionalObject(QStringLiteral("context"));
    Fields optionFields(options, QStringLiteral("context"));
    const QString rangeText = optionFields.optionalString(QStringLiteral("table_range"), {}, 32);
    if (!fields.ok())
        return context.fail(*fields.error());
    if (!optionFields.ok())
        return context.fail(*optionFields.error());
    std::optional<CellRange> range;
    if (!rangeText.isEmpty()) {
        range = parseCellRange(rangeText);
        if (!range)
            return context.fail(ErrorCode::InvalidMessage,
                                QStringLiteral("context.table_range must look like A1:Z100"));
    }

    Collab& collab = collab::state(context);
    const QString roomId = collab.rooms().roomForSheet(context.subscriber.id(), sheetId);
    const Room* room = roomId.isEmpty() ? nullptr : collab.rooms().find(roomId);
    const QString notFound = QStringLiteral("no sheet \"%1\" in the rooms you joined").arg(sheetId);
    if (!room)
        return context.fail(ErrorCode::NotFound, notFound);

    const PendingReply answer = context.defer();
    collab.cells().cells(
        Collab::cellRoomOf(*room), sheetId,
        [answer, &collab, requestId, query, sheetId, range, rangeText,
         notFound](const std::optional<QHash<QString, Cell>>& cells) {
            Subscriber* client = answer.subscriber();
            if (!client)
                return;
            if (!cells)
                return answer.fail(
                    ErrorCode::InternalError,
                    QStringLiteral("the cells of \"%1\" could not be read; ask again")
                        .arg(sheetId));
            if (cells->isEmpty())
                return answer.fail(ErrorCode::NotFound, notFound);
            QJsonObject params{{QLatin1String("values"), numbersIn(*cells, range)},
                               {QLatin1String("request_id"), requestId},
                               {QLatin1String("sheet_id"), sheetId}};
            if (!query.isEmpty())
                params.insert(QLatin1String("query"), query);
            if (!rangeText.isEmpty())
                params.insert(QLatin1String("table_range"), rangeText);
            const JobAnswer job =
                collab.jobs().submit(QStringLiteral("ai_analysis"), params, client->identity());
            if (!job.ok())
                return failJobRequest(answer, job);

            const QString user = collab::userId(*client);
            collab.hub().publish(
                QStringLiteral("user:") + user, QStringLiteral("ai_event"),
                {{QLatin1String("event_type"), QLatin1String("ai_start")},
                 {QLatin1String("request_id"), requestId},
                 {QLatin1String("user_id"), user},
                 {QLatin1String("data"), QJsonObject{{QLatin1String("query"), query},
                                                     {QLatin1String("sheet_id"), sheetId},
                                                     {QLatin1String("job_id"), job.job->id}}}});
            collab.trackAiRequest(*job.job, {user, requestId, sheetId});
        });
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("ai_request"),
                             Access::Authenticated,
                             QLatin1String("Analyse a sheet range (count, sum, mean, min, max, "
                                           "trend) as an ai_analysis job; answers with ai_event"),
                             &schema, &handle)

} // namespace switchboard
