#pragma once

// One file upload of document 004 (SPEC §2.1) while its bytes arrive: they go to a temporary
// file in <data-dir>/uploads, the uploader's sessions (topic "user:<subject>") hear
// file_upload_progress as they come, and only a complete body replaces the stored file and
// its metadata, announced with file_upload_complete. An upload that ends early leaves the
// stored file as it was and tells the sessions with file_upload_failed. The file's name is
// the one the PUT gives, else the one the uploader announced in 004's file_upload_start
// (Collab), else its file id.

#include "../auth/Identity.h"
#include "HttpResponse.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QSaveFile>
#include <QTimer>
#include <QUrl>

#include <memory>
#include <variant>

namespace switchboard {

class Collab;
class Hub;
struct HubConfig;

class Upload : public QObject {
    Q_OBJECT

public:
    struct Request {
        QString fileId;      // the path's {file_id}
        QString filename;    // ?filename= or X-Filename; when empty, the announced one
        QByteArray mimeType; // Content-Type; when empty, the announced one
        qint64 size = 0;     // Content-Length: every byte announced must arrive
        QUrl url;            // the request's URL; the stored file's URL is derived from it
    };

    // Progress goes out at most every this many milliseconds, and only after at least
    // 1/progressSteps of the body arrived since the last report (the final 100 % always).
    static constexpr int progressIntervalMs = 100;
    static constexpr int progressSteps = 20;

    // Checks what can be checked before the body is read (file id, size cap, whether
    // `identity` may write that file id) and opens the temporary file; or the error answer.
    static std::variant<std::unique_ptr<Upload>, HttpResponse> begin(const HubConfig& config,
                                                                     Hub& hub, Collab& collab,
                                                                     const Identity& identity,
                                                                     Request request);

    // Discards the temporary file unless finish() stored it.
    ~Upload() override;

    // Appends bytes of the body; false when they cannot be written (the upload has failed
    // and been reported) or there are more than announced.
    bool append(const char* data, qint64 size);
    qint64 received() const { return m_received; }
    qint64 size() const { return m_request.size; }
    bool isComplete() const { return m_received == m_request.size; }

    // Every byte is there: stores the file and its metadata, sends file_upload_complete and
    // answers 201 with the same fields (or the error that kept it from being stored).
    HttpResponse finish();

    enum class Failure {
        Interrupted, // the connection ended (or stalled) before the last byte
        Refused,     // someone else stored the same file id while the bytes arrived
        Storage,     // the file could not be written
    };
    // The body will not be complete: nothing is stored and the uploader's sessions get
    // file_upload_failed. Idempotent.
    void fail(Failure failure);

    // Helpers shared with the download route.
    static bool isValidFileId(const QString& id);
    static QString directory(const HubConfig& config);
    static QJsonObject readMetadata(const QString& path);

private:
    Upload(const HubConfig& config, Hub& hub, Collab& collab, const Identity& identity,
           Request request);
    void reportProgress();
    void publish(const QString& type, const QJsonObject& fields);

    const HubConfig& m_config;
    Hub& m_hub;
    Collab& m_collab;
    Identity m_identity;
    Request m_request;
    QSaveFile m_file;
    qint64 m_received = 0;
    qint64 m_reported = 0; // bytes_uploaded of the last file_upload_progress
    QElapsedTimer m_sinceReport;
    QTimer m_reportTimer; // a report held back by progressIntervalMs
    bool m_done = false;  // stored or failed
};

} // namespace switchboard
