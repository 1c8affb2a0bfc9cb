#pragma once

// Builds server-to-client WebSocket frames (RFC 6455 §5.2). Server frames are never
// masked, so one encoded frame is valid for every client: the hub encodes each event once
// per dialect and hands the same bytes to every subscriber. Qt WebSockets offers no way to
// send pre-encoded frames (every send re-frames and deep-copies the payload), which is why
// this small encoder exists.

#include <QByteArray>
#include <QString>

namespace switchboard::WebSocketFrame {

enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// A single final frame of `opcode` carrying `payload`.
QByteArray encode(Opcode opcode, const QByteArray& payload);

// A single final text frame carrying `utf8`.
inline QByteArray text(const QByteArray& utf8)
{
    return encode(Opcode::Text, utf8);
}

// A close frame: the code, then the reason cut to fit a control frame (at most 123 bytes,
// never inside a UTF-8 sequence).
QByteArray close(quint16 code, const QString& reason);

} // namespace switchboard::WebSocketFrame
