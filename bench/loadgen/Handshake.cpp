#include "Handshake.h"

#include <QByteArray>
#include <QCryptographicHash>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace loadgen {

namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
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

std::string makeWebSocketKey(uint64_t nonceHigh, uint64_t nonceLow)
{
    char nonce[16];
    for (int i = 0; i < 8; ++i) {
        nonce[i] = static_cast<char>(nonceHigh >> (8 * i));
        nonce[8 + i] = static_cast<char>(nonceLow >> (8 * i));
    }
    return QByteArray(nonce, sizeof nonce).toBase64().toStdString();
}

std::string expectedAccept(std::string_view key)
{
    static constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    std::string input(key);
    input += guid;
    const QByteArray digest = QCryptographicHash::hash(
        QByteArrayView(input.data(), qsizetype(input.size())), QCryptographicHash::Sha1);
    return digest.toBase64().toStdString();
}

std::string upgradeRequest(std::string_view hostHeader, std::string_view path, std::string_view key)
{
    std::string request;
    request.reserve(256);
    request += "GET ";
    request += path;
    request += " HTTP/1.1\r\nHost: ";
    request += hostHeader;
    request += "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ";
    request += key;
    request += "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    return request;
}

HandshakeReply parseUpgradeReply(std::string_view data, std::string_view expectedAcceptValue)
{
    HandshakeReply reply;
    const size_t end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (data.size() > 16384) {
            reply.status = HandshakeReply::Status::Rejected;
            reply.reason = "reply headers longer than 16 KiB";
        }
        return reply;
    }
    reply.headerLength = end + 4;
    const std::string_view head = data.substr(0, end);
    const size_t statusEnd = head.find("\r\n");
    const std::string_view statusLine = head.substr(0, statusEnd);
    if (statusLine.substr(0, 12) != "HTTP/1.1 101") {
        reply.status = HandshakeReply::Status::Rejected;
        reply.reason = std::string(statusLine);
        return reply;
    }
    bool upgrade = false;
    bool accept = false;
    size_t lineStart = statusEnd == std::string_view::npos ? head.size() : statusEnd + 2;
    while (lineStart < head.size()) {
        size_t lineEnd = head.find("\r\n", lineStart);
        if (lineEnd == std::string_view::npos)
            lineEnd = head.size();
        const std::string_view line = head.substr(lineStart, lineEnd - lineStart);
        lineStart = lineEnd + 2;
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        const std::string_view name = trimmed(line.substr(0, colon));
        const std::string_view value = trimmed(line.substr(colon + 1));
        if (equalsIgnoringCase(name, "upgrade"))
            upgrade = equalsIgnoringCase(value, "websocket");
        else if (equalsIgnoringCase(name, "sec-websocket-accept"))
            accept = value == expectedAcceptValue;
    }
    if (!upgrade || !accept) {
        reply.status = HandshakeReply::Status::Rejected;
        reply.reason = !upgrade ? "no 'Upgrade: websocket' in the reply"
                                : "wrong Sec-WebSocket-Accept in the reply";
        return reply;
    }
    reply.status = HandshakeReply::Status::Accepted;
    return reply;
}

ResponseHead parseResponseHead(std::string_view data)
{
    ResponseHead head;
    const size_t end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (data.size() > 16384) {
            head.status = ResponseHead::Status::Invalid;
            head.problem = "response headers longer than 16 KiB";
        }
        return head;
    }
    head.headerLength = end + 4;
    const std::string_view text = data.substr(0, end);
    size_t lineEnd = text.find("\r\n");
    const std::string_view statusLine = text.substr(0, lineEnd);
    if (statusLine.substr(0, 7) != "HTTP/1." || statusLine.size() < 12 ||
        std::from_chars(statusLine.data() + 9, statusLine.data() + 12, head.code).ec !=
            std::errc()) {
        head.status = ResponseHead::Status::Invalid;
        head.problem = "not an HTTP/1.x status line: " + std::string(statusLine.substr(0, 64));
        return head;
    }
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
        if (equalsIgnoringCase(name, "content-length")) {
            if (std::from_chars(value.data(), value.data() + value.size(), head.contentLength).ec !=
                std::errc()) {
                head.status = ResponseHead::Status::Invalid;
                head.problem = "bad Content-Length";
                return head;
            }
        } else if (equalsIgnoringCase(name, "transfer-encoding") &&
                   !equalsIgnoringCase(value, "identity")) {
            head.status = ResponseHead::Status::Invalid;
            head.problem = "chunked responses are not read by the generator";
            return head;
        }
    }
    head.status = ResponseHead::Status::Complete;
    return head;
}

std::string jsonRequest(std::string_view method, std::string_view hostHeader, std::string_view path,
                        std::string_view body, std::string_view token)
{
    std::string request;
    request.reserve(160 + token.size() + body.size());
    request += method;
    request += ' ';
    request += path;
    request += " HTTP/1.1\r\nHost: ";
    request += hostHeader;
    if (!token.empty()) {
        request += "\r\nAuthorization: Bearer ";
        request += token;
    }
    request += "\r\nContent-Type: application/json\r\nContent-Length: ";
    request += std::to_string(body.size());
    request += "\r\n\r\n";
    request += body;
    return request;
}

} // namespace loadgen
