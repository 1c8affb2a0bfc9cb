// The WebSocket protocol itself (RFC 6455), as the hub speaks it to any client: the opening
// handshake and its refusals, fragmentation, control frames, the close handshake, and every
// protocol violation a client can commit, over raw sockets that can misbehave in ways no
// client library would.

#include "RawClient.h"
#include "TestHub.h"
#include "net/UpgradeRequest.h"
#include "wire/WebSocketReader.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QtEndian>

using namespace switchboard;
using namespace switchboard::test;

namespace {

HubConfig openConfig()
{
    HubConfig config = testConfig();
    config.authMode = AuthMode::Off;
    config.maxMessageBytes = 64 * 1024;
    return config;
}

const QByteArray handshakeHead =
    "GET /ws/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

// A client frame: masked with a key that changes every byte, as a browser's would.
QByteArray clientFrame(quint8 firstByte, const QByteArray& payload, bool masked = true)
{
    QByteArray frame;
    frame.append(char(firstByte));
    const char maskBit = masked ? char(0x80) : char(0);
    if (payload.size() < 126) {
        frame.append(char(maskBit | char(payload.size())));
    } else {
        frame.append(char(maskBit | 126));
        uchar length[2];
        qToBigEndian(quint16(payload.size()), length);
        frame.append(reinterpret_cast<const char*>(length), 2);
    }
    if (!masked)
        return frame + payload;
    const QByteArray key = "\x37\xfa\x21\x3d";
    frame.append(key);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ key[i % 4]));
    return frame;
}

struct ServerFrame {
    int opcode = -1; // -1: none arrived
    QByteArray payload;
    quint16 closeCode() const
    {
        return payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : 0;
    }
};

// Reads whole server frames (unmasked, any length) from a raw socket.
class FrameClient : public RawClient {
public:
    bool open(quint16 port, const QByteArray& head = handshakeHead)
    {
        if (!connectTo(port))
            return false;
        socket.write(head);
        return readHead().startsWith("HTTP/1.1 101");
    }

    QByteArray readHead()
    {
        QElapsedTimer timer;
        timer.start();
        while (!buffer.contains("\r\n\r\n") && timer.elapsed() < 5000) {
            if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(100))
                continue;
            buffer += socket.readAll();
        }
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return {};
        QByteArray head = buffer.left(end + 4);
        buffer.remove(0, end + 4);
        return head;
    }

    // The whole answer to a refused request: head and body, until the server closes.
    QByteArray readUntilClosed()
    {
        QElapsedTimer timer;
        timer.start();
        while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < 5000)
            socket.waitForReadyRead(100);
        return buffer + socket.readAll();
    }

    ServerFrame next(int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            if (buffer.size() >= 2) {
                const auto* bytes = reinterpret_cast<const uchar*>(buffer.constData());
                qsizetype header = 2;
                qsizetype length = bytes[1] & 0x7F;
                if (length == 126 && buffer.size() >= 4) {
                    length = qFromBigEndian<quint16>(bytes + 2);
                    header = 4;
                } else if (length == 127 && buffer.size() >= 10) {
                    length = qsizetype(qFromBigEndian<quint64>(bytes + 2));
                    header = 10;
                }
                if ((bytes[1] & 0x7F) < 126 || header > 2) {
                    if (buffer.size() >= header + length) {
                        ServerFrame frame{bytes[0] & 0x0F, buffer.mid(header, length)};
                        buffer.remove(0, header + length);
                        return frame;
                    }
                }
            }
            if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(50) &&
                socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
                break;
            buffer += socket.readAll();
        }
        return {};
    }

    // Skips text frames until one of `opcode` arrives.
    ServerFrame nextOf(int opcode)
    {
        for (ServerFrame frame = next(); frame.opcode >= 0; frame = next()) {
            if (frame.opcode == opcode)
                return frame;
        }
        return {};
    }

    // The next text frame's JSON object.
    QJsonObject nextJson()
    {
        const ServerFrame frame = nextOf(0x1);
        return QJsonDocument::fromJson(frame.payload).object();
    }

    QByteArray buffer;
};

} // namespace

class tst_WebSocketProtocol : public QObject {
    Q_OBJECT

private slots:
    void acceptKeyFollowsTheRfc();
    void handshakeIsAnswered();
    void badHandshakesAreRefused_data();
    void badHandshakesAreRefused();
    void framesSentWithTheHandshakeAreRead();
    void fragmentedMessagesAreJoined();
    void batchesEndingInAPartFrameAreJoined();
    void pingIsAnsweredWithItsPayload();
    void protocolViolationsClose_data();
    void protocolViolationsClose();
    void oversizeFrameIsRefusedBeforeItsPayload();
    void oversizeFragmentedMessageCloses1009();
    void closeHandshake_data();
    void closeHandshake();
    void serverCloseWaitsForTheReply();
    void utf8Validation_data();
    void utf8Validation();
    void payloadsOfEveryLengthAreUnmasked();
};

void tst_WebSocketProtocol::acceptKeyFollowsTheRfc()
{
    // RFC 6455 §1.3's own example.
    QCOMPARE(UpgradeRequest::acceptKey("dGhlIHNhbXBsZSBub25jZQ=="),
             QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void tst_WebSocketProtocol::handshakeIsAnswered()
{
    TestHub hub(openConfig());
    QVERIFY(!hub.startError);
    FrameClient client;
    QVERIFY(client.connectTo(hub.host->port()));
    client.socket.write(handshakeHead);
    const QByteArray head = client.readHead();
    QVERIFY2(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head.constData());
    QVERIFY(head.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    QVERIFY(head.toLower().contains("\r\nupgrade: websocket\r\n"));
    QCOMPARE(client.nextJson().value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
}

void tst_WebSocketProtocol::badHandshakesAreRefused_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("header"); // one header the refusal must carry

    const QByteArray key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    const QByteArray upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    QTest::newRow("version 8") << QByteArray("GET /ws/v1 HTTP/1.1\r\nHost: h\r\n" + upgrade + key +
                                             "Sec-WebSocket-Version: 8\r\n\r\n")
                               << 426 << QByteArray("Sec-WebSocket-Version: 13");
    QTest::newRow("no key") << QByteArray("GET /ws/v1 HTTP/1.1\r\nHost: h\r\n" + upgrade +
                                          "Sec-WebSocket-Version: 13\r\n\r\n")
                            << 400 << QByteArray("Connection: close");
    QTest::newRow("short key") << QByteArray("GET /ws/v1 HTTP/1.1\r\nHost: h\r\n" + upgrade +
                                             "Sec-WebSocket-Key: c2hvcnQ=\r\n"
                                             "Sec-WebSocket-Version: 13\r\n\r\n")
                               << 400 << QByteArray("Connection: close");
    QTest::newRow("no Connection: Upgrade")
        << QByteArray("GET /ws/v1 HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n" + key +
                      "Sec-WebSocket-Version: 13\r\n\r\n")
        << 400 << QByteArray("Connection: close");
    QTest::newRow("POST") << QByteArray("POST /ws/v1 HTTP/1.1\r\nHost: h\r\n" + upgrade + key +
                                        "Sec-WebSocket-Version: 13\r\n\r\n")
                          << 405 << QByteArray("Allow: GET");
    QTest::newRow("HTTP/1.0") << QByteArray("GET /ws/v1 HTTP/1.0\r\nHost: h\r\n" + upgrade + key +
                                            "Sec-WebSocket-Version: 13\r\n\r\n")
                              << 505 << QByteArray("Connection: close");
    QTest::newRow("bad header line") << QByteArray("GET /ws/v1 HTTP/1.1\r\nHost h\r\n" + upgrade +
                                                   key + "Sec-WebSocket-Version: 13\r\n\r\n")
                                     << 400 << QByteArray("Connection: close");
    QTest::newRow("unknown path") << QByteArray("GET /ws/nowhere HTTP/1.1\r\nHost: h\r\n" +
                                                upgrade + key + "Sec-WebSocket-Version: 13\r\n\r\n")
                                  << 404 << QByteArray("Connection: close");
}

void tst_WebSocketProtocol::badHandshakesAreRefused()
{
    QFETCH(QByteArray, head);
    QFETCH(int, status);
    QFETCH(QByteArray, header);
    TestHub hub(openConfig());
    FrameClient client;
    QVERIFY(client.connectTo(hub.host->port()));
    client.socket.write(head);
    const QByteArray answer = client.readUntilClosed();
    QVERIFY2(answer.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status) + ' ')),
             answer.constData());
    QVERIFY2(answer.contains(QByteArray("\r\n" + header + "\r\n")), answer.constData());
    const QJsonObject body =
        QJsonDocument::fromJson(answer.mid(answer.indexOf("\r\n\r\n") + 4)).object();
    QVERIFY2(!body.value(QStringLiteral("error")).toString().isEmpty(), answer.constData());
    QCOMPARE(client.socket.state(), QAbstractSocket::UnconnectedState);
    // The hub goes on serving.
    FrameClient next;
    QVERIFY(next.open(hub.host->port()));
}

void tst_WebSocketProtocol::framesSentWithTheHandshakeAreRead()
{
    TestHub hub(openConfig());
    FrameClient client;
    QVERIFY(client.connectTo(hub.host->port()));
    // One write: the handshake and, behind it, a first message.
    client.socket.write(handshakeHead + clientFrame(0x81, R"({"type":"ping","id":"early"})"));
    QVERIFY(client.readHead().startsWith("HTTP/1.1 101"));
    QCOMPARE(client.nextJson().value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
    const QJsonObject pong = client.nextJson();
    QCOMPARE(pong.value(QStringLiteral("type")).toString(), QStringLiteral("pong"));
    QCOMPARE(pong.value(QStringLiteral("id")).toString(), QStringLiteral("early"));
}

void tst_WebSocketProtocol::fragmentedMessagesAreJoined()
{
    TestHub hub(openConfig());
    FrameClient client;
    QVERIFY(client.open(hub.host->port()));
    QCOMPARE(client.nextJson().value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
    // A text message in three frames, with a ping between two of them (RFC 6455 §5.4).
    client.socket.write(clientFrame(0x01, R"({"type":"pi)"));
    client.socket.write(clientFrame(0x89, "between"));
    client.socket.write(clientFrame(0x00, R"(ng","id":)"));
    client.socket.write(clientFrame(0x80, R"("joined"})"));
    const ServerFrame pong = client.next();
    QCOMPARE(pong.opcode, 0xA);
    QCOMPARE(pong.payload, QByteArray("between"));
    const QJsonObject reply = client.nextJson();
    QCOMPARE(reply.value(QStringLiteral("type")).toString(), QStringLiteral("pong"));
    QCOMPARE(reply.value(QStringLiteral("id")).toString(), QStringLiteral("joined"));
}

void tst_WebSocketProtocol::batchesEndingInAPartFrameAreJoined()
{
    TestHub hub(openConfig());
    FrameClient client;
    QVERIFY(client.open(hub.host->port()));
    QCOMPARE(client.nextJson().value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
    // A busy sender's batches (read through the hub's shared buffer): 50 requests of ~70
    // bytes each, a frame cut at each batch's end and finished by the next one.
    QByteArray stream;
    QList<qsizetype> cuts;
    for (int i = 0; i <= 100; ++i) {
        const QByteArray id = QByteArray::number(i).rightJustified(40, '0');
        const QByteArray frame = clientFrame(0x81, R"({"type":"ping","id":")" + id + R"("})");
        if (i == 50 || i == 100)
            cuts.append(stream.size() + frame.size() / 2);
        stream += frame;
    }
    qsizetype from = 0;
    int expected = 0;
    for (const qsizetype cut : cuts + QList<qsizetype>{stream.size()}) {
        QVERIFY(cut - from >= 2048 || cut == stream.size());
        client.socket.write(stream.mid(from, cut - from));
        from = cut;
        const int last = cut == stream.size() ? 100 : expected + 49;
        for (; expected <= last; ++expected) {
            const QJsonObject pong = client.nextJson();
            QCOMPARE(pong.value(QStringLiteral("type")).toString(), QStringLiteral("pong"));
            QCOMPARE(pong.value(QStringLiteral("id")).toString().toInt(), expected);
        }
    }
}

void tst_WebSocketProtocol::pingIsAnsweredWithItsPayload()
{
    TestHub hub(openConfig());
    FrameClient client;
    QVERIFY(client.open(hub.host->port()));
    const QByteArray payload(125, 'p'); // the largest a control frame may carry
    client.socket.write(clientFrame(0x89, payload));
    const ServerFrame pong = client.nextOf(0xA);
    QCOMPARE(pong.payload, payload);
}

void tst_WebSocketProtocol::protocolViolationsClose_data()
{
    QTest::addColumn<QByteArray>("frames");
    QTest::addColumn<int>("code");

    const QByteArray text = R"({"type":"ping"})";
    QTest::newRow("unmasked frame") << clientFrame(0x81, text, false) << 1002;
    QTest::newRow("reserved bit") << clientFrame(0xC1, text) << 1002;
    QTest::newRow("unknown data opcode") << clientFrame(0x83, text) << 1002;
    QTest::newRow("unknown control opcode") << clientFrame(0x8B, {}) << 1002;
    QTest::newRow("control frame over 125 bytes")
        << clientFrame(0x89, QByteArray(126, 'x')) << 1002;
    QTest::newRow("fragmented ping") << clientFrame(0x09, "x") << 1002;
    QTest::newRow("continuation without a message") << clientFrame(0x80, text) << 1002;
    QTest::newRow("new message inside a fragmented one")
        << clientFrame(0x01, "{") + clientFrame(0x81, text) << 1002;
    QTest::newRow("invalid UTF-8") << clientFrame(0x81, "\"\xC0\xAF\"") << 1007;
    QTest::newRow("UTF-8 split badly across fragments")
        << clientFrame(0x01, "\"\xE2\x82") + clientFrame(0x80, "\"") << 1007;
    QTest::newRow("close code that may not be sent") << clientFrame(0x88, "\x03\xED") << 1002;
    QTest::newRow("close frame of one byte") << clientFrame(0x88, "\x03") << 1002;
}

void tst_WebSocketProtocol::protocolViolationsClose()
{
    QFETCH(QByteArray, frames);
    QFETCH(int, code);
    TestHub hub(openConfig());
    FrameClient client;
    QVERIFY(client.open(hub.host->port()));
    client.socket.write(frames);
    const ServerFrame close = client.nextOf(0x8);
    QCOMPARE(int(close.closeCode()), code);
    QVERIFY(!close.payload.mid(2).isEmpty()); // a reason a person can read
    // RFC 6455 §7.1.7: failing the connection ends it. The server's FIN follows its close
    // frame at once; it does not wait (its 2 s close grace) for a reply this client never sends.
    QElapsedTimer sinceClose;
    sinceClose.start();
    QTRY_VERIFY_WITH_TIMEOUT(client.socket.state() == QAbstractSocket::UnconnectedState, 3000);
    QVERIFY2(sinceClose.elapsed() < 200, qPrintable(QString::number(sinceClose.elapsed())));
    FrameClient next;
    QVERIFY(next.open(hub.host->port()));
}

void tst_WebSocketProtocol::oversizeFrameIsRefusedBeforeItsPayload()
{
    TestHub hub(openConfig());
    FrameClient client;
    QVERIFY(client.open(hub.host->port()));
    // A header announcing 100 MB, and no payload: the limit is enforced on the header.
    QByteArray header("\x81\xFF", 2);
    uchar length[8];
    qToBigEndian(quint64(100'000'000), length);
    header.append(reinterpret_cast<const char*>(length), 8);
    header.append("\x01\x02\x03\x04", 4);
    client.socket.write(header);
    const ServerFrame close = client.nextOf(0x8);
    QCOMPARE(int(close.closeCode()), 1009);
}

void tst_WebSocketProtocol::oversizeFragmentedMessageCloses1009()
{
    TestHub hub(openConfig()); // 64 KiB messages
    FrameClient client;
    QVERIFY(client.open(hub.host->port()));
    const QByteArray part(40 * 1024, 'x');
    client.socket.write(clientFrame(0x01, part));
    client.socket.write(clientFrame(0x00, part)); // 80 KiB in all
    const ServerFrame close = client.nextOf(0x8);
    QCOMPARE(int(close.closeCode()), 1009);
}

void tst_WebSocketProtocol::closeHandshake_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("answer");
    QTest::newRow("normal, with a reason") << QByteArray("\x03\xE8"
                                                         "bye")
                                           << 1000;
    QTest::newRow("application code") << QByteArray("\x0F\xA0") << 4000;
    QTest::newRow("no code") << QByteArray() << 1000;
}

void tst_WebSocketProtocol::closeHandshake()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, answer);
    TestHub hub(openConfig());
    FrameClient client;
    QVERIFY(client.open(hub.host->port()));
    QCOMPARE(client.nextJson().value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
    QTRY_VERIFY(
        hub.send("GET", QStringLiteral("/metrics")).body.contains("\nswitchboard_connections 1\n"));
    client.socket.write(clientFrame(0x88, payload));
    const ServerFrame close = client.nextOf(0x8);
    QCOMPARE(int(close.closeCode()), answer);
    QVERIFY(client.waitDropped(5000) >= 0); // the server closes the TCP connection first
    QTRY_VERIFY(
        hub.send("GET", QStringLiteral("/metrics")).body.contains("\nswitchboard_connections 0\n"));
}

// A normal close the server starts (an operator's disconnect) is a handshake: the server waits
// for the client's close frame (up to its grace) and then ends the connection at once.
void tst_WebSocketProtocol::serverCloseWaitsForTheReply()
{
    TestHub hub(openConfig());
    FrameClient client;
    QVERIFY(client.open(hub.host->port()));
    const QJsonObject welcome = client.nextJson();
    const QString id = welcome.value(QStringLiteral("data"))
                           .toObject()
                           .value(QStringLiteral("session_id"))
                           .toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(hub.send("DELETE", QStringLiteral("/api/v1/ws/connections/") + id).status, 200);
    const ServerFrame close = client.nextOf(0x8);
    QCOMPARE(int(close.closeCode()), 1008);
    // No reply yet: the connection stays open for it.
    QVERIFY(!client.socket.waitForDisconnected(300));
    QCOMPARE(client.socket.state(), QAbstractSocket::ConnectedState);
    client.socket.write(clientFrame(0x88, close.payload.left(2)));
    QElapsedTimer sinceReply;
    sinceReply.start();
    QTRY_VERIFY_WITH_TIMEOUT(client.socket.state() == QAbstractSocket::UnconnectedState, 3000);
    QVERIFY2(sinceReply.elapsed() < 200, qPrintable(QString::number(sinceReply.elapsed())));
}

void tst_WebSocketProtocol::utf8Validation_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("plain") << true;
    QTest::newRow("two, three and four bytes")
        << QByteArray("\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") << true;
    QTest::newRow("overlong slash") << QByteArray("\xC0\xAF") << false;
    QTest::newRow("overlong three bytes") << QByteArray("\xE0\x80\xAF") << false;
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << false;
    QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << false;
    QTest::newRow("truncated") << QByteArray("\xE2\x82") << false;
    QTest::newRow("lone continuation") << QByteArray("\x80") << false;
    QTest::newRow("five-byte lead") << QByteArray("\xF8\x88\x80\x80\x80") << false;
}

void tst_WebSocketProtocol::utf8Validation()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(WebSocketReader::isValidUtf8(bytes), valid);
}

// The key is applied eight bytes at a time and then byte by byte: every length up to a few
// words, and a payload with a 16-bit length, comes out as it was sent.
void tst_WebSocketProtocol::payloadsOfEveryLengthAreUnmasked()
{
    WebSocketReader reader(1024 * 1024);
    QByteArray input;
    QList<QByteArray> sent;
    for (int length = 0; length <= 40; ++length) {
        QByteArray payload;
        for (int i = 0; i < length; ++i)
            payload.append(char('a' + (i * 7 + length) % 26));
        sent.append(payload);
    }
    sent.append(QByteArray(1000, 'z') + "tail");
    for (const QByteArray& payload : std::as_const(sent))
        input += clientFrame(0x81, payload);
    std::vector<WebSocketReader::Message> messages;
    QVERIFY(!reader.read(input, messages).has_value());
    QVERIFY(input.isEmpty());
    QCOMPARE(messages.size(), std::size_t(sent.size()));
    for (qsizetype i = 0; i < sent.size(); ++i)
        QCOMPARE(messages[std::size_t(i)].payload, sent[i]);
}

QTEST_GUILESS_MAIN(tst_WebSocketProtocol)
#include "tst_websocket_protocol.moc"
