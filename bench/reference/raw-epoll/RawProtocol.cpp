#include "RawProtocol.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace rawref {

namespace {

char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == y; });
}

// b must be lower case.
bool containsIgnoringCase(std::string_view haystack, std::string_view b)
{
    if (b.size() > haystack.size())
        return false;
    for (size_t i = 0; i + b.size() <= haystack.size(); ++i) {
        if (equalsIgnoringCase(haystack.substr(i, b.size()), b))
            return true;
    }
    return false;
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

} // namespace

RequestHead parseRequestHead(std::string_view data, size_t maxHeadBytes)
{
    RequestHead head;
    const size_t end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (data.size() > maxHeadBytes)
            head.status = RequestHead::Status::Invalid;
        return head;
    }
    if (end + 4 > maxHeadBytes) {
        head.status = RequestHead::Status::Invalid;
        return head;
    }
    head.headerLength = end + 4;
    const std::string_view text = data.substr(0, end);
    size_t lineEnd = text.find("\r\n");
    const std::string_view requestLine = text.substr(0, lineEnd);
    const size_t space1 = requestLine.find(' ');
    const size_t space2 = requestLine.rfind(' ');
    if (space1 == std::string_view::npos || space2 == space1) {
        head.status = RequestHead::Status::Invalid;
        return head;
    }
    head.method = requestLine.substr(0, space1);
    const std::string_view target = requestLine.substr(space1 + 1, space2 - space1 - 1);
    const std::string_view version = requestLine.substr(space2 + 1);
    if (version.substr(0, 7) != "HTTP/1.") {
        head.status = RequestHead::Status::Invalid;
        return head;
    }
    head.closeAfter = version == "HTTP/1.0";
    const size_t question = target.find('?');
    head.path = target.substr(0, question);
    if (question != std::string_view::npos)
        head.query = target.substr(question + 1);

    bool upgradeHeader = false;
    bool connectionUpgrade = false;
    size_t lineStart = lineEnd == std::string_view::npos ? text.size() : lineEnd + 2;
    while (lineStart < text.size()) {
        lineEnd = text.find("\r\n", lineStart);
        if (lineEnd == std::string_view::npos)
            lineEnd = text.size();
        const std::string_view line = text.substr(lineStart, lineEnd - lineStart);
        lineStart = lineEnd + 2;
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        const std::string_view name = trimmed(line.substr(0, colon));
        const std::string_view value = trimmed(line.substr(colon + 1));
        if (equalsIgnoringCase(name, "upgrade")) {
            upgradeHeader = equalsIgnoringCase(value, "websocket");
        } else if (equalsIgnoringCase(name, "connection")) {
            connectionUpgrade = containsIgnoringCase(value, "upgrade");
            if (containsIgnoringCase(value, "close"))
                head.closeAfter = true;
        } else if (equalsIgnoringCase(name, "sec-websocket-key")) {
            head.webSocketKey = value;
        } else if (equalsIgnoringCase(name, "content-length")) {
            size_t length = 0;
            const auto [ptr, error] =
                std::from_chars(value.data(), value.data() + value.size(), length);
            if (error != std::errc() || ptr != value.data() + value.size()) {
                head.status = RequestHead::Status::Invalid;
                return head;
            }
            head.contentLength = length;
        }
    }
    head.upgradeWebSocket = upgradeHeader && connectionUpgrade && !head.webSocketKey.empty();
    head.status = RequestHead::Status::Complete;
    return head;
}

std::string acceptValue(std::string_view webSocketKey)
{
    static constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    std::string input(webSocketKey);
    input += guid;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    EVP_Digest(input.data(), input.size(), digest, &digestLength, EVP_sha1(), nullptr);
    unsigned char encoded[64];
    const int length = EVP_EncodeBlock(encoded, digest, int(digestLength));
    return std::string(reinterpret_cast<const char*>(encoded), size_t(length));
}

std::string upgradeResponse(std::string_view webSocketKey)
{
    std::string response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Accept: ";
    response += acceptValue(webSocketKey);
    response += "\r\n\r\n";
    return response;
}

std::string httpJsonResponse(int status, std::string_view reason, std::string_view body,
                             bool keepAlive)
{
    char head[160];
    const int n = std::snprintf(head, sizeof head,
                                "HTTP/1.1 %d %.*s\r\nContent-Type: application/json\r\n"
                                "Content-Length: %zu\r\nConnection: %s\r\n\r\n",
                                status, int(reason.size()), reason.data(), body.size(),
                                keepAlive ? "keep-alive" : "close");
    std::string response(head, size_t(n));
    response += body;
    return response;
}

size_t serverFrameHeader(char* out, uint8_t opcode, uint64_t length)
{
    out[0] = char(0x80 | (opcode & 0x0F));
    if (length < 126) {
        out[1] = char(length);
        return 2;
    }
    if (length <= 0xFFFF) {
        out[1] = char(126);
        out[2] = char(length >> 8);
        out[3] = char(length & 0xFF);
        return 4;
    }
    out[1] = char(127);
    for (int i = 0; i < 8; ++i)
        out[2 + i] = char((length >> (56 - 8 * i)) & 0xFF);
    return 10;
}

ClientFrame takeClientFrame(char* data, size_t size, uint64_t maxPayload)
{
    ClientFrame frame;
    if (size < 2)
        return frame;
    const auto* bytes = reinterpret_cast<const unsigned char*>(data);
    frame.fin = (bytes[0] & 0x80) != 0;
    frame.opcode = bytes[0] & 0x0F;
    const bool masked = (bytes[1] & 0x80) != 0;
    const unsigned lengthCode = bytes[1] & 0x7F;
    if ((bytes[0] & 0x70) != 0 || !masked) {
        frame.status = ClientFrame::Status::Invalid;
        return frame;
    }
    const bool control = frame.opcode >= Close;
    const bool known = frame.opcode <= Binary || (frame.opcode >= Close && frame.opcode <= Pong);
    if (!known || (control && (!frame.fin || lengthCode > 125))) {
        frame.status = ClientFrame::Status::Invalid;
        return frame;
    }
    size_t header = 2;
    uint64_t length = lengthCode;
    if (lengthCode == 126) {
        if (size < 4)
            return frame;
        length = uint64_t(bytes[2]) << 8 | bytes[3];
        header = 4;
    } else if (lengthCode == 127) {
        if (size < 10)
            return frame;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = length << 8 | bytes[2 + i];
        header = 10;
    }
    if (length > maxPayload) {
        frame.status = ClientFrame::Status::TooLarge;
        return frame;
    }
    if (size < header + 4 + length)
        return frame;
    unsigned char mask[4];
    std::memcpy(mask, data + header, 4);
    char* payload = data + header + 4;
    for (size_t i = 0; i < length; ++i)
        payload[i] = char(payload[i] ^ mask[i & 3]);
    frame.status = ClientFrame::Status::Complete;
    frame.frameLength = header + 4 + size_t(length);
    frame.payload = payload;
    frame.payloadLength = size_t(length);
    return frame;
}

// ---- JSON ---------------------------------------------------------------------------------

namespace {

constexpr int maxDepth = 64;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

class Parser {
public:
    Parser(const char* begin, const char* end)
        : m_p(begin)
        , m_end(end)
    {}

    void skipSpace()
    {
        while (m_p < m_end && isSpace(*m_p))
            ++m_p;
    }
    bool atEnd() const { return m_p >= m_end; }
    bool take(char c)
    {
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }

    bool value(JsonValue& out, int depth)
    {
        skipSpace();
        if (m_p >= m_end || depth > maxDepth)
            return false;
        const char* const start = m_p;
        switch (*m_p) {
        case '{':
            out.kind = JsonValue::Kind::Object;
            if (!object(depth))
                return false;
            break;
        case '[':
            out.kind = JsonValue::Kind::Array;
            if (!array(depth))
                return false;
            break;
        case '"':
            out.kind = JsonValue::Kind::String;
            if (!string())
                return false;
            break;
        case 't':
            out.kind = JsonValue::Kind::Bool;
            if (!literal("true"))
                return false;
            break;
        case 'f':
            out.kind = JsonValue::Kind::Bool;
            if (!literal("false"))
                return false;
            break;
        case 'n':
            out.kind = JsonValue::Kind::Null;
            if (!literal("null"))
                return false;
            break;
        default:
            out.kind = JsonValue::Kind::Number;
            if (!number())
                return false;
        }
        out.text = std::string_view(start, size_t(m_p - start));
        return true;
    }

    // A string, m_p at its opening quote.
    bool string()
    {
        ++m_p;
        while (m_p < m_end) {
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                ++m_p;
                return true;
            }
            if (c < 0x20)
                return false;
            if (c == '\\') {
                if (++m_p >= m_end)
                    return false;
                switch (*m_p) {
                case '"':
                case '\\':
                case '/':
                case 'b':
                case 'f':
                case 'n':
                case 'r':
                case 't':
                    break;
                case 'u':
                    if (m_end - m_p < 5)
                        return false;
                    for (int i = 1; i <= 4; ++i) {
                        if (!std::isxdigit(static_cast<unsigned char>(m_p[i])))
                            return false;
                    }
                    m_p += 4;
                    break;
                default:
                    return false;
                }
            }
            ++m_p;
        }
        return false;
    }

private:
    bool object(int depth)
    {
        ++m_p;
        skipSpace();
        if (take('}'))
            return true;
        for (;;) {
            skipSpace();
            if (m_p >= m_end || *m_p != '"' || !string())
                return false;
            skipSpace();
            if (!take(':'))
                return false;
            JsonValue member;
            if (!value(member, depth + 1))
                return false;
            skipSpace();
            if (take('}'))
                return true;
            if (!take(','))
                return false;
        }
    }

    bool array(int depth)
    {
        ++m_p;
        skipSpace();
        if (take(']'))
            return true;
        for (;;) {
            JsonValue element;
            if (!value(element, depth + 1))
                return false;
            skipSpace();
            if (take(']'))
                return true;
            if (!take(','))
                return false;
        }
    }

    bool literal(std::string_view word)
    {
        if (size_t(m_end - m_p) < word.size() || std::string_view(m_p, word.size()) != word)
            return false;
        m_p += word.size();
        return true;
    }

    bool number()
    {
        take('-');
        if (m_p >= m_end || !isDigit(*m_p))
            return false;
        if (!take('0')) {
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        if (take('.')) {
            if (m_p >= m_end || !isDigit(*m_p))
                return false;
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (!take('+'))
                take('-');
            if (m_p >= m_end || !isDigit(*m_p))
                return false;
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        return true;
    }

public:
    const char* m_p;
    const char* m_end;
};

void appendUtf8(std::string& out, uint32_t code)
{
    if (code < 0x80) {
        out += char(code);
    } else if (code < 0x800) {
        out += char(0xC0 | (code >> 6));
        out += char(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += char(0xE0 | (code >> 12));
        out += char(0x80 | ((code >> 6) & 0x3F));
        out += char(0x80 | (code & 0x3F));
    } else {
        out += char(0xF0 | (code >> 18));
        out += char(0x80 | ((code >> 12) & 0x3F));
        out += char(0x80 | ((code >> 6) & 0x3F));
        out += char(0x80 | (code & 0x3F));
    }
}

uint32_t hex4(const char* p)
{
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        const char c = p[i];
        value =
            value << 4 | uint32_t(isDigit(c) ? c - '0' : (c >= 'a' ? c - 'a' + 10 : c - 'A' + 10));
    }
    return value;
}

// Decodes the string whose raw text (with quotes, already validated) is raw.
void decodeInto(std::string& out, std::string_view raw)
{
    const char* p = raw.data() + 1;
    const char* const end = raw.data() + raw.size() - 1;
    while (p < end) {
        const char* const backslash =
            static_cast<const char*>(std::memchr(p, '\\', size_t(end - p)));
        if (!backslash) {
            out.append(p, size_t(end - p));
            return;
        }
        out.append(p, size_t(backslash - p));
        p = backslash + 1;
        const char escape = *p++;
        switch (escape) {
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u': {
            uint32_t code = hex4(p);
            p += 4;
            if (code >= 0xD800 && code < 0xDC00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                const uint32_t low = hex4(p + 2);
                if (low >= 0xDC00 && low < 0xE000) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    p += 6;
                }
            }
            if (code >= 0xD800 && code < 0xE000)
                code = 0xFFFD; // a lone surrogate, as QString's conversion to UTF-8 writes it
            appendUtf8(out, code);
            break;
        }
        default: // " \ /
            out += escape;
        }
    }
}

bool appendNumber(std::string& out, std::string_view text)
{
    const bool integral = text.find_first_of(".eE") == std::string_view::npos;
    if (integral) {
        int64_t value = 0;
        const auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc() && ptr == text.data() + text.size()) {
            char digits[24];
            const auto written = std::to_chars(digits, digits + sizeof digits, value);
            out.append(digits, written.ptr);
            return true;
        }
    }
    double value = 0;
    const auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() && error != std::errc::result_out_of_range)
        return false;
    char digits[40];
    const auto written = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, written.ptr);
    return true;
}

} // namespace

std::optional<JsonValue> parseJson(std::string_view text)
{
    Parser parser(text.data(), text.data() + text.size());
    JsonValue value;
    if (!parser.value(value, 0))
        return std::nullopt;
    parser.skipSpace();
    if (!parser.atEnd())
        return std::nullopt;
    return value;
}

bool objectMembers(const JsonValue& value, JsonMembers& members)
{
    members.clear();
    if (value.kind != JsonValue::Kind::Object)
        return false;
    Parser parser(value.text.data() + 1, value.text.data() + value.text.size());
    parser.skipSpace();
    if (parser.take('}'))
        return true;
    for (;;) {
        parser.skipSpace();
        const char* const keyStart = parser.m_p;
        if (!parser.string())
            return false;
        std::string key;
        decodeInto(key, std::string_view(keyStart, size_t(parser.m_p - keyStart)));
        parser.skipSpace();
        parser.take(':');
        JsonValue member;
        if (!parser.value(member, 1))
            return false;
        members.emplace_back(std::move(key), member);
        parser.skipSpace();
        if (parser.take('}'))
            return true;
        parser.take(',');
    }
}

bool arrayElements(const JsonValue& value, std::vector<JsonValue>& elements)
{
    elements.clear();
    if (value.kind != JsonValue::Kind::Array)
        return false;
    Parser parser(value.text.data() + 1, value.text.data() + value.text.size());
    parser.skipSpace();
    while (!parser.take(']')) {
        JsonValue element;
        if (!parser.value(element, 1))
            return false;
        elements.push_back(element);
        parser.skipSpace();
        parser.take(',');
        parser.skipSpace();
    }
    return true;
}

const JsonValue* findMember(const JsonMembers& members, std::string_view key)
{
    // The last one wins, as with QJsonDocument.
    for (auto it = members.rbegin(); it != members.rend(); ++it) {
        if (it->first == key)
            return &it->second;
    }
    return nullptr;
}

std::optional<std::string> decodeString(const JsonValue& value)
{
    if (value.kind != JsonValue::Kind::String)
        return std::nullopt;
    std::string out;
    decodeInto(out, value.text);
    return out;
}

void appendQuoted(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    const char* p = text.data();
    const char* const end = p + text.size();
    while (p < end) {
        const char* run = p;
        while (run < end && static_cast<unsigned char>(*run) >= 0x20 && *run != '"' && *run != '\\')
            ++run;
        out.append(p, size_t(run - p));
        if (run == end)
            break;
        const auto c = static_cast<unsigned char>(*run);
        out += '\\';
        switch (c) {
        case '"':
            out += '"';
            break;
        case '\\':
            out += '\\';
            break;
        case '\b':
            out += 'b';
            break;
        case '\f':
            out += 'f';
            break;
        case '\n':
            out += 'n';
            break;
        case '\r':
            out += 'r';
            break;
        case '\t':
            out += 't';
            break;
        default:
            out += "u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
        p = run + 1;
    }
    out += '"';
}

bool appendCompact(std::string& out, const JsonValue& value)
{
    switch (value.kind) {
    case JsonValue::Kind::Null:
    case JsonValue::Kind::Bool:
        out += value.text;
        return true;
    case JsonValue::Kind::Number:
        return appendNumber(out, value.text);
    case JsonValue::Kind::String: {
        if (value.text.find('\\') == std::string_view::npos) {
            out += value.text; // nothing to re-escape: the common case, copied as it is
            return true;
        }
        std::string decoded;
        decodeInto(decoded, value.text);
        appendQuoted(out, decoded);
        return true;
    }
    case JsonValue::Kind::Array: {
        Parser parser(value.text.data() + 1, value.text.data() + value.text.size());
        out += '[';
        parser.skipSpace();
        bool first = true;
        while (!parser.take(']')) {
            JsonValue element;
            if (!parser.value(element, 1))
                return false;
            if (!first)
                out += ',';
            first = false;
            if (!appendCompact(out, element))
                return false;
            parser.skipSpace();
            parser.take(',');
            parser.skipSpace();
        }
        out += ']';
        return true;
    }
    case JsonValue::Kind::Object: {
        JsonMembers members;
        if (!objectMembers(value, members))
            return false;
        // Sorted by key; of duplicate keys the last one stays.
        std::stable_sort(members.begin(), members.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        out += '{';
        bool first = true;
        for (size_t i = 0; i < members.size(); ++i) {
            if (i + 1 < members.size() && members[i + 1].first == members[i].first)
                continue;
            if (!first)
                out += ',';
            first = false;
            appendQuoted(out, members[i].first);
            out += ':';
            if (!appendCompact(out, members[i].second))
                return false;
        }
        out += '}';
        return true;
    }
    }
    return false;
}

std::string isoTimestamp(int64_t unixMs)
{
    const time_t seconds = time_t(unixMs / 1000);
    tm utc{};
    gmtime_r(&seconds, &utc);
    char text[80];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  int(unixMs % 1000));
    return text;
}

std::string encodeEvent(std::string_view topic, int64_t seq, std::string_view event, int64_t unixMs,
                        std::string_view compactData)
{
    std::string out;
    out.reserve(96 + topic.size() + event.size() + compactData.size());
    out += R"({"type":"event","topic":)";
    appendQuoted(out, topic);
    out += R"(,"seq":)";
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, seq).ptr);
    out += R"(,"event":)";
    appendQuoted(out, event);
    out += R"(,"ts":")";
    out += isoTimestamp(unixMs);
    out += R"(","data":)";
    out += compactData;
    out += '}';
    return out;
}

} // namespace rawref
