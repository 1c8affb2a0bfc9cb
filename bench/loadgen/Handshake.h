#pragma once

// The client's half of the WebSocket opening handshake (RFC 6455 §4.1): the upgrade request and
// the check of the server's 101 reply, including Sec-WebSocket-Accept.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace loadgen {

struct HandshakeReply {
    enum class Status { NeedMore, Accepted, Rejected };
    Status status = Status::NeedMore;
    size_t headerLength = 0; // bytes of the reply up to and including the blank line
    std::string reason;      // why it was rejected (the status line or the header at fault)
};

// A fresh Sec-WebSocket-Key: 16 bytes of nonce, base64-encoded.
std::string makeWebSocketKey(uint64_t nonceHigh, uint64_t nonceLow);

// The value the server must send back for key.
std::string expectedAccept(std::string_view key);

std::string upgradeRequest(std::string_view hostHeader, std::string_view path,
                           std::string_view key);

// Checks the reply at the start of data; the bytes after headerLength are already WebSocket
// frames.
HandshakeReply parseUpgradeReply(std::string_view data, std::string_view expectedAcceptValue);

} // namespace loadgen
