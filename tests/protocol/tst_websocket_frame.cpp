// Server frames (wire/WebSocketFrame.h): the header for every length class, and a text frame
// made in its payload's own buffer when the payload left room for the header (no second
// buffer, no copy) and aligned as a buffer of its own would be, without touching a payload that
// something else still holds.

#include "wire/WebSocketFrame.h"

#include <QTest>

using namespace switchboard;

namespace {

// The frame RFC 6455 §5.2 describes: FIN and text opcode, the length in its shortest form,
// no mask, then the payload.
QByteArray expectedTextFrame(const QByteArray& payload)
{
    QByteArray frame(1, char(0x81));
    const quint64 size = quint64(payload.size());
    if (size < 126) {
        frame += char(size);
    } else if (size <= 0xFFFF) {
        frame += char(126);
        for (int shift = 8; shift >= 0; shift -= 8)
            frame += char((size >> shift) & 0xFF);
    } else {
        frame += char(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            frame += char((size >> shift) & 0xFF);
    }
    return frame + payload;
}

} // namespace

class tst_WebSocketFrame : public QObject {
    Q_OBJECT

private slots:
    void textFramesEveryLength_data();
    void textFramesEveryLength();
    void aPayloadWithRoomIsFramedWhereItStands_data();
    void aPayloadWithRoomIsFramedWhereItStands();
    void aSharedPayloadIsLeftAsItWas();
};

void tst_WebSocketFrame::textFramesEveryLength_data()
{
    QTest::addColumn<int>("size");
    for (const int size : {0, 1, 125, 126, 127, 0xFFFF, 0x10000, 200000})
        QTest::addRow("%d bytes", size) << size;
}

void tst_WebSocketFrame::textFramesEveryLength()
{
    QFETCH(int, size);
    const QByteArray payload(size, 'x');
    QCOMPARE(WebSocketFrame::text(payload), expectedTextFrame(payload));
    QCOMPARE(WebSocketFrame::encode(WebSocketFrame::Opcode::Text, payload),
             expectedTextFrame(payload));
}

void tst_WebSocketFrame::aPayloadWithRoomIsFramedWhereItStands_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("capacity"); // what the writer reserved
    QTest::addRow("short") << 40 << 64;
    QTest::addRow("125 bytes, the last of the one-byte length") << 125 << 125;
    QTest::addRow("two-byte length") << 3000 << 3000;
    QTest::addRow("eight-byte length") << 70000 << 70000;
}

void tst_WebSocketFrame::aPayloadWithRoomIsFramedWhereItStands()
{
    QFETCH(int, size);
    QFETCH(int, capacity);
    QByteArray payload = WebSocketFrame::payloadBuffer(capacity);
    QVERIFY(payload.isEmpty());
    for (int i = 0; i < size; ++i)
        payload += char('a' + i % 26);
    const QByteArray expected = expectedTextFrame(payload);
    const char* const text = payload.constData();

    const QByteArray frame = WebSocketFrame::text(std::move(payload));
    QCOMPARE(frame, expected);
    // The header went into the room before the text: the same buffer, nothing copied.
    const qsizetype headerBytes = expected.size() - size;
    QVERIFY(frame.constData() + headerBytes == text);
    // And the frame starts on the boundary a buffer of its own starts on (the kernel copies
    // it once per client; a misaligned source is slower).
    const QByteArray own(size, 'x');
    QCOMPARE(quintptr(frame.constData()) % 16, quintptr(own.constData()) % 16);
}

void tst_WebSocketFrame::aSharedPayloadIsLeftAsItWas()
{
    QByteArray payload = WebSocketFrame::payloadBuffer(32);
    payload += R"({"type":"ack"})";
    const QByteArray kept = payload; // another holder, e.g. a history entry
    const QByteArray frame = WebSocketFrame::text(payload);
    QCOMPARE(frame, expectedTextFrame(kept));
    QCOMPARE(payload, kept);
    QCOMPARE(kept, QByteArray(R"({"type":"ack"})"));
    QVERIFY(frame.constData() != kept.constData());
}

QTEST_GUILESS_MAIN(tst_WebSocketFrame)
#include "tst_websocket_frame.moc"
