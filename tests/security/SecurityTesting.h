#pragma once

// Helpers shared by the security tests: hand-made JWTs (so a test can forge exactly the
// header or claim it means to), and key material made with openssl at test time.

#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace switchboard::test {

inline QByteArray base64Url(const QByteArray& bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

inline QByteArray compactJson(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Claims of a token valid for an hour from now, for `subject` with `role`.
inline QJsonObject validClaims(const QString& subject = QStringLiteral("alice"),
                               const QString& role = QStringLiteral("user"))
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return QJsonObject{{QLatin1String("sub"), subject},
                       {QLatin1String("role"), role},
                       {QLatin1String("iat"), now},
                       {QLatin1String("exp"), now + 3600}};
}

// header.claims signed with HMAC-SHA256 under `key`, whatever the header says.
inline QByteArray hmacToken(const QJsonObject& header, const QJsonObject& claims,
                            const QByteArray& key)
{
    const QByteArray signingInput =
        base64Url(compactJson(header)) + '.' + base64Url(compactJson(claims));
    return signingInput + '.' +
           base64Url(
               QMessageAuthenticationCode::hash(signingInput, key, QCryptographicHash::Sha256));
}

inline QByteArray hs256Token(const QJsonObject& claims, const QByteArray& key)
{
    return hmacToken({{QLatin1String("alg"), QLatin1String("HS256")},
                      {QLatin1String("typ"), QLatin1String("JWT")}},
                     claims, key);
}

// An unsigned token: `"alg": "none"` and an empty signature.
inline QByteArray unsignedToken(const QJsonObject& claims)
{
    return base64Url(compactJson({{QLatin1String("alg"), QLatin1String("none")},
                                  {QLatin1String("typ"), QLatin1String("JWT")}})) +
           '.' + base64Url(compactJson(claims)) + '.';
}

// Runs openssl with `arguments` in `directory`; empty string on success, else its errors.
inline QString openssl(const QStringList& arguments, const QString& directory)
{
    QProcess process;
    process.setWorkingDirectory(directory);
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(60000) || process.exitCode() != 0)
        return QString::fromLocal8Bit(process.readAllStandardError()) + process.errorString();
    return {};
}

inline QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace switchboard::test

#include <QElapsedTimer>
#include <QHostAddress>
#include <QTcpSocket>

namespace switchboard::test {

// One HTTP exchange written by hand, so a test controls every header (Origin, Upgrade) and
// sees the refusal a WebSocket client library would hide. Reads until the server closes or
// the head and Content-Length bytes have arrived.
inline QByteArray rawExchange(quint16 port, const QByteArray& request, int timeoutMs = 5000)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(request);
    QByteArray response;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        const qsizetype headEnd = response.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
            const qsizetype at = response.toLower().indexOf("content-length:");
            if (response.startsWith("HTTP/1.1 101"))
                break;
            if (at >= 0 && at < headEnd) {
                const qsizetype lineEnd = response.indexOf("\r\n", at);
                const qsizetype length =
                    response.mid(at + 15, lineEnd - at - 15).trimmed().toLongLong();
                if (response.size() >= headEnd + 4 + length)
                    break;
            }
        }
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
            break;
        if (socket.bytesAvailable() == 0)
            socket.waitForReadyRead(100);
        response += socket.readAll();
    }
    return response;
}

inline QByteArray upgradeRequest(const QByteArray& pathAndQuery,
                                 const QList<QByteArray>& extraHeaders = {})
{
    QByteArray request = "GET " + pathAndQuery +
                         " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                         "Sec-WebSocket-Version: 13\r\n";
    for (const QByteArray& header : extraHeaders)
        request += header + "\r\n";
    return request + "\r\n";
}

} // namespace switchboard::test

#include <QEventLoop>
#include <QNetworkRequest>
#include <QTimer>
#include <QWebSocket>

namespace switchboard::test {

// Opens `socket` and returns as soon as the hub either completes or refuses the handshake
// (TestClient::open waits out its whole timeout on a refusal).
inline bool openOrRefused(QWebSocket& socket, const QUrl& url, const QByteArray& bearer = {},
                          int timeoutMs = 5000)
{
    QNetworkRequest request(url);
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);
    QEventLoop loop;
    QObject::connect(&socket, &QWebSocket::connected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), &loop,
                     &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    socket.open(request);
    if (socket.state() != QAbstractSocket::ConnectedState)
        loop.exec();
    QObject::disconnect(&socket, nullptr, &loop, nullptr);
    return socket.state() == QAbstractSocket::ConnectedState;
}

} // namespace switchboard::test
