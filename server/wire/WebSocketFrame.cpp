#include "WebSocketFrame.h"

#include <QtEndian>

namespace switchboard::WebSocketFrame {

QByteArray encode(Opcode opcode, const QByteArray& payload)
{
    const char first = char(0x80 | quint8(opcode)); // FIN and the opcode
    const qsizetype size = payload.size();
    QByteArray frame;
    if (size < 126) {
        frame.reserve(2 + size);
        frame.append(first);
        frame.append(char(size));
    } else if (size <= 0xFFFF) {
        frame.reserve(4 + size);
        frame.append(first);
        frame.append(char(126));
        uchar length[2];
        qToBigEndian(quint16(size), length);
        frame.append(reinterpret_cast<const char*>(length), 2);
    } else {
        frame.reserve(10 + size);
        frame.append(first);
        frame.append(char(127));
        uchar length[8];
        qToBigEndian(quint64(size), length);
        frame.append(reinterpret_cast<const char*>(length), 8);
    }
    frame.append(payload);
    return frame;
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
