#include "WebSocketFrame.h"

#include <QtEndian>

namespace switchboard::WebSocketFrame {

namespace {

// The length of a server frame's header for a payload of `size` bytes (RFC 6455 §5.2).
qsizetype headerBytesFor(qsizetype size)
{
    return size < 126 ? 2 : size <= 0xFFFF ? 4 : 10;
}

// Writes the header of a final frame of `opcode` carrying `size` bytes; returns its length.
qsizetype writeHeader(Opcode opcode, qsizetype size, char (&header)[maxHeaderBytes])
{
    header[0] = char(0x80 | quint8(opcode)); // FIN and the opcode
    const qsizetype length = headerBytesFor(size);
    if (length == 2) {
        header[1] = char(size);
    } else if (length == 4) {
        header[1] = char(126);
        qToBigEndian(quint16(size), header + 2);
    } else {
        header[1] = char(127);
        qToBigEndian(quint64(size), header + 2);
    }
    return length;
}

// Where a frame of its own starts: QByteArray's data follows a 16-byte header in a block from
// malloc, which is 16-byte aligned.
constexpr qsizetype frameAlignment = 16;

} // namespace

QByteArray encode(Opcode opcode, const QByteArray& payload)
{
    char header[maxHeaderBytes];
    const qsizetype headerBytes = writeHeader(opcode, payload.size(), header);
    QByteArray frame;
    frame.reserve(headerBytes + payload.size());
    frame.append(header, headerBytes);
    frame.append(payload);
    return frame;
}

QByteArray payloadBuffer(qsizetype capacity)
{
    // The room is the header a payload of `capacity` bytes takes, plus 16 bytes: the frame
    // then starts on a 16-byte boundary, as a buffer of its own would (the kernel copies each
    // frame once per client, and a misaligned source is its slow case).
    const qsizetype room = frameAlignment + headerBytesFor(capacity);
    // Qt 6's QByteArray erases at its front by moving its start rather than its bytes, and
    // prepends into free room at its front without moving anything: so the room is made by
    // writing placeholder bytes and erasing them while a byte still follows them (erasing
    // everything would keep the start where it is). tst_websocket_frame checks both.
    QByteArray buffer;
    buffer.reserve(room + 1 + capacity);
    buffer.resize(room + 1);
    buffer.remove(0, room);
    buffer.resize(0);
    return buffer;
}

QByteArray text(QByteArray utf8)
{
    char header[maxHeaderBytes];
    const qsizetype headerBytes = writeHeader(Opcode::Text, utf8.size(), header);
    // The buffer's own bookkeeping (Qt 6's QArrayDataPointer): public, but not in the docs.
    const QByteArray::DataPointer& buffer = utf8.data_ptr();
    if (buffer.needsDetach() || buffer.freeSpaceAtBegin() < headerBytes)
        return encode(Opcode::Text, utf8);
    utf8.prepend(QByteArrayView(header, headerBytes));
    return utf8;
}

QByteArray close(quint16 code, const QString& reason)
{
    constexpr qsizetype maxReasonBytes = 123; // a control frame's payload is at most 125
    QByteArray payload(2, Qt::Uninitialized);
    qToBigEndian(code, payload.data());
    QByteArray utf8 = reason.toUtf8();
    if (utf8.size() > maxReasonBytes) {
        qsizetype cut = maxReasonBytes;
        while (cut > 0 && (quint8(utf8[cut]) & 0xC0) == 0x80)
            --cut; // back to the start of the sequence that would be split
        utf8.truncate(cut);
    }
    return encode(Opcode::Close, payload + utf8);
}

} // namespace switchboard::WebSocketFrame
