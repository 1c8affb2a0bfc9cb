#pragma once

// Builds server-to-client WebSocket frames (RFC 6455 §5.2). Server frames are never
// masked, so one encoded frame is valid for every client: the hub encodes each event once
// per dialect and hands the same bytes to every subscriber. Qt WebSockets offers no way to
// send pre-encoded frames (every send re-frames and deep-copies the payload), which is why
// this small encoder exists; everything inbound stays with QWebSocket.

#include <QByteArray>

namespace switchboard::WebSocketFrame {

// A single final text frame carrying `utf8`.
QByteArray text(const QByteArray& utf8);

} // namespace switchboard::WebSocketFrame
