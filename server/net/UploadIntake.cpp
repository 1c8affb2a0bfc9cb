#include "UploadIntake.h"

#include "../auth/Admission.h"
#include "../auth/OriginPolicy.h"
#include "../config/HubConfig.h"
#include "../http/Upload.h"
#include "ConnectionLog.h"
#include "RequestHead.h"
#include "TcpListener.h"
#include "TlsSocket.h"

#include <QTcpSocket>
#include <QUrlQuery>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

namespace switchboard {

namespace {

const QString uploadsPrefix = QStringLiteral("/api/v1/uploads/");

// The {file_id} of an upload's path, or nothing when the target is not an upload's.
std::optional<QString> fileIdOf(const QByteArray& target)
{
    if (!target.startsWith('/'))
        return std::nullopt;
    const QString path = QUrl::fromEncoded(target).path();
    if (!path.startsWith(uploadsPrefix))
        return std::nullopt;
    const QString id = path.mid(uploadsPrefix.size());
    if (id.isEmpty() || id.contains(u'/'))
        return std::nullopt;
    return id;
}

// The URL the client used, for the stored file's URL: scheme and Host as the request came.
QUrl requestUrl(const QTcpSocket* socket, const RequestHead& head)
{
    const bool tls = qobject_cast<const TlsSocket*>(socket) != nullptr;
    QUrl base;
    base.setScheme(tls ? QStringLiteral("https") : QStringLiteral("http"));
    base.setAuthority(QString::fromLatin1(head.value("host")), QUrl::StrictMode);
    if (base.host().isEmpty() || !base.isValid()) {
        base.setAuthority(QString());
        base.setHost(socket->localAddress().toString());
        base.setPort(socket->localPort());
    }
    return base.resolved(QUrl::fromEncoded(head.target()));
}

// Logged as ConnectionLog logs the requests the router answers with an error; `client` is the
// peer, or the client a trusted proxy forwarded.
void logRefused(const QHostAddress& client, const QByteArray& target, const HttpResponse& response)
{
    ConnectionLog::requestRefused(QStringLiteral("PUT"), QUrl::fromEncoded(target), client,
                                  response);
}

// Reads one taken-over upload's body from its socket into the Upload as it arrives, and
// answers once the last byte is in. A child of the socket: it goes with it.
class BodyReader final : public QObject {
public:
    BodyReader(QTcpSocket* socket, std::unique_ptr<Upload> upload, TcpListener& tcp,
               QByteArray target, QHostAddress client,
               QList<QPair<QByteArray, QByteArray>> extraHeaders)
        : QObject(socket)
        , m_socket(socket)
        , m_upload(std::move(upload))
        , m_tcp(tcp)
        , m_target(std::move(target))
        , m_client(std::move(client))
        , m_extraHeaders(std::move(extraHeaders))
    {
        connect(socket, &QTcpSocket::readyRead, this, &BodyReader::drain);
        // Also emitted when the request timeout aborts a stalled upload, and when the server
        // stops with uploads under way.
        connect(socket, &QTcpSocket::disconnected, this, &BodyReader::interrupted);
    }

    void drain()
    {
        if (!m_upload)
            return;
        while (!m_upload->isComplete()) {
            const qint64 want =
                std::min<qint64>(m_upload->size() - m_upload->received(), chunkBytes);
            m_buffer.resize(want);
            const qint64 got = m_socket->read(m_buffer.data(), want);
            if (got <= 0)
                break;
            if (!m_upload->append(m_buffer.constData(), got)) {
                answer(HttpResponse::error(500, QStringLiteral("INTERNAL_ERROR"),
                                           QStringLiteral("cannot write the upload")));
                return;
            }
        }
        // An upload is dropped when its bytes stop coming for the request timeout, not when
        // a large one takes longer than that in all.
        m_tcp.extendDeadline(m_socket);
        if (m_upload->isComplete())
            answer(m_upload->finish());
    }

private:
    static constexpr qint64 chunkBytes = 64 * 1024;

    void interrupted()
    {
        if (!m_upload)
            return;
        // Not a byte of it is kept: the stored file (if any) stays the one before.
        std::unique_ptr<Upload> upload = std::move(m_upload);
        upload->fail(Upload::Failure::Interrupted);
    }

    void answer(HttpResponse response)
    {
        // Done with the upload before answerAndClose() may report the connection's end.
        const qint64 unread = m_upload->size() - m_upload->received();
        m_upload.reset();
        logRefused(m_client, m_target, response);
        response.headers.append(m_extraHeaders);
        m_tcp.answerAndClose(m_socket, response, unread);
    }

    QTcpSocket* m_socket;
    std::unique_ptr<Upload> m_upload; // null once answered or interrupted
    TcpListener& m_tcp;
    QByteArray m_target;
    QHostAddress m_client;
    QList<QPair<QByteArray, QByteArray>> m_extraHeaders;
    QByteArray m_buffer;
};

} // namespace

UploadIntake::UploadIntake(const HubConfig& config, const Admission& admission, Hub& hub,
                           Collab& collab, TcpListener& tcp)
    : m_config(config)
    , m_admission(admission)
    , m_hub(hub)
    , m_collab(collab)
    , m_tcp(tcp)
{}

bool UploadIntake::isUpload(const QByteArray& head)
{
    const qsizetype end = head.indexOf('\n');
    const QList<QByteArray> requestLine = (end < 0 ? head : head.left(end)).trimmed().split(' ');
    return requestLine.size() == 3 && requestLine[0] == "PUT" &&
           fileIdOf(requestLine[1]).has_value();
}

QList<QPair<QByteArray, QByteArray>> UploadIntake::corsHeaders(const QByteArray& origin,
                                                               const QByteArray& host) const
{
    if (origin.isEmpty())
        return {};
    QList<QPair<QByteArray, QByteArray>> headers{{"Vary", "Origin"}};
    if (m_admission.origins().allows(origin, host))
        headers.emplaceBack("Access-Control-Allow-Origin", origin);
    return headers;
}

void UploadIntake::receive(QTcpSocket* socket, const QByteArray& bytes)
{
    auto parsed = RequestHead::parse(bytes);
    const RequestHead* head = std::get_if<RequestHead>(&parsed);
    const QList<QPair<QByteArray, QByteArray>> cors =
        head ? corsHeaders(head->value("origin"), head->value("host"))
             : QList<QPair<QByteArray, QByteArray>>{};
    // The body of a refused request is still on its way unless the client waits for leave
    // to send it (Expect: 100-continue).
    qint64 bodyToCome = 0;
    const Admission::Request gateRequest =
        head ? Admission::Request{head->value("host"),
                                  head->value("origin"),
                                  head->value("authorization"),
                                  {},
                                  socket->peerAddress(),
                                  head->values("x-forwarded-for").join(", "),
                                  head->values("forwarded").join(", ")}
             : Admission::Request{{}, {}, {}, {}, socket->peerAddress(), {}, {}};
    const QHostAddress client = m_admission.clientAddress(gateRequest);
    const auto refuse = [this, socket, head, &client, &cors, &bodyToCome](HttpResponse response) {
        logRefused(client, head ? head->target() : QByteArray(), response);
        response.headers.append(cors);
        m_tcp.answerAndClose(socket, response, bodyToCome);
    };
    if (!head) {
        refuse(HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"),
                                   std::get<RequestHead::Malformed>(parsed).message));
        return;
    }

    // The body's length must be known before it is read: for the size cap, and for
    // total_bytes in every progress report.
    if (!head->value("transfer-encoding").isEmpty()) {
        refuse(HttpResponse::error(411, QStringLiteral("INVALID_MESSAGE"),
                                   QStringLiteral("request bodies need a Content-Length")));
        return;
    }
    const QList<QByteArray> lengths = head->values("content-length");
    if (lengths.isEmpty()) {
        refuse(HttpResponse::error(411, QStringLiteral("INVALID_MESSAGE"),
                                   QStringLiteral("uploads need a Content-Length")));
        return;
    }
    bool ok = false;
    const qint64 length = lengths.first().toLongLong(&ok);
    if (!ok || length < 0 || lengths.count(lengths.first()) != lengths.size()) {
        refuse(HttpResponse::error(400, QStringLiteral("INVALID_MESSAGE"),
                                   QStringLiteral("invalid Content-Length")));
        return;
    }

    const bool expectsContinue =
        head->value("expect").compare("100-continue", Qt::CaseInsensitive) == 0;
    if (!expectsContinue)
        bodyToCome = length;

    // The gate every REST request passes (Host, token), then a user route's rule.
    auto gate = m_admission.admit(gateRequest, {});
    if (auto* refusal = std::get_if<Admission::Refusal>(&gate)) {
        refuse(HttpResponse::refusal(*refusal));
        return;
    }
    const Admission::Admitted& admitted = std::get<Admission::Admitted>(gate);
    if (m_config.authMode != AuthMode::Off) {
        if (admitted.tokenError) {
            refuse(HttpResponse::error(401, QStringLiteral("AUTHENTICATION_FAILED"),
                                       *admitted.tokenError));
            return;
        }
        if (!admitted.identity.isAuthenticated() && m_config.authMode != AuthMode::Optional) {
            refuse(HttpResponse::refusal(
                Admission::unauthorized(QStringLiteral("a bearer token is required"), false)));
            return;
        }
    }

    const QUrl url = requestUrl(socket, *head);
    QString filename =
        QUrlQuery(url).queryItemValue(QStringLiteral("filename"), QUrl::FullyDecoded);
    if (filename.isEmpty())
        filename = QString::fromUtf8(head->value("x-filename"));
    auto begun = Upload::begin(
        m_config, m_hub, m_collab, admitted.identity,
        {*fileIdOf(head->target()), filename, head->value("content-type"), length, url});
    if (auto* refusal = std::get_if<HttpResponse>(&begun)) {
        refuse(*refusal);
        return;
    }
    // A client that waits for leave to send the body (curl does for large ones) gets it now
    // that the body is wanted; a refusal above spared it sending.
    if (expectsContinue)
        socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    auto* reader = new BodyReader(socket, std::move(std::get<std::unique_ptr<Upload>>(begun)),
                                  m_tcp, head->target(), client, cors);
    // Part of the body may have come with the head; readyRead will not announce it again.
    reader->drain();
}

} // namespace switchboard
