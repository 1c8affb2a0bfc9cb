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

// The longest header of a server frame: two bytes and a 64-bit length, never a mask.
inline constexpr qsizetype maxHeaderBytes = 10;

// A single final frame of `opcode` carrying `payload`.
QByteArray encode(Opcode opcode, const QByteArray& payload);

// An empty buffer for a message's payload, with room for `capacity` bytes and, before them,
// for the frame's header: text() then frames what is appended where it stands, and the frame
// starts on the boundary a buffer of its own would (when the payload needs the header that
// `capacity` bytes would). For payloads written once per event or request (the native event
// and ack): a second buffer and a copy per frame were the allocator's largest single use on a
// small publish's path.
QByteArray payloadBuffer(qsizetype capacity);

// A single final text frame carrying `utf8`: made in `utf8`'s own buffer when that has room
// for the header before the text and nothing else shares it (see payloadBuffer()), otherwise
// in a new one.
QByteArray text(QByteArray utf8);

// A close frame: the code, then the reason cut to fit a control frame (at most 123 bytes,
// never inside a UTF-8 sequence).
QByteArray close(quint16 code, const QString& reason);

} // namespace switchboard::WebSocketFrame
