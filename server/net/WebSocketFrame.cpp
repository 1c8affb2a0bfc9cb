#include "WebSocketFrame.h"

#include <QtEndian>

namespace switchboard::WebSocketFrame {

QByteArray text(const QByteArray& utf8)
{
    constexpr char finText = char(0x81);
    const qsizetype size = utf8.size();
    QByteArray frame;
    if (size < 126) {
        frame.reserve(2 + size);
        frame.append(finText);
        frame.append(char(size));
    } else if (size <= 0xFFFF) {
        frame.reserve(4 + size);
        frame.append(finText);
        frame.append(char(126));
        uchar length[2];
        qToBigEndian(quint16(size), length);
        frame.append(reinterpret_cast<const char*>(length), 2);
    } else {
        frame.reserve(10 + size);
        frame.append(finText);
        frame.append(char(127));
        uchar length[8];
        qToBigEndian(quint64(size), length);
        frame.append(reinterpret_cast<const char*>(length), 8);
    }
    frame.append(utf8);
    return frame;
}

} // namespace switchboard::WebSocketFrame
