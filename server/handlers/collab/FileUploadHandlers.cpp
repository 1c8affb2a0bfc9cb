// 004 `file_upload_start {file_id, filename, file_size, mime_type}` and
// `file_upload_progress {file_id, bytes_uploaded, total_bytes, percentage}`: relayed (with
// user_id) to the user's other sessions, through topic `user:{sub}`. The start also announces
// the file: a PUT /api/v1/uploads/{file_id} that names no filename stores it under the
// announced one, which its progress and completion messages and the download carry (Upload).
// A relayed progress message carries the announced filename too.

#include "../../hub/Hub.h"
#include "../HandlerRegistry.h"
#include "CollabHandlers.h"

namespace switchboard {
namespace {

constexpr double maxBytes = 9007199254740991.0;

QJsonObject startSchema()
{
    return collab::objectSchema({{"file_id", "string"},
                                 {"filename", "string"},
                                 {"file_size", "integer"},
                                 {"mime_type", "string"}},
                                {"file_id"});
}

QJsonObject progressSchema()
{
    return collab::objectSchema({{"file_id", "string"},
                                 {"bytes_uploaded", "integer"},
                                 {"total_bytes", "integer"},
                                 {"percentage", "number"}},
                                {"file_id", "bytes_uploaded"});
}

void relay(HandlerContext& context, const QString& type, QJsonObject fields)
{
    const QString user = collab::userId(context.subscriber);
    fields.insert(QLatin1String("user_id"), user);
    context.services.hub.publish(QStringLiteral("user:") + user, type, fields, &context.subscriber);
}

void start(HandlerContext& context)
{
    Fields fields(context.message.data, {});
    const QString fileId = fields.requiredString(QStringLiteral("file_id"), 128);
    const QString filename = fields.optionalString(QStringLiteral("filename"), {}, 255);
    const std::optional<double> size =
        fields.optionalNumber(QStringLiteral("file_size"), 0, maxBytes);
    const QString mime = fields.optionalString(QStringLiteral("mime_type"), {}, 128);
    if (!fields.ok())
        return context.fail(*fields.error());
    QJsonObject relayed{{QLatin1String("file_id"), fileId}};
    if (!filename.isEmpty())
        relayed.insert(QLatin1String("filename"), filename);
    if (size)
        relayed.insert(QLatin1String("file_size"), *size);
    if (!mime.isEmpty())
        relayed.insert(QLatin1String("mime_type"), mime);
    collab::state(context).announceUpload(context.subscriber.identity().subject, fileId,
                                          {filename, mime});
    relay(context, QStringLiteral("file_upload_start"), relayed);
}

void progress(HandlerContext& context)
{
    Fields fields(context.message.data, {});
    const QString fileId = fields.requiredString(QStringLiteral("file_id"), 128);
    const std::optional<double> uploaded =
        fields.optionalNumber(QStringLiteral("bytes_uploaded"), 0, maxBytes);
    const std::optional<double> total =
        fields.optionalNumber(QStringLiteral("total_bytes"), 0, maxBytes);
    const std::optional<double> percentage =
        fields.optionalNumber(QStringLiteral("percentage"), 0, 100);
    if (fields.ok() && !uploaded)
        return context.fail(ErrorCode::InvalidMessage,
                            QStringLiteral("bytes_uploaded is required"));
    if (!fields.ok())
        return context.fail(*fields.error());
    QJsonObject relayed{{QLatin1String("file_id"), fileId},
                        {QLatin1String("bytes_uploaded"), *uploaded}};
    const auto announced =
        collab::state(context).announcedUpload(context.subscriber.identity().subject, fileId);
    if (announced && !announced->filename.isEmpty())
        relayed.insert(QLatin1String("filename"), announced->filename);
    if (total)
        relayed.insert(QLatin1String("total_bytes"), *total);
    if (percentage)
        relayed.insert(QLatin1String("percentage"), *percentage);
    else if (total && *total > 0)
        relayed.insert(QLatin1String("percentage"), *uploaded * 100.0 / *total);
    relay(context, QStringLiteral("file_upload_progress"), relayed);
}

} // namespace

SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("file_upload_start"),
                             Access::Authenticated,
                             QLatin1String("An upload began; relayed to the user's other "
                                           "sessions"),
                             &startSchema, &start)
SWITCHBOARD_REGISTER_HANDLER(QLatin1String("collab"), QLatin1String("file_upload_progress"),
                             Access::Authenticated,
                             QLatin1String("Upload progress; relayed to the user's other "
                                           "sessions"),
                             &progressSchema, &progress)

} // namespace switchboard
