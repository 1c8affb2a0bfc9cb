#pragma once

// What the raw reference server needs of HTTP, RFC 6455 and JSON, as pure functions: the
// upgrade request and its Sec-WebSocket-Accept, server frame headers, masked client frames, a
// small JSON reader, and the native protocol's event encoded with the same bytes as
// Switchboard's NativeDialect (QJsonDocument's compact form: object keys sorted, the same
// string escapes). No Qt: the reference is plain C++20 so that its cost is the kernel's.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rawref {

// ---- HTTP -------------------------------------------------------------------------------

struct RequestHead {
    enum class Status { NeedMore, Complete, Invalid };
    Status status = Status::NeedMore;
    size_t headerLength = 0; // through the blank line
    std::string_view method;
    std::string_view path;  // without the query
    std::string_view query; // after '?', empty if none
    std::string_view webSocketKey;
    bool upgradeWebSocket = false;
    bool closeAfter = false; // "Connection: close"
    size_t contentLength = 0;
};

// Reads the request head at the start of data (views point into data). Heads longer than
// maxHeadBytes are Invalid.
RequestHead parseRequestHead(std::string_view data, size_t maxHeadBytes = 16384);

// base64(SHA-1(key + the RFC 6455 GUID)).
std::string acceptValue(std::string_view webSocketKey);

std::string upgradeResponse(std::string_view webSocketKey);

// A complete HTTP/1.1 response with a JSON body.
std::string httpJsonResponse(int status, std::string_view reason, std::string_view body,
                             bool keepAlive);

// ---- WebSocket frames ---------------------------------------------------------------------

enum Opcode : uint8_t {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// Writes the header of an unmasked server frame (FIN set) carrying length bytes into out
// (at least 10 bytes); returns its length.
size_t serverFrameHeader(char* out, uint8_t opcode, uint64_t length);

struct ClientFrame {
    enum class Status { NeedMore, Complete, Invalid, TooLarge };
    Status status = Status::NeedMore;
    bool fin = false;
    uint8_t opcode = 0;
    size_t frameLength = 0; // header + payload
    char* payload = nullptr;
    size_t payloadLength = 0;
};

// Reads one client frame at the start of data and unmasks its payload in place. Clients must
// mask (RFC 6455 §5.1); no extensions are negotiated, so RSV bits are Invalid.
ClientFrame takeClientFrame(char* data, size_t size, uint64_t maxPayload);

// ---- JSON -----------------------------------------------------------------------------------

struct JsonValue {
    enum class Kind { Null, Bool, Number, String, Array, Object };
    Kind kind = Kind::Null;
    std::string_view text; // the value's raw text (strings with their quotes)
};

using JsonMembers = std::vector<std::pair<std::string, JsonValue>>;

// Parses one complete JSON document (surrounding white space allowed).
std::optional<JsonValue> parseJson(std::string_view text);

// The members of an object value, keys decoded; false if value is not an object.
bool objectMembers(const JsonValue& value, JsonMembers& members);
// The elements of an array value; false if value is not an array.
bool arrayElements(const JsonValue& value, std::vector<JsonValue>& elements);
const JsonValue* findMember(const JsonMembers& members, std::string_view key);

// The decoded UTF-8 text of a string value.
std::optional<std::string> decodeString(const JsonValue& value);

// Appends text as a JSON string the way QJsonDocument writes it: \" \\ \b \f \n \r \t, other
// control characters as \u00xx, everything else (UTF-8 included) as is.
void appendQuoted(std::string& out, std::string_view text);

// Appends value in QJsonDocument's compact form: no white space, object keys sorted, strings
// re-escaped as appendQuoted() does, integers as written, other numbers in their shortest
// round-trip form. False if a string inside is malformed.
bool appendCompact(std::string& out, const JsonValue& value);

// ---- The native protocol -----------------------------------------------------------------

// "2026-11-21T20:00:00.000Z" (Qt::ISODateWithMs, UTC).
std::string isoTimestamp(int64_t unixMs);

// {"type":"event","topic":..,"seq":..,"event":..,"ts":"..","data":..}, the field order of
// NativeDialect::encodeEvent. compactData is already in compact form.
std::string encodeEvent(std::string_view topic, int64_t seq, std::string_view event, int64_t unixMs,
                        std::string_view compactData);

} // namespace rawref
