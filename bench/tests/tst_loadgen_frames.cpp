// The load generator's own parsing, checked without a network: if these are wrong, every bench
// number is wrong.

#include "Handshake.h"
#include "LatencyHistogram.h"
#include "MessageScan.h"
#include "WsFrame.h"

#include <QTest>

#include <string>
#include <vector>

using namespace loadgen;

namespace {

// An unmasked frame as a server sends it.
std::string serverFrame(uint8_t opcode, const std::string& payload, bool fin = true)
{
    std::string frame;
    frame += char((fin ? 0x80 : 0x00) | opcode);
    const size_t n = payload.size();
    if (n < 126) {
        frame += char(n);
    } else if (n <= 0xFFFF) {
        frame += char(126);
        frame += char(n >> 8);
        frame += char(n & 0xFF);
    } else {
        frame += char(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            frame += char((uint64_t(n) >> shift) & 0xFF);
    }
    return frame + payload;
}

struct Message {
    uint8_t opcode;
    std::string payload;
};

// Feeds stream in pieces of chunk bytes, the way reads cut it, keeping what was not consumed.
std::vector<Message> readAll(FrameReader& reader, const std::string& stream, size_t chunk)
{
    std::vector<Message> messages;
    std::string pending;
    for (size_t offset = 0; offset < stream.size(); offset += chunk) {
        pending += stream.substr(offset, chunk);
        const size_t used = reader.feed(pending.data(), pending.size(),
                                        [&](uint8_t opcode, const char* data, size_t size) {
                                            messages.push_back({opcode, std::string(data, size)});
                                        });
        pending.erase(0, used);
        if (reader.error() != FrameReader::Error::None)
            break;
    }
    return messages;
}

} // namespace

class TestLoadgenFrames : public QObject {
    Q_OBJECT

private slots:
    void readsAllThreeLengthEncodingsWhateverTheReadBoundaries()
    {
        const std::string small(125, 'a');
        const std::string medium(300, 'b');
        const std::string large(70000, 'c');
        const std::string stream = serverFrame(Text, small) + serverFrame(Text, medium) +
                                   serverFrame(Binary, large) + serverFrame(Text, "");
        for (size_t chunk : {size_t(1), size_t(3), size_t(127), size_t(4096), stream.size()}) {
            FrameReader reader;
            const auto messages = readAll(reader, stream, chunk);
            QCOMPARE(int(reader.error()), int(FrameReader::Error::None));
            QCOMPARE(messages.size(), size_t(4));
            QVERIFY(messages[0].payload == small);
            QVERIFY(messages[1].payload == medium);
            QCOMPARE(messages[2].opcode, uint8_t(Binary));
            QVERIFY(messages[2].payload == large);
            QVERIFY(messages[3].payload.empty());
        }
    }

    void reassemblesFragmentsAroundAControlFrame()
    {
        const std::string stream = serverFrame(Text, "hel", false) + serverFrame(Ping, "p") +
                                   serverFrame(Continuation, "lo ", false) +
                                   serverFrame(Continuation, "world");
        FrameReader reader;
        const auto messages = readAll(reader, stream, 2);
        QCOMPARE(messages.size(), size_t(2));
        QCOMPARE(messages[0].opcode, uint8_t(Ping));
        QCOMPARE(messages[1].opcode, uint8_t(Text));
        QVERIFY(messages[1].payload == "hello world");
    }

    void rejectsWhatAServerMustNotSend()
    {
        const auto fails = [](const std::string& stream) {
            FrameReader reader;
            readAll(reader, stream, stream.size());
            return reader.error() == FrameReader::Error::Protocol;
        };
        std::string masked = serverFrame(Text, "abcd");
        masked[1] = char(masked[1] | 0x80);
        masked.insert(2, "\0\0\0\0", 4);
        QVERIFY(fails(masked));
        QVERIFY(fails(serverFrame(Ping, std::string(126, 'x'))));        // control frame too long
        QVERIFY(fails(serverFrame(Close, "", false)));                   // fragmented control
        QVERIFY(fails(serverFrame(Continuation, "x")));                  // nothing to continue
        QVERIFY(fails(std::string("\x81\x7e\x00\x05hello", 9)));         // non-minimal length
        QVERIFY(fails(std::string("\xC1\x01x", 3)));                     // RSV1 without extension
        QVERIFY(fails(std::string("\x83\x01x", 3)));                     // reserved opcode
        QVERIFY(!fails(serverFrame(Close, std::string("\x03\xe8", 2)))); // a normal close

        FrameReader limited(100);
        readAll(limited, serverFrame(Text, std::string(101, 'x')), 1000);
        QCOMPARE(int(limited.error()), int(FrameReader::Error::TooLarge));
    }

    void writesMaskedClientFrames()
    {
        for (size_t size : {size_t(0), size_t(125), size_t(126), size_t(65535), size_t(65536)}) {
            std::string payload(size, 'q');
            for (size_t i = 0; i < size; ++i)
                payload[i] = char('a' + i % 26);
            std::string out;
            appendClientFrame(out, Text, payload, 0x11223344);
            FrameHeader header;
            QCOMPARE(int(parseFrameHeader(reinterpret_cast<const unsigned char*>(out.data()),
                                          out.size(), header)),
                     int(HeaderStatus::Ok));
            QVERIFY(header.fin);
            QVERIFY(header.masked);
            QCOMPARE(header.opcode, uint8_t(Text));
            QCOMPARE(header.payloadLength, uint64_t(size));
            QCOMPARE(out.size(), header.headerLength + size);
            const char* mask = out.data() + header.headerLength - 4;
            std::string unmasked(out.data() + header.headerLength, size);
            for (size_t i = 0; i < size; ++i)
                unmasked[i] = char(unmasked[i] ^ mask[i % 4]);
            QVERIFY(unmasked == payload);
        }
    }

    void scansTheFieldsOfAnEventInAnyLayout()
    {
        const std::string compact =
            R"({"type":"event","topic":"bench","seq":42,"event":"tick","ts":"2026-01-01T00:00:00.000Z","data":{"t":1234567890123,"pad":"xxx"}})";
        QCOMPARE(findInteger(compact, "seq").value_or(-1), int64_t(42));
        QCOMPARE(findInteger(compact, "t").value_or(-1), int64_t(1234567890123));
        QVERIFY(messageType(compact) == std::optional<std::string_view>("event"));

        // Sorted keys (QJsonObject), spaces (Python), a string value "t", a double.
        const std::string other =
            R"({"data": {"pad": "t", "t": 1.5e+15}, "event": "t", "seq" : 7, "ts": "x", "type": "event"})";
        QCOMPARE(findInteger(other, "seq").value_or(-1), int64_t(7));
        QCOMPARE(findInteger(other, "t").value_or(-1), int64_t(1'500'000'000'000'000));
        QVERIFY(messageType(other) == std::optional<std::string_view>("event"));

        for (const std::string& event : {compact, other}) {
            const EventFields fields = scanEvent(event);
            QVERIFY(fields.type == std::optional<std::string_view>("event"));
            QCOMPARE(fields.seq.value_or(-1), findInteger(event, "seq").value_or(-2));
            QCOMPARE(fields.sendTime.value_or(-1), findInteger(event, "t").value_or(-2));
        }
        QCOMPARE(findInteger(R"({"n":-12})", "n").value_or(0), int64_t(-12));
        QCOMPARE(findInteger(R"({"n":1234567890123456789})", "n").value_or(0),
                 int64_t(1234567890123456789));
        QVERIFY(!findInteger(R"({"n":"12"})", "n"));
        // t last, as a server that sorts keys sends it, and lookalikes at the end.
        QCOMPARE(scanEvent(R"({"type":"event","seq":5,"data":{"pad":"xx","t":77}})")
                     .sendTime.value_or(-1),
                 int64_t(77));
        QCOMPARE(
            scanEvent(
                "{\"type\":\"event\",\"data\":{\"t\":1,\"x\":\"a\\\"t\\\":9\"},\"z\":{\"t\" : 8 }}")
                .sendTime.value_or(-1),
            int64_t(8));
        QCOMPARE(scanEvent("{\"type\":\"event\",\"data\":{\"t\":1,\"x\":\"y\\\"t\\\":9}\"}}")
                     .sendTime.value_or(-1),
                 int64_t(1));
        // Key-like text inside a string value is not a key.
        const EventFields tricky =
            scanEvent("{\"pad\":\"\\\"t\\\":5, \\\"seq\\\":9\",\"t\":3,\"type\":\"event\"}");
        QCOMPARE(tricky.sendTime.value_or(-1), int64_t(3));
        QVERIFY(!tricky.seq);

        const std::string ack = R"({"type":"ack","id":"1","data":{"seq":{"bench":17}}})";
        QCOMPARE(findInteger(ack, "bench").value_or(-1), int64_t(17));
        QVERIFY(findString(ack, "id") == std::optional<std::string_view>("1"));
        QVERIFY(!findInteger(ack, "seq")); // an object, not a number
        QVERIFY(!findInteger(ack, "delivered"));
        QVERIFY(findString("{\"error\":\"a \\\"quoted\\\" word\",\"x\":1}", "error") ==
                std::optional<std::string_view>("a \\\"quoted\\\" word"));
    }

    void readsTheNativeLayoutFastAsTheLongWay()
    {
        // Every server writes NativeDialect's order; the fast path must read what the walk
        // over the whole message reads, for every length of number.
        for (int digits = 1; digits <= 18; ++digits) {
            int64_t value = 0;
            for (int i = 0; i < digits; ++i)
                value = value * 10 + (i * 7 + digits) % 10;
            for (const std::string& topic : {std::string("bench"), std::string("bench-417")}) {
                // Plain strings: moc 6.4 misreads a raw string that ends in a quote.
                const std::string event =
                    "{\"type\":\"event\",\"topic\":\"" + topic +
                    "\",\"seq\":" + std::to_string(value) +
                    ",\"event\":\"tick\",\"ts\":\"2026-01-01T00:00:00Z\"," +
                    "\"data\":{\"pad\":\"xxxxxxxx\",\"t\":" + std::to_string(value) + "}}";
                const EventFields fields = scanEvent(event);
                QVERIFY(fields.type == std::optional<std::string_view>("event"));
                QCOMPARE(fields.seq.value_or(-1), value);
                QCOMPARE(fields.sendTime.value_or(-1), value);
            }
        }
        // Not the native layout: the long way still reads it.
        // (Not a raw string: moc 6.4 loses its way in one that holds \".)
        const EventFields escaped = scanEvent("{\"type\":\"event\",\"topic\":\"a\\\"b\",\"seq\":3,"
                                              "\"data\":{\"pad\":\"\",\"t\":4}}");
        QCOMPARE(escaped.seq.value_or(-1), int64_t(3));
        QCOMPARE(escaped.sendTime.value_or(-1), int64_t(4));
        const EventFields noT =
            scanEvent(R"({"type":"event","topic":"x","seq":3,"data":{"t":4,"pad":""}})");
        QCOMPARE(noT.seq.value_or(-1), int64_t(3));
        QCOMPARE(noT.sendTime.value_or(-1), int64_t(4));
    }

    void readsResponseHeads()
    {
        const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                     "content-length: 7\r\n\r\n[{\"a\"}]";
        QCOMPARE(int(parseResponseHead(response.substr(0, 20)).status),
                 int(ResponseHead::Status::NeedMore));
        const ResponseHead head = parseResponseHead(response);
        QCOMPARE(int(head.status), int(ResponseHead::Status::Complete));
        QCOMPARE(head.code, 200);
        QCOMPARE(head.contentLength, size_t(7));
        QCOMPARE(head.headerLength, response.size() - 7);
        QCOMPARE(parseResponseHead("HTTP/1.1 403 Forbidden\r\n\r\n").code, 403);
        QCOMPARE(
            int(parseResponseHead("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").status),
            int(ResponseHead::Status::Invalid));
        QCOMPARE(int(parseResponseHead("SSH-2.0-OpenSSH\r\n\r\n").status),
                 int(ResponseHead::Status::Invalid));

        const std::string request =
            jsonRequest("POST", "127.0.0.1:8000", "/api/v1/publish", "[1]", "abc");
        QVERIFY(request == "POST /api/v1/publish HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
                           "Authorization: Bearer abc\r\nContent-Type: application/json\r\n"
                           "Content-Length: 3\r\n\r\n[1]");
        QVERIFY(jsonRequest("POST", "h", "/p", "{}", "").find("Authorization") ==
                std::string::npos);
    }

    void checksTheHandshake()
    {
        // The example of RFC 6455 §1.3.
        const std::string key = "dGhlIHNhbXBsZSBub25jZQ==";
        const std::string accept = expectedAccept(key);
        QVERIFY(accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        QCOMPARE(makeWebSocketKey(1, 2).size(), size_t(24));

        const std::string reply = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\n"
                                  "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                                  accept + "\r\n\r\n\x81\x02hi";
        QCOMPARE(int(parseUpgradeReply(reply.substr(0, 40), accept).status),
                 int(HandshakeReply::Status::NeedMore));
        const HandshakeReply ok = parseUpgradeReply(reply, accept);
        QCOMPARE(int(ok.status), int(HandshakeReply::Status::Accepted));
        QCOMPARE(ok.headerLength, reply.size() - 4);
        QCOMPARE(int(parseUpgradeReply(reply, "wrong").status),
                 int(HandshakeReply::Status::Rejected));
        QCOMPARE(int(parseUpgradeReply("HTTP/1.1 403 Forbidden\r\n\r\n", accept).status),
                 int(HandshakeReply::Status::Rejected));
    }

    void histogramPercentilesAreWithinATenthOfAPercent()
    {
        LatencyHistogram histogram;
        for (int64_t micros = 1; micros <= 10000; ++micros)
            histogram.record(micros * 1000);
        const auto near = [](uint64_t actual, double expected) {
            return std::abs(double(actual) - expected) <= expected * 0.001 + 1;
        };
        QVERIFY(near(histogram.percentile(0.5), 5'000'000));
        QVERIFY(near(histogram.percentile(0.99), 9'900'000));
        QCOMPARE(histogram.percentile(1.0), uint64_t(10'000'000));
        const LatencySummary summary = histogram.summary();
        QCOMPARE(summary.count, uint64_t(10000));
        QVERIFY(std::abs(summary.meanMs - 5.0005) < 1e-9);
        histogram.record(-5); // a clock step must not crash or wrap
        QCOMPARE(histogram.count(), uint64_t(10001));
    }
};

QTEST_APPLESS_MAIN(TestLoadgenFrames)
#include "tst_loadgen_frames.moc"
