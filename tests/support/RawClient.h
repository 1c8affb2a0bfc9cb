#pragma once

// A bare TCP client for tests that must misbehave in ways QWebSocket never would: send half
// a request, finish a WebSocket handshake and then never read or answer pings.

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpSocket>

namespace switchboard::test {

class RawClient {
public:
    bool connectTo(quint16 port)
    {
        socket.connectToHost(QHostAddress::LocalHost, port);
        return socket.waitForConnected(5000);
    }

    // Performs the opening handshake by hand; true when the server answered 101.
    bool handshake(const QString& pathAndQuery)
    {
        socket.write(
            "GET " + pathAndQuery.toUtf8() +
            " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QByteArray response;
        QElapsedTimer timer;
        timer.start();
        while (!response.contains("\r\n\r\n") && timer.elapsed() < 5000) {
            if (socket.bytesAvailable() == 0)
                socket.waitForReadyRead(100);
            // Read only the response head: frames after it stay unread on purpose.
            while (!response.contains("\r\n\r\n") && socket.bytesAvailable() > 0)
                response += socket.read(1);
        }
        return response.startsWith("HTTP/1.1 101");
    }

    // Sends one short masked text frame (mask key 0, so the payload goes as is).
    void sendText(const QByteArray& payload)
    {
        Q_ASSERT(payload.size() < 126);
        QByteArray frame;
        frame.append(char(0x81));
        frame.append(char(0x80 | payload.size()));
        frame.append(QByteArray(4, '\0'));
        frame.append(payload);
        socket.write(frame);
    }

    // Waits for the server to drop the connection; returns the time it took.
    qint64 waitDropped(int timeoutMs)
    {
        QElapsedTimer timer;
        timer.start();
        if (socket.state() != QAbstractSocket::UnconnectedState) {
            QSignalSpy spy(&socket, &QTcpSocket::disconnected);
            spy.wait(timeoutMs);
        }
        return socket.state() == QAbstractSocket::UnconnectedState ? timer.elapsed() : -1;
    }

    QTcpSocket socket;
};

} // namespace switchboard::test
