#pragma once

// The client's half of HTTP/1.1 as the generator speaks it: the WebSocket opening handshake
// (RFC 6455 §4.1: the upgrade request and the check of the server's 101 reply, including
// Sec-WebSocket-Accept) and the head of a plain response (REST publishes, jobs).

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

// path may carry a query ("/ws/v1?token=...").
std::string upgradeRequest(std::string_view hostHeader, std::string_view path,
                           std::string_view key);

// Checks the reply at the start of data; the bytes after headerLength are already WebSocket
// frames.
HandshakeReply parseUpgradeReply(std::string_view data, std::string_view expectedAcceptValue);

struct ResponseHead {
    enum class Status { NeedMore, Complete, Invalid };
    Status status = Status::NeedMore;
    int code = 0;            // 200, 404, ...
    size_t headerLength = 0; // through the blank line
    size_t contentLength = 0;
    std::string problem; // why it is Invalid
};

// The head of an HTTP/1.1 response at the start of data. A body must have a Content-Length
// (chunked bodies are Invalid: neither the hub nor the references send them to this client).
ResponseHead parseResponseHead(std::string_view data);

// A request with a JSON body (and Authorization: Bearer token unless token is empty).
std::string jsonRequest(std::string_view method, std::string_view hostHeader, std::string_view path,
                        std::string_view body, std::string_view token);

} // namespace loadgen
