// The server's side of the WebSocket protocol on arbitrary input: the upgrade request's head
// (first byte even) and the client frame reader (first byte odd, fed in pieces of a size the
// input picks). Any input is parsed, refused or read as messages, never a crash; and what the
// reader hands on keeps the protocol's promises (text is UTF-8, control payloads fit).

#include "net/UpgradeRequest.h"
#include "wire/WebSocketReader.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <variant>

using namespace switchboard;
using Opcode = WebSocketFrame::Opcode;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 2)
        return 0;
    const QByteArray input(reinterpret_cast<const char*>(data + 2), qsizetype(size - 2));
    if ((data[0] & 1) == 0) {
        UpgradeRequest::isUpgrade(input);
        auto parsed = UpgradeRequest::parse(input);
        if (auto* request = std::get_if<UpgradeRequest>(&parsed)) {
            if (!request->acceptResponse().startsWith("HTTP/1.1 101 "))
                std::abort();
        } else if (std::get<UpgradeRequest::Refusal>(parsed).status < 400) {
            std::abort();
        }
        return 0;
    }
    WebSocketReader reader(4096);
    const qsizetype piece = qsizetype(data[1]) + 1;
    QByteArray buffer;
    std::vector<WebSocketReader::Message> messages;
    for (qsizetype offset = 0; offset < input.size(); offset += piece) {
        buffer.append(input.mid(offset, piece));
        if (reader.read(buffer, messages))
            break;
    }
    for (const WebSocketReader::Message& message : messages) {
        switch (message.opcode) {
        case Opcode::Text:
            if (!WebSocketReader::isValidUtf8(message.payload) || message.payload.size() > 4096)
                std::abort();
            break;
        case Opcode::Binary:
            if (message.payload.size() > 4096)
                std::abort();
            break;
        case Opcode::Close:
            WebSocketReader::parseClose(message.payload);
            [[fallthrough]];
        case Opcode::Ping:
        case Opcode::Pong:
            if (message.payload.size() > 125)
                std::abort();
            break;
        case Opcode::Continuation:
            std::abort(); // continuations are joined into their message
        }
    }
    return 0;
}
