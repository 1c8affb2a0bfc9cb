#include "WebSocketReader.h"

#include <QtEndian>

#include <cstring>
#include <utility>

namespace switchboard {

using Opcode = WebSocketFrame::Opcode;

namespace {

WebSocketReader::Failure protocolError(const QString& reason)
{
    return {1002, reason};
}

// RFC 6455 §5.3: XORs `data` with the four-byte `key`, repeated. By hand, eight bytes at a
// time: every byte a client sends goes through here, and a byte loop cost a quarter of a
// microsecond per publish of a few hundred bytes.
void unmask(char* data, qsizetype size, const uchar* key)
{
    quint32 key32;
    std::memcpy(&key32, key, sizeof key32);
    const quint64 key64 = quint64(key32) << 32 | key32; // the key twice, in memory order
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 word;
        std::memcpy(&word, data + i, sizeof word);
        word ^= key64;
        std::memcpy(data + i, &word, sizeof word);
    }
    for (; i < size; ++i)
        data[i] = char(data[i] ^ key[i & 3]);
}

bool isKnownCloseCode(quint16 code)
{
    // RFC 6455 §7.4: codes a peer may send; 1004-1006 and 1015 are reserved, 3000-4999 are
    // for libraries and applications.
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

} // namespace

WebSocketReader::WebSocketReader(qint64 maxMessageBytes)
    : m_maxMessageBytes(maxMessageBytes)
{}

std::optional<WebSocketReader::Failure> WebSocketReader::read(QByteArray& input,
                                                              std::vector<Message>& messages)
{
    qsizetype position = 0;
    std::optional<Failure> failure;
    while (!failure) {
        const qsizetype available = input.size() - position;
        if (available < 2)
            break;
        const auto* bytes = reinterpret_cast<const uchar*>(input.constData() + position);
        const bool final = bytes[0] & 0x80;
        const auto opcode = Opcode(bytes[0] & 0x0F);
        const bool masked = bytes[1] & 0x80;
        quint64 length = bytes[1] & 0x7F;
        qsizetype headerSize = 2;
        if (length == 126) {
            if (available < 4)
                break;
            length = qFromBigEndian<quint16>(bytes + 2);
            headerSize = 4;
        } else if (length == 127) {
            if (available < 10)
                break;
            length = qFromBigEndian<quint64>(bytes + 2);
            headerSize = 10;
        }
        if (bytes[0] & 0x70) {
            failure = protocolError(QStringLiteral("reserved bits set; no extension is in use"));
            break;
        }
        if (!masked) {
            failure = protocolError(QStringLiteral("a client's frames must be masked"));
            break;
        }
        const bool control = quint8(opcode) & 0x8;
        if (control) {
            if (opcode != Opcode::Close && opcode != Opcode::Ping && opcode != Opcode::Pong) {
                failure = protocolError(QStringLiteral("unknown opcode %1").arg(quint8(opcode)));
                break;
            }
            if (!final || length > 125) {
                failure = protocolError(
                    QStringLiteral("a control frame must be one frame of at most 125 bytes"));
                break;
            }
        } else {
            if (opcode != Opcode::Continuation && opcode != Opcode::Text &&
                opcode != Opcode::Binary) {
                failure = protocolError(QStringLiteral("unknown opcode %1").arg(quint8(opcode)));
                break;
            }
            if (opcode == Opcode::Continuation && !m_messageOpcode) {
                failure = protocolError(QStringLiteral("a continuation frame outside a message"));
                break;
            }
            if (opcode != Opcode::Continuation && m_messageOpcode) {
                failure =
                    protocolError(QStringLiteral("a new message began before the last one ended"));
                break;
            }
            // Checked before the payload arrives, so an oversized frame is never buffered.
            const quint64 soFar = opcode == Opcode::Continuation ? quint64(m_fragments.size()) : 0;
            if (length > quint64(m_maxMessageBytes) - soFar) {
                failure = Failure{
                    1009,
                    QStringLiteral("message over the limit of %1 bytes").arg(m_maxMessageBytes)};
                break;
            }
        }
        headerSize += 4; // the masking key
        if (quint64(available) < quint64(headerSize) + length)
            break;

        const uchar* mask = bytes + headerSize - 4;
        QByteArray payload(reinterpret_cast<const char*>(bytes + headerSize), qsizetype(length));
        unmask(payload.data(), payload.size(), mask);
        position += headerSize + qsizetype(length);

        if (control) {
            messages.push_back(Message{opcode, std::move(payload)});
            continue;
        }
        if (opcode == Opcode::Continuation) {
            m_fragments.append(payload);
        } else {
            m_messageOpcode = opcode;
            m_fragments = std::move(payload);
        }
        if (!final)
            continue;
        if (*m_messageOpcode == Opcode::Text && !isValidUtf8(m_fragments)) {
            failure = Failure{1007, QStringLiteral("a text message must be valid UTF-8")};
            break;
        }
        messages.push_back(Message{*m_messageOpcode, std::exchange(m_fragments, {})});
        m_messageOpcode.reset();
    }
    input.remove(0, position);
    return failure;
}

std::variant<WebSocketReader::Close, WebSocketReader::Failure>
WebSocketReader::parseClose(const QByteArray& payload)
{
    if (payload.isEmpty())
        return Close{1005, {}};
    if (payload.size() == 1)
        return protocolError(QStringLiteral("a close frame's code must be two bytes"));
    const auto code = qFromBigEndian<quint16>(payload.constData());
    if (!isKnownCloseCode(code))
        return protocolError(QStringLiteral("close code %1 may not be sent").arg(code));
    const QByteArrayView reason = QByteArrayView(payload).sliced(2);
    if (!isValidUtf8(reason))
        return Failure{1007, QStringLiteral("a close reason must be valid UTF-8")};
    return Close{code, QString::fromUtf8(reason)};
}

// Validates without decoding: the dispatcher parses the bytes as JSON itself, so turning
// them into a QString here would be an allocation and a copy for nothing. Qt's validator
// refuses what RFC 6455 §8.1 makes a reader refuse (overlong forms, surrogates, code points
// above U+10FFFF, truncated sequences), and takes runs of ASCII many bytes at a time.
bool WebSocketReader::isValidUtf8(QByteArrayView bytes)
{
    return bytes.isValidUtf8();
}

} // namespace switchboard
