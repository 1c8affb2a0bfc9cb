#pragma once

// Reads a client's WebSocket frames (RFC 6455 §5): unmasks them, joins fragmented messages,
// checks the protocol's rules (masking, reserved bits, opcodes, control frame limits, UTF-8
// in text) and the message size limit. Pure: bytes in, messages out, no socket, so the
// fuzzer drives it directly. See UpgradeRequest.h for why this is not QWebSocket's job.

#include "WebSocketFrame.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <variant>
#include <vector>

namespace switchboard {

class WebSocketReader {
public:
    struct Message {
        WebSocketFrame::Opcode opcode; // Text, Binary, Close, Ping or Pong
        QByteArray payload;
    };
    // Why the connection must end, as a close code (1002, 1007, 1009) and reason.
    struct Failure {
        quint16 code;
        QString reason;
    };
    struct Close {
        quint16 code; // 1005 when the peer sent none
        QString reason;
    };

    explicit WebSocketReader(qint64 maxMessageBytes);

    // Consumes every complete frame at the front of `input` and appends the finished
    // messages, control frames included, in order. A protocol violation returns why; nothing
    // after it is read.
    std::optional<Failure> read(QByteArray& input, std::vector<Message>& messages);

    // The code and reason of a close frame's payload, or why it is malformed.
    static std::variant<Close, Failure> parseClose(const QByteArray& payload);

    static bool isValidUtf8(QByteArrayView bytes);

private:
    qint64 m_maxMessageBytes;
    std::optional<WebSocketFrame::Opcode> m_messageOpcode; // of the fragmented message open
    QByteArray m_fragments;
};

} // namespace switchboard
