#include "UploadRoutes.h"

#include "../config/HubConfig.h"
#include "../hub/Hub.h"
#include "../protocol/Json.h"
#include "HttpRouter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QUrlQuery>

#include <algorithm>

namespace switchboard {

namespace {

constexpr qint64 minimumChunk = 64 * 1024;

bool isValidFileId(const QString& id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"));
    return pattern.match(id).hasMatch();
}

QString uploadsDir(const HubConfig& config)
{
    return QDir(config.dataDir).filePath(QStringLiteral("uploads"));
}

QJsonObject readMetadata(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

bool mayRead(const Identity& identity, const QJsonObject& metadata)
{
    return identity.isAdmin() ||
           metadata.value(QLatin1String("tenant")).toString() == identity.tenant;
}

HttpResponse put(const HttpCall& call, const HubConfig& config, Hub& hub)
{
    const QString fileId = call.parameter(QStringLiteral("file_id"));
    if (!isValidFileId(fileId))
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"),
                                   QStringLiteral("file_id must be 1-128 letters, digits, '.', "
                                                  "'_' or '-', starting with a letter or digit"));
    const QByteArray& body = call.request.body();
    if (body.size() > config.maxUploadBytes)
        return HttpResponse::error(
            413, QStringLiteral("MESSAGE_TOO_LARGE"),
            QStringLiteral("uploads are limited to %1 bytes").arg(config.maxUploadBytes));
    const QUrlQuery query(call.request.url());
    QString filename = query.queryItemValue(QStringLiteral("filename"), QUrl::FullyDecoded);
    if (filename.isEmpty())
        filename = QString::fromUtf8(call.request.value("X-Filename"));
    filename = QFileInfo(filename).fileName().left(255);
    if (filename.isEmpty())
        filename = fileId;
    QByteArray mime = call.request.value("Content-Type");
    if (mime.isEmpty())
        mime = "application/octet-stream";

    const QDir dir(uploadsDir(config));
    if (!dir.mkpath(QStringLiteral(".")))
        return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                   QStringLiteral("cannot create the uploads folder"));
    const QString metadataPath = dir.filePath(fileId + QStringLiteral(".json"));
    const QString user = call.identity.subject;
    if (QFile::exists(metadataPath)) {
        const QJsonObject existing = readMetadata(metadataPath);
        if (existing.value(QLatin1String("owner")).toString() != user && !call.identity.isAdmin())
            return HttpResponse::error(
                403, QStringLiteral("PERMISSION_DENIED"),
                QStringLiteral("file \"%1\" belongs to someone else").arg(fileId));
    }

    const QString topic = QStringLiteral("user:") + user;
    const qint64 total = body.size();
    const qint64 chunk =
        std::max(minimumChunk, (total + uploadProgressSteps - 1) / uploadProgressSteps);
    QSaveFile file(dir.filePath(fileId));
    if (!file.open(QIODevice::WriteOnly))
        return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                   QStringLiteral("cannot write the upload"));
    qint64 written = 0;
    do {
        const qint64 size = std::min(chunk, total - written);
        if (file.write(body.constData() + written, size) != size) {
            file.cancelWriting();
            return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                       QStringLiteral("cannot write the upload"));
        }
        written += size;
        if (!user.isEmpty())
            hub.publish(topic, QStringLiteral("file_upload_progress"),
                        {{QLatin1String("file_id"), fileId},
                         {QLatin1String("filename"), filename},
                         {QLatin1String("bytes_uploaded"), double(written)},
                         {QLatin1String("total_bytes"), double(total)},
                         {QLatin1String("percentage"),
                          total > 0 ? double(written) * 100.0 / double(total) : 100.0},
                         {QLatin1String("user_id"), user}});
    } while (written < total);
    if (!file.commit())
        return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                   QStringLiteral("cannot write the upload"));

    const QJsonObject metadata{{QLatin1String("file_id"), fileId},
                               {QLatin1String("filename"), filename},
                               {QLatin1String("mime_type"), QString::fromUtf8(mime)},
                               {QLatin1String("size"), double(total)},
                               {QLatin1String("owner"), user},
                               {QLatin1String("tenant"), call.identity.tenant},
                               {QLatin1String("uploaded_at"), Json::isoNow()}};
    QSaveFile metadataFile(metadataPath);
    if (!metadataFile.open(QIODevice::WriteOnly) ||
        metadataFile.write(QJsonDocument(metadata).toJson(QJsonDocument::Compact)) < 0 ||
        !metadataFile.commit())
        return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                   QStringLiteral("cannot write the upload's metadata"));

    QUrl url = call.request.url();
    url.setQuery(QString());
    url.setPath(QStringLiteral("/api/v1/uploads/") + fileId);
    const QJsonObject complete{{QLatin1String("file_id"), fileId},
                               {QLatin1String("filename"), filename},
                               {QLatin1String("url"), url.toString()},
                               {QLatin1String("size"), double(total)},
                               {QLatin1String("mime_type"), QString::fromUtf8(mime)},
                               {QLatin1String("user_id"), user}};
    if (!user.isEmpty())
        hub.publish(topic, QStringLiteral("file_upload_complete"), complete);
    return HttpResponse::json(complete, 201);
}

HttpResponse get(const HttpCall& call, const HubConfig& config)
{
    const QString fileId = call.parameter(QStringLiteral("file_id"));
    const QDir dir(uploadsDir(config));
    const QString metadataPath = dir.filePath(fileId + QStringLiteral(".json"));
    if (!isValidFileId(fileId) || !QFile::exists(metadataPath))
        return HttpResponse::error(404, QStringLiteral("NOT_FOUND"),
                                   QStringLiteral("no upload \"%1\"").arg(fileId.left(128)));
    const QJsonObject metadata = readMetadata(metadataPath);
    if (!mayRead(call.identity, metadata))
        return HttpResponse::error(
            403, QStringLiteral("PERMISSION_DENIED"),
            QStringLiteral("file \"%1\" belongs to another tenant").arg(fileId));
    QFile file(dir.filePath(fileId));
    if (!file.open(QIODevice::ReadOnly))
        return HttpResponse::error(404, QStringLiteral("NOT_FOUND"),
                                   QStringLiteral("no upload \"%1\"").arg(fileId));
    HttpResponse response = HttpResponse::content(
        file.readAll(), metadata.value(QLatin1String("mime_type")).toString().toUtf8());
    QString filename = metadata.value(QLatin1String("filename")).toString();
    filename.remove(u'"');
    response.headers.append(
        {"Content-Disposition", "attachment; filename=\"" + filename.toUtf8() + '"'});
    return response;
}

} // namespace

void addUploadRoutes(HttpRouter& router, const HubConfig& config, Hub& hub)
{
    using Method = QHttpServerRequest::Method;
    router.add({Method::Put, QStringLiteral("/api/v1/uploads/{file_id}"), HttpAccess::User,
                QStringLiteral("Upload a file (?filename= or X-Filename); the uploader's "
                               "sessions get file_upload_progress and file_upload_complete"),
                [&config, &hub](const HttpCall& call) { return put(call, config, hub); },
                QJsonObject{{QLatin1String("type"), QLatin1String("string")},
                            {QLatin1String("format"), QLatin1String("binary")}}});
    router.add({Method::Get,
                QStringLiteral("/api/v1/uploads/{file_id}"),
                HttpAccess::User,
                QStringLiteral("Download an uploaded file (same tenant, or an administrator)"),
                [&config](const HttpCall& call) { return get(call, config); },
                {}});
}

} // namespace switchboard
