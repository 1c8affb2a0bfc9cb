#pragma once

// HTTP/1.1 spoken by hand over one TCP connection, for tests that must see the exact bytes on
// the wire: every header (QNetworkAccessManager folds and hides some), HEAD responses that
// must carry no body, refused WebSocket upgrades and refusals written by the listener itself.

#include <QByteArray>
#include <QDeadlineTimer>
#include <QList>
#include <QPair>
#include <QTcpSocket>

namespace switchboard::test {

struct RawResponse {
    bool complete = false; // a status line, every header and the whole body arrived
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray& name) const
    {
        for (const auto& [key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }

    int headerCount(const QByteArray& name) const
    {
        int count = 0;
        for (const auto& header : headers) {
            if (header.first.compare(name, Qt::CaseInsensitive) == 0)
                ++count;
        }
        return count;
    }
};

// One request as it goes on the wire, with Host and (for a body) Content-Length.
inline QByteArray httpRequest(const QByteArray& method, const QByteArray& target,
                              const QList<QPair<QByteArray, QByteArray>>& headers = {},
                              const QByteArray& body = {})
{
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    bool framed = false; // the caller says how the body is delimited
    for (const auto& [name, value] : headers) {
        request += name + ": " + value + "\r\n";
        framed = framed || name.compare("Content-Length", Qt::CaseInsensitive) == 0 ||
                 name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0;
    }
    if (!framed && (!body.isEmpty() || method == "POST" || method == "PUT"))
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return request + "\r\n" + body;
}

// A WebSocket opening handshake for `target` (path and query).
inline QByteArray upgradeRequest(const QByteArray& target,
                                 const QList<QPair<QByteArray, QByteArray>>& headers = {})
{
    QList<QPair<QByteArray, QByteArray>> all{{"Upgrade", "websocket"},
                                             {"Connection", "Upgrade"},
                                             {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                             {"Sec-WebSocket-Version", "13"}};
    all += headers;
    return httpRequest("GET", target, all);
}

// Reads HTTP responses from a socket it does not own (plain or TLS). Bytes after a response
// stay for the next read.
class ResponseReader {
public:
    explicit ResponseReader(QTcpSocket& socket)
        : m_socket(socket)
    {}

    // Reads the next response. `headRequest`: it answers a HEAD, so no body follows the
    // headers, whatever Content-Length says.
    RawResponse read(bool headRequest = false, int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        RawResponse response;
        qsizetype headEnd = -1;
        while ((headEnd = m_buffer.indexOf("\r\n\r\n")) < 0) {
            if (!fill(deadline))
                return response;
        }
        const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        if (statusLine.size() < 2 || !statusLine.first().startsWith("HTTP/1."))
            return response; // not a response: whatever came before was not what it claimed
        response.status = statusLine.at(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                response.headers.append(
                    {lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
        }
        m_buffer.remove(0, headEnd + 4);

        const bool noBody = headRequest || response.status == 100 || response.status == 101 ||
                            response.status == 204 || response.status == 304;
        if (noBody) {
            response.complete = true;
            return response;
        }
        const QByteArray lengthHeader = response.header("Content-Length");
        if (!lengthHeader.isEmpty()) {
            const qsizetype length = lengthHeader.toLongLong();
            while (m_buffer.size() < length) {
                if (!fill(deadline))
                    return response;
            }
            response.body = m_buffer.left(length);
            m_buffer.remove(0, length);
            response.complete = true;
            return response;
        }
        // No length: the body ends when the server closes the connection.
        while (fill(deadline)) {
        }
        response.body = m_buffer;
        m_buffer.clear();
        response.complete = m_socket.state() == QAbstractSocket::UnconnectedState;
        return response;
    }

    // Bytes received but not yet consumed by read().
    QByteArray pending() const { return m_buffer; }

private:
    // Waits for more bytes; false when the connection ended or time ran out.
    bool fill(const QDeadlineTimer& deadline)
    {
        if (m_socket.bytesAvailable() == 0) {
            if (m_socket.state() != QAbstractSocket::ConnectedState || deadline.hasExpired())
                return false;
            m_socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        }
        const QByteArray chunk = m_socket.readAll();
        m_buffer += chunk;
        return !chunk.isEmpty() ||
               (m_socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired());
    }

    QTcpSocket& m_socket;
    QByteArray m_buffer;
};

class HttpConnection {
public:
    bool connectTo(quint16 port)
    {
        socket.connectToHost(QHostAddress::LocalHost, port);
        return socket.waitForConnected(5000);
    }

    void send(const QByteArray& bytes)
    {
        socket.write(bytes);
        socket.flush();
    }

    RawResponse read(bool headRequest = false, int timeoutMs = 5000)
    {
        return m_reader.read(headRequest, timeoutMs);
    }

    QByteArray pending() const { return m_reader.pending(); }

    QTcpSocket socket;

private:
    ResponseReader m_reader{socket};
};

// Opens a connection, sends `request` and reads one response.
inline RawResponse exchange(quint16 port, const QByteArray& request, bool headRequest = false)
{
    HttpConnection connection;
    if (!connection.connectTo(port))
        return {};
    connection.send(request);
    return connection.read(headRequest);
}

} // namespace switchboard::test
