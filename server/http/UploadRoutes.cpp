#include "UploadRoutes.h"

#include "HttpRouter.h"
#include "Upload.h"

#include <QDir>
#include <QFile>
#include <QUrlQuery>

namespace switchboard {

namespace {

bool mayRead(const Identity& identity, const QJsonObject& metadata)
{
    return identity.isAdmin() ||
           metadata.value(QLatin1String("tenant")).toString() == identity.tenant;
}

// The listener streams uploads itself as their bytes arrive (UploadIntake); a PUT reaches
// this route only when its head was not seen on its own (a request pipelined behind
// another), with the body already whole, and is stored by the same Upload.
HttpResponse put(const HttpCall& call, const HubConfig& config, Hub& hub, Collab& collab)
{
    const QByteArray& body = call.request.body();
    const QUrlQuery query(call.request.url());
    QString filename = query.queryItemValue(QStringLiteral("filename"), QUrl::FullyDecoded);
    if (filename.isEmpty())
        filename = QString::fromUtf8(call.request.value("X-Filename"));
    auto begun =
        Upload::begin(config, hub, collab, call.identity,
                      {call.parameter(QStringLiteral("file_id")), filename,
                       call.request.value("Content-Type"), body.size(), call.request.url()});
    if (auto* refused = std::get_if<HttpResponse>(&begun))
        return *refused;
    auto& upload = *std::get<std::unique_ptr<Upload>>(begun);
    if (!upload.append(body.constData(), body.size()))
        return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                   QStringLiteral("cannot write the upload"));
    return upload.finish();
}

HttpResponse get(const HttpCall& call, const HubConfig& config)
{
    const QString fileId = call.parameter(QStringLiteral("file_id"));
    const QDir dir(Upload::directory(config));
    const QString metadataPath = dir.filePath(fileId + QStringLiteral(".json"));
    if (!Upload::isValidFileId(fileId) || !QFile::exists(metadataPath))
        return HttpResponse::error(404, QStringLiteral("NOT_FOUND"),
                                   QStringLiteral("no upload \"%1\"").arg(fileId.left(128)));
    const QJsonObject metadata = Upload::readMetadata(metadataPath);
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

void addUploadRoutes(HttpRouter& router, const HubConfig& config, Hub& hub, Collab& collab)
{
    using Method = QHttpServerRequest::Method;
    router.add(
        {Method::Put, QStringLiteral("/api/v1/uploads/{file_id}"), HttpAccess::User,
         QStringLiteral("Upload a file (?filename= or X-Filename; Content-Length "
                        "required); the uploader's sessions get file_upload_progress "
                        "as the bytes arrive, then file_upload_complete (or "
                        "file_upload_failed when the body ends early)"),
         [&config, &hub, &collab](const HttpCall& call) { return put(call, config, hub, collab); },
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
