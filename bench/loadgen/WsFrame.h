#pragma once

// The client side of RFC 6455 framing: reads the server's (unmasked) frames and writes masked
// client frames. Plain C++ on purpose: this is the load generator's hot path.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace loadgen {

enum Opcode : uint8_t {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

struct FrameHeader {
    bool fin = false;
    uint8_t reserved = 0; // RSV1..3 bits, must be 0 without extensions
    uint8_t opcode = 0;
    bool masked = false;
    uint64_t payloadLength = 0;
    size_t headerLength = 0;
};

enum class HeaderStatus { NeedMore, Ok, Invalid };

// Decodes the header at the start of data, including 16- and 64-bit extended lengths.
HeaderStatus parseFrameHeader(const unsigned char* data, size_t size, FrameHeader& header);

// Appends one masked client frame (FIN set) carrying payload to out.
void appendClientFrame(std::string& out, uint8_t opcode, std::string_view payload,
                       uint32_t maskKey);

// Cuts a byte stream from the server into messages. Unfragmented frames are handed out in place
// (no copy); fragmented messages are reassembled. Control frames may arrive between fragments
// and are handed out as they come.
class FrameReader {
public:
    explicit FrameReader(uint64_t maxMessageBytes = 16u << 20)
        : m_maxMessageBytes(maxMessageBytes)
    {}

    // Why feed() stopped short of the end of the data.
    enum class Error { None, Protocol, TooLarge };

    // Calls sink(opcode, const char* payload, size_t size) for every complete message and
    // control frame in data. Returns how many bytes were consumed; the caller keeps the rest
    // (an incomplete frame) and offers it again with more data. On error() the stream is dead.
    template <typename Sink> size_t feed(const char* data, size_t size, Sink&& sink)
    {
        size_t offset = 0;
        while (offset < size) {
            FrameHeader header;
            const auto status = parseFrameHeader(
                reinterpret_cast<const unsigned char*>(data + offset), size - offset, header);
            if (status == HeaderStatus::NeedMore)
                break;
            if (status == HeaderStatus::Invalid || !acceptable(header)) {
                m_error = Error::Protocol;
                break;
            }
            if (header.payloadLength > m_maxMessageBytes) {
                m_error = Error::TooLarge;
                break;
            }
            const size_t frameSize = header.headerLength + size_t(header.payloadLength);
            if (size - offset < frameSize)
                break;
            const char* payload = data + offset + header.headerLength;
            const auto length = size_t(header.payloadLength);
            offset += frameSize;

            if (header.opcode >= Close) {
                sink(header.opcode, payload, length);
            } else if (header.opcode == Continuation) {
                if (m_fragmented.size() + length > m_maxMessageBytes) {
                    m_error = Error::TooLarge;
                    break;
                }
                m_fragmented.append(payload, length);
                if (header.fin) {
                    sink(m_fragmentedOpcode, m_fragmented.data(), m_fragmented.size());
                    m_fragmented.clear();
                    m_fragmentedOpcode = 0;
                }
            } else if (header.fin) {
                sink(header.opcode, payload, length);
            } else {
                m_fragmentedOpcode = header.opcode;
                m_fragmented.assign(payload, length);
            }
        }
        return offset;
    }

    Error error() const { return m_error; }

    // Largest frame or message accepted, so a broken length cannot make us buffer gigabytes.
    uint64_t maxMessageBytes() const { return m_maxMessageBytes; }

private:
    bool acceptable(const FrameHeader& header) const
    {
        // A server must never mask (RFC 6455 §5.1); no extensions were negotiated.
        if (header.masked || header.reserved != 0)
            return false;
        switch (header.opcode) {
        case Continuation:
            return m_fragmentedOpcode != 0;
        case Text:
        case Binary:
            return m_fragmentedOpcode == 0;
        case Close:
        case Ping:
        case Pong:
            return header.fin && header.payloadLength <= 125;
        default:
            return false;
        }
    }

    uint64_t m_maxMessageBytes;
    std::string m_fragmented;
    uint8_t m_fragmentedOpcode = 0;
    Error m_error = Error::None;
};

} // namespace loadgen
