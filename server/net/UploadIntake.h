#pragma once

// Receives `PUT /api/v1/uploads/{file_id}` bodies as they arrive, so that document 004's
// file_upload_progress reports the bytes on the wire and a large upload never sits in
// memory (SPEC §2.1). Qt HTTP Server 6.4 would hand the route the body only once all of it
// had arrived, buffered whole; the TcpListener instead gives this class the request as soon
// as its head is in. Everything that can be decided from the head is decided before a byte
// of the body is read: the token (as HttpRouter does for a user route), the file id, the
// size cap (413 from Content-Length) and whether the caller may write that file id. Then
// each chunk goes to an Upload (a temporary file in the uploads folder) and the answer ends
// the connection, as Qt HTTP Server's reader no longer follows it.

#include "../http/HttpResponse.h"

#include <QByteArray>
#include <QList>
#include <QPair>

class QTcpSocket;

namespace switchboard {

class Admission;
class Collab;
class Hub;
class TcpListener;
struct HubConfig;

class UploadIntake {
public:
    UploadIntake(const HubConfig& config, const Admission& admission, Hub& hub, Collab& collab,
                 TcpListener& tcp);

    // True when `head` (a request head without its final empty line) is an upload.
    static bool isUpload(const QByteArray& head);

    // Takes over `socket`, whose request head `head` is consumed and whose body is next.
    void receive(QTcpSocket* socket, const QByteArray& head);

private:
    QList<QPair<QByteArray, QByteArray>> corsHeaders(const QByteArray& origin,
                                                     const QByteArray& host) const;

    const HubConfig& m_config;
    const Admission& m_admission;
    Hub& m_hub;
    Collab& m_collab; // what uploaders announced (file names), for Upload
    TcpListener& m_tcp;
};

} // namespace switchboard
