#include "Upload.h"

#include "../collab/Collab.h"
#include "../config/HubConfig.h"
#include "../hub/Hub.h"
#include "../wire/Json.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace switchboard {

namespace {

QString reasonName(Upload::Failure failure)
{
    switch (failure) {
    case Upload::Failure::Interrupted:
        return QStringLiteral("interrupted");
    case Upload::Failure::Refused:
        return QStringLiteral("permission_denied");
    case Upload::Failure::Storage:
        return QStringLiteral("storage");
    }
    return {};
}

} // namespace

bool Upload::isValidFileId(const QString& id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"));
    return pattern.match(id).hasMatch();
}

QString Upload::directory(const HubConfig& config)
{
    return QDir(config.dataDir).filePath(QStringLiteral("uploads"));
}

QJsonObject Upload::readMetadata(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

namespace {

// Someone else's file id (an administrator may replace any file).
bool belongsToSomeoneElse(const QString& metadataPath, const Identity& identity)
{
    if (!QFile::exists(metadataPath))
        return false;
    const QJsonObject existing = Upload::readMetadata(metadataPath);
    return existing.value(QLatin1String("owner")).toString() != identity.subject &&
           !identity.isAdmin();
}

HttpResponse someoneElses(const QString& fileId)
{
    return HttpResponse::error(403, QStringLiteral("PERMISSION_DENIED"),
                               QStringLiteral("file \"%1\" belongs to someone else").arg(fileId));
}

} // namespace

std::variant<std::unique_ptr<Upload>, HttpResponse> Upload::begin(const HubConfig& config, Hub& hub,
                                                                  Collab& collab,
                                                                  const Identity& identity,
                                                                  Request request)
{
    if (!isValidFileId(request.fileId))
        return HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"),
                                   QStringLiteral("file_id must be 1-128 letters, digits, '.', "
                                                  "'_' or '-', starting with a letter or digit"));
    if (request.size < 0 || request.size > config.maxUploadBytes)
        return HttpResponse::error(
            413, QStringLiteral("MESSAGE_TOO_LARGE"),
            QStringLiteral("uploads are limited to %1 bytes").arg(config.maxUploadBytes));
    // The name the client announced in file_upload_start (data.csv), unless the PUT names one.
    if (const auto announced = collab.announcedUpload(identity.subject, request.fileId)) {
        if (request.filename.isEmpty())
            request.filename = announced->filename;
        if (request.mimeType.isEmpty())
            request.mimeType = announced->mimeType.toUtf8();
    }
    request.filename = QFileInfo(request.filename).fileName().left(255);
    if (request.filename.isEmpty())
        request.filename = request.fileId;
    if (request.mimeType.isEmpty())
        request.mimeType = "application/octet-stream";

    const QDir dir(directory(config));
    if (!dir.mkpath(QStringLiteral(".")))
        return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                   QStringLiteral("cannot create the uploads folder"));
    if (belongsToSomeoneElse(dir.filePath(request.fileId + QStringLiteral(".json")), identity))
        return someoneElses(request.fileId);

    std::unique_ptr<Upload> upload(new Upload(config, hub, collab, identity, std::move(request)));
    // QSaveFile writes to a temporary file beside the target and renames it on commit(): the
    // file served under the id stays whole until the new one is.
    upload->m_file.setFileName(dir.filePath(upload->m_request.fileId));
    if (!upload->m_file.open(QIODevice::WriteOnly)) {
        upload->m_done = true;
        return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                   QStringLiteral("cannot write the upload"));
    }
    return upload;
}

Upload::Upload(const HubConfig& config, Hub& hub, Collab& collab, const Identity& identity,
               Request request)
    : m_config(config)
    , m_hub(hub)
    , m_collab(collab)
    , m_identity(identity)
    , m_request(std::move(request))
{
    m_reportTimer.setSingleShot(true);
    connect(&m_reportTimer, &QTimer::timeout, this, [this] {
        if (!m_done && m_received > m_reported)
            reportProgress();
    });
}

Upload::~Upload()
{
    if (!m_done)
        m_file.cancelWriting();
}

bool Upload::append(const char* data, qint64 size)
{
    if (m_done || size > m_request.size - m_received)
        return false;
    if (m_file.write(data, size) != size) {
        fail(Failure::Storage);
        return false;
    }
    m_received += size;
    if (isComplete()) {
        m_reportTimer.stop();
        reportProgress();
        return true;
    }
    const qint64 step = std::max<qint64>(1, (m_request.size + progressSteps - 1) / progressSteps);
    if (m_received - m_reported < step || m_reportTimer.isActive())
        return true;
    const qint64 wait = m_sinceReport.isValid() ? progressIntervalMs - m_sinceReport.elapsed() : 0;
    if (wait <= 0)
        reportProgress();
    else
        m_reportTimer.start(int(wait));
    return true;
}

void Upload::reportProgress()
{
    m_reported = m_received;
    m_sinceReport.start();
    const qint64 total = m_request.size;
    publish(QStringLiteral("file_upload_progress"),
            {{QLatin1String("bytes_uploaded"), double(m_received)},
             {QLatin1String("total_bytes"), double(total)},
             {QLatin1String("percentage"),
              total > 0 ? double(m_received) * 100.0 / double(total) : 100.0}});
}

HttpResponse Upload::finish()
{
    if (m_done || !isComplete())
        return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                   QStringLiteral("the upload is not complete"));
    // An empty body has no chunk to report: it still gets its one 100 % step.
    if (!m_sinceReport.isValid())
        reportProgress();
    const QDir dir(directory(m_config));
    const QString metadataPath = dir.filePath(m_request.fileId + QStringLiteral(".json"));
    // Someone else may have stored the same (then new) id while these bytes arrived.
    if (belongsToSomeoneElse(metadataPath, m_identity)) {
        fail(Failure::Refused);
        return someoneElses(m_request.fileId);
    }
    if (!m_file.commit()) {
        fail(Failure::Storage);
        return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                   QStringLiteral("cannot write the upload"));
    }
    m_done = true;
    m_collab.forgetUpload(m_identity.subject, m_request.fileId);

    const QString mime = QString::fromUtf8(m_request.mimeType);
    const QJsonObject metadata{{QLatin1String("file_id"), m_request.fileId},
                               {QLatin1String("filename"), m_request.filename},
                               {QLatin1String("mime_type"), mime},
                               {QLatin1String("size"), double(m_request.size)},
                               {QLatin1String("owner"), m_identity.subject},
                               {QLatin1String("tenant"), m_identity.tenant},
                               {QLatin1String("uploaded_at"), Json::isoNow()}};
    QSaveFile metadataFile(metadataPath);
    if (!metadataFile.open(QIODevice::WriteOnly) ||
        metadataFile.write(QJsonDocument(metadata).toJson(QJsonDocument::Compact)) < 0 ||
        !metadataFile.commit())
        return HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                   QStringLiteral("cannot write the upload's metadata"));

    QUrl url = m_request.url;
    url.setQuery(QString());
    url.setFragment(QString());
    url.setPath(QStringLiteral("/api/v1/uploads/") + m_request.fileId);
    const QJsonObject complete{{QLatin1String("url"), url.toString()},
                               {QLatin1String("size"), double(m_request.size)},
                               {QLatin1String("mime_type"), mime}};
    publish(QStringLiteral("file_upload_complete"), complete);
    QJsonObject answer = complete;
    answer.insert(QLatin1String("file_id"), m_request.fileId);
    answer.insert(QLatin1String("filename"), m_request.filename);
    answer.insert(QLatin1String("user_id"), m_identity.subject);
    return HttpResponse::json(answer, 201);
}

void Upload::fail(Failure failure)
{
    if (m_done)
        return;
    m_done = true;
    m_reportTimer.stop();
    m_file.cancelWriting();
    QString error;
    switch (failure) {
    case Failure::Interrupted:
        error = QStringLiteral("the upload ended after %1 of %2 bytes")
                    .arg(m_received)
                    .arg(m_request.size);
        break;
    case Failure::Refused:
        error = QStringLiteral("file \"%1\" was stored by someone else meanwhile")
                    .arg(m_request.fileId);
        break;
    case Failure::Storage:
        error = QStringLiteral("the upload could not be stored");
        break;
    }
    publish(QStringLiteral("file_upload_failed"),
            {{QLatin1String("bytes_uploaded"), double(m_received)},
             {QLatin1String("total_bytes"), double(m_request.size)},
             {QLatin1String("reason"), reasonName(failure)},
             {QLatin1String("error"), error}});
}

void Upload::publish(const QString& type, const QJsonObject& fields)
{
    // An anonymous upload (auth optional or off) has no sessions to tell.
    if (m_identity.subject.isEmpty())
        return;
    QJsonObject data = fields;
    data.insert(QLatin1String("file_id"), m_request.fileId);
    data.insert(QLatin1String("filename"), m_request.filename);
    data.insert(QLatin1String("user_id"), m_identity.subject);
    m_hub.publish(QStringLiteral("user:") + m_identity.subject, type, data);
}

} // namespace switchboard
