#pragma once

// A bare WebSocket client for tests that need many connections (a thousand from one address)
// or a socket bound to a chosen local address (127.0.0.2, a second "machine" on loopback):
// one QTcpSocket, driven by the test's event loop, that sends its upgrade request and its
// first messages in one write and collects the text frames and the close code it receives.
// No QWebSocket per client: a thousand of them would cost the test more than the hub.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTcpSocket>
#include <QtEndian>

namespace switchboard::test {

class LightClient : public QObject {
public:
    // `path`: path and query of the upgrade; `headers`: extra request headers.
    LightClient(quint16 port, QByteArray path, QList<QByteArray> firstMessages = {},
                QList<QPair<QByteArray, QByteArray>> headers = {}, QObject* parent = nullptr)
        : QObject(parent)
        , m_port(port)
        , m_path(std::move(path))
        , m_first(std::move(firstMessages))
        , m_headers(std::move(headers))
    {
        connect(&socket, &QTcpSocket::connected, this, [this] {
            QByteArray request = "GET " + m_path +
                                 " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                 "Sec-WebSocket-Version: 13\r\n";
            for (const auto& [name, value] : std::as_const(m_headers))
                request += name + ": " + value + "\r\n";
            request += "\r\n";
            for (const QByteArray& message : std::as_const(m_first))
                request += frame(message);
            socket.write(request);
        });
        connect(&socket, &QTcpSocket::readyRead, this, [this] { read(); });
        connect(&socket, &QTcpSocket::disconnected, this, [this] { closed = true; });
    }

    // Connects, from `from` when it is given (any loopback address works on Linux).
    void start(const QHostAddress& from = {})
    {
        if (!from.isNull())
            socket.bind(from);
        socket.connectToHost(QHostAddress::LocalHost, m_port);
    }

    void send(const QByteArray& text) { socket.write(frame(text)); }

    bool hasText(QByteArrayView needle) const
    {
        for (const QByteArray& text : texts) {
            if (text.contains(needle))
                return true;
        }
        return false;
    }

    int status = 0;          // of the answer to the upgrade: 101, or a refusal
    QByteArray refusal;      // the body of a refusal
    QList<QByteArray> texts; // text frames received
    int closeCode = -1;      // of a close frame received
    bool closed = false;     // the TCP connection ended
    QTcpSocket socket;

private:
    // A masked text frame (mask key 0: the payload goes as it is).
    static QByteArray frame(const QByteArray& payload)
    {
        QByteArray bytes(1, char(0x81));
        if (payload.size() < 126) {
            bytes.append(char(0x80 | payload.size()));
        } else {
            bytes.append(char(0x80 | 126));
            uchar length[2];
            qToBigEndian(quint16(payload.size()), length);
            bytes.append(reinterpret_cast<const char*>(length), 2);
        }
        return bytes + QByteArray(4, '\0') + payload;
    }

    void read()
    {
        m_buffer += socket.readAll();
        if (status == 0) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            status = m_buffer.mid(9, 3).toInt();
            m_buffer.remove(0, end + 4);
        }
        if (status != 101) {
            refusal += m_buffer;
            m_buffer.clear();
            return;
        }
        while (m_buffer.size() >= 2) {
            const auto* bytes = reinterpret_cast<const uchar*>(m_buffer.constData());
            qsizetype header = 2;
            qsizetype length = bytes[1] & 0x7F;
            if (length == 126) {
                if (m_buffer.size() < 4)
                    return;
                length = qFromBigEndian<quint16>(bytes + 2);
                header = 4;
            } else if (length == 127) {
                if (m_buffer.size() < 10)
                    return;
                length = qsizetype(qFromBigEndian<quint64>(bytes + 2));
                header = 10;
            }
            if (m_buffer.size() < header + length)
                return;
            const int opcode = bytes[0] & 0x0F;
            const QByteArray payload = m_buffer.mid(header, length);
            m_buffer.remove(0, header + length);
            if (opcode == 0x1)
                texts.append(payload);
            else if (opcode == 0x8 && closeCode < 0) {
                closeCode =
                    payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : 1005;
                // The close handshake's answer, as a browser gives it.
                const QByteArray code = payload.left(2);
                socket.write(QByteArray(1, char(0x88)) + char(0x80 | code.size()) +
                             QByteArray(4, '\0') + code);
            }
        }
    }

    quint16 m_port;
    QByteArray m_path;
    QList<QByteArray> m_first;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QByteArray m_buffer;
};

} // namespace switchboard::test
