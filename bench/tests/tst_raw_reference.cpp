// The raw reference server's protocol code, checked without a network: it must put the same
// bytes on the wire as Switchboard (whose event `data` is written by QJsonDocument), and read
// what the generator writes.

#include "RawProtocol.h"
#include "WsFrame.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <string>

using namespace rawref;

namespace {

// What Switchboard does with a publish's data: QJsonDocument, compact.
std::string qtCompact(const std::string& json)
{
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(json));
    return document.toJson(QJsonDocument::Compact).toStdString();
}

std::string rawCompact(const std::string& json)
{
    const std::optional<JsonValue> value = parseJson(json);
    if (!value)
        return "<parse error>";
    std::string out;
    if (!appendCompact(out, *value))
        return "<write error>";
    return out;
}

// Json::quoted in the server: an array of one string, minus the brackets.
std::string qtQuoted(const QString& text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2).toStdString();
}

} // namespace

class TestRawReference : public QObject {
    Q_OBJECT

private slots:
    void writesDataAsQJsonDocumentDoes_data()
    {
        QTest::addColumn<QString>("json");
        QTest::newRow("the bench's payload") << R"({"t":123456789012345,"pad":"xxxxxxxx"})";
        QTest::newRow("keys sorted, nested too") << R"({"b":1,"a":{"d":[1,{"z":0,"y":1}],"c":2}})";
        QTest::newRow("white space") << " { \"a\" : [ 1 , 2 ] , \"b\" : { } } ";
        // Not a raw string: moc 6.4 loses its way in one that holds \" and \\.
        QTest::newRow("escapes") << "{\"s\":\"q\\\"b\\\\s\\/t\\t\\n\\r\\b\\f\\u0001\\u001f\"}";
        QTest::newRow("unicode") << R"({"s":"\u00e9\u4e2d\ud83d\ude00","é":"ü"})";
        QTest::newRow("literals") << R"({"a":true,"b":false,"c":null,"d":[]})";
        QTest::newRow("integers") << R"({"a":0,"b":-17,"c":9007199254740993,"d":-0})";
        QTest::newRow("doubles") << R"({"a":2.5,"b":1.0,"c":1e3,"d":-0.125,"e":1.5e-7})";
        QTest::newRow("large doubles") << R"({"a":1e21,"b":123456789.125,"c":1E+300})";
        QTest::newRow("duplicate keys") << R"({"a":1,"b":2,"a":3})";
        QTest::newRow("empty") << "{}";
    }

    void writesDataAsQJsonDocumentDoes()
    {
        QFETCH(QString, json);
        const std::string text = json.toStdString();
        QCOMPARE(QString::fromStdString(rawCompact(text)), QString::fromStdString(qtCompact(text)));
    }

    void quotesStringsAsTheHubDoes()
    {
        for (const QString& text : {QStringLiteral("bench"), QStringLiteral("a \"b\" \\ c"),
                                    QStringLiteral("tab\there\x01\x1f"), QStringLiteral("é中/")}) {
            std::string out;
            appendQuoted(out, text.toStdString());
            QCOMPARE(QString::fromStdString(out), QString::fromStdString(qtQuoted(text)));
        }
    }

    void refusesInvalidJson()
    {
        for (const char* text : {"", "{", R"({"a":})", R"({"a" 1})", "[1,]", R"({"a":"\x"})", "01",
                                 "1.", "-", "tru", R"({"a":1}x)", "\"\x01\""}) {
            QVERIFY2(!parseJson(text), text);
        }
    }

    void encodesEventsInTheNativeDialectsOrder()
    {
        const int64_t ms = 1795291200123; // 2026-11-21T20:00:00.123Z
        const std::string event =
            encodeEvent("bench", 42, "tick", ms, rawCompact(R"({"t":7,"pad":"x"})"));
        QCOMPARE(QString::fromStdString(event),
                 QStringLiteral(R"({"type":"event","topic":"bench","seq":42,"event":"tick",)"
                                R"("ts":"2026-11-21T20:00:00.123Z","data":{"pad":"x","t":7}})"));
    }

    void writesTimestampsAsQt()
    {
        for (const qint64 ms : {qint64(0), qint64(1795204800123), qint64(951782400999),
                                QDateTime::currentMSecsSinceEpoch()}) {
            QCOMPARE(QString::fromStdString(isoTimestamp(ms)),
                     QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs));
        }
    }

    void answersTheRfcsSampleKey()
    {
        // RFC 6455 §1.3
        QCOMPARE(QString::fromStdString(acceptValue("dGhlIHNhbXBsZSBub25jZQ==")),
                 QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }

    void readsRequestHeads()
    {
        const std::string upgrade = "GET /ws/v1?token=abc HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    "upgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
                                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\nrest";
        RequestHead head = parseRequestHead(upgrade);
        QCOMPARE(int(head.status), int(RequestHead::Status::Complete));
        QVERIFY(head.upgradeWebSocket);
        QVERIFY(head.path == "/ws/v1");
        QVERIFY(head.query == "token=abc");
        QCOMPARE(head.headerLength, upgrade.size() - 4);

        head = parseRequestHead("POST /api/v1/publish HTTP/1.1\r\nContent-Length: 12\r\n"
                                "Connection: close\r\n\r\n");
        QCOMPARE(int(head.status), int(RequestHead::Status::Complete));
        QVERIFY(!head.upgradeWebSocket);
        QVERIFY(head.method == "POST");
        QCOMPARE(head.contentLength, size_t(12));
        QVERIFY(head.closeAfter);

        QCOMPARE(int(parseRequestHead("GET / HTTP/1.1\r\nHost: x\r\n").status),
                 int(RequestHead::Status::NeedMore));
        QCOMPARE(int(parseRequestHead("GARBAGE\r\n\r\n").status),
                 int(RequestHead::Status::Invalid));
        QCOMPARE(int(parseRequestHead("POST / HTTP/1.1\r\nContent-Length: x1\r\n\r\n").status),
                 int(RequestHead::Status::Invalid));
        QCOMPARE(int(parseRequestHead(std::string(20000, 'a'), 16384).status),
                 int(RequestHead::Status::Invalid));
    }

    void readsTheGeneratorsFrames()
    {
        for (const size_t size :
             {size_t(0), size_t(125), size_t(126), size_t(65535), size_t(65536)}) {
            std::string payload(size, 'x');
            for (size_t i = 0; i < size; ++i)
                payload[i] = char('a' + i % 26);
            std::string wire;
            loadgen::appendClientFrame(wire, loadgen::Text, payload, 0xA1B2C3D4);
            loadgen::appendClientFrame(wire, loadgen::Ping, "p", 0x01020304);
            // Every prefix of the first frame is incomplete, never wrong.
            for (const size_t cut : {size_t(0), size_t(1), size_t(5), wire.size() - 8}) {
                std::string prefix = wire.substr(0, cut);
                QCOMPARE(int(takeClientFrame(prefix.data(), prefix.size(), 1 << 20).status),
                         int(ClientFrame::Status::NeedMore));
            }
            ClientFrame frame = takeClientFrame(wire.data(), wire.size(), 1 << 20);
            QCOMPARE(int(frame.status), int(ClientFrame::Status::Complete));
            QVERIFY(frame.fin);
            QCOMPARE(frame.opcode, uint8_t(Text));
            QVERIFY(std::string(frame.payload, frame.payloadLength) == payload);
            frame = takeClientFrame(wire.data() + frame.frameLength,
                                    wire.size() - frame.frameLength, 1 << 20);
            QCOMPARE(frame.opcode, uint8_t(Ping));
            QVERIFY(std::string(frame.payload, frame.payloadLength) == "p");
        }
    }

    void refusesWhatAClientMustNotSend()
    {
        const auto status = [](std::string wire, uint64_t limit = 1 << 20) {
            return takeClientFrame(wire.data(), wire.size(), limit).status;
        };
        QCOMPARE(int(status(std::string("\x81\x02hi", 4))), int(ClientFrame::Status::Invalid));
        std::string big;
        loadgen::appendClientFrame(big, loadgen::Text, std::string(200, 'x'), 1);
        QCOMPARE(int(status(big, 100)), int(ClientFrame::Status::TooLarge));
        std::string rsv;
        loadgen::appendClientFrame(rsv, loadgen::Text, "x", 1);
        rsv[0] = char(rsv[0] | 0x40);
        QCOMPARE(int(status(rsv)), int(ClientFrame::Status::Invalid));
        std::string fragmentedPing;
        loadgen::appendClientFrame(fragmentedPing, loadgen::Ping, "x", 1);
        fragmentedPing[0] = char(fragmentedPing[0] & 0x7F);
        QCOMPARE(int(status(fragmentedPing)), int(ClientFrame::Status::Invalid));
    }

    void writesFramesTheGeneratorReads()
    {
        for (const uint64_t size : {uint64_t(0), uint64_t(125), uint64_t(126), uint64_t(65535),
                                    uint64_t(65536), uint64_t(1) << 33}) {
            char header[10];
            const size_t length = serverFrameHeader(header, Text, size);
            loadgen::FrameHeader parsed;
            QCOMPARE(int(loadgen::parseFrameHeader(reinterpret_cast<unsigned char*>(header), length,
                                                   parsed)),
                     int(loadgen::HeaderStatus::Ok));
            QCOMPARE(parsed.payloadLength, size);
            QCOMPARE(parsed.headerLength, length);
            QVERIFY(parsed.fin && !parsed.masked);
        }
    }
};

QTEST_APPLESS_MAIN(TestRawReference)
#include "tst_raw_reference.moc"
