#include "WsFrame.h"

namespace loadgen {

HeaderStatus parseFrameHeader(const unsigned char* data, size_t size, FrameHeader& header)
{
    if (size < 2)
        return HeaderStatus::NeedMore;
    header.fin = (data[0] & 0x80) != 0;
    header.reserved = uint8_t((data[0] >> 4) & 0x7);
    header.opcode = data[0] & 0x0F;
    header.masked = (data[1] & 0x80) != 0;
    const unsigned lengthCode = data[1] & 0x7F;
    size_t needed = 2;
    if (lengthCode == 126) {
        needed += 2;
        if (size < needed)
            return HeaderStatus::NeedMore;
        header.payloadLength = (uint64_t(data[2]) << 8) | data[3];
        if (header.payloadLength < 126)
            return HeaderStatus::Invalid; // must use the shortest encoding
    } else if (lengthCode == 127) {
        needed += 8;
        if (size < needed)
            return HeaderStatus::NeedMore;
        uint64_t length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | data[2 + i];
        if (length >> 63)
            return HeaderStatus::Invalid; // the most significant bit must be 0
        if (length <= 0xFFFF)
            return HeaderStatus::Invalid;
        header.payloadLength = length;
    } else {
        header.payloadLength = lengthCode;
    }
    if (header.masked)
        needed += 4; // rejected later by FrameReader, but the header is still well formed
    if (size < needed)
        return HeaderStatus::NeedMore;
    header.headerLength = needed;
    return HeaderStatus::Ok;
}

void appendClientFrame(std::string& out, uint8_t opcode, std::string_view payload, uint32_t maskKey)
{
    unsigned char header[14];
    size_t headerLength = 0;
    header[headerLength++] = static_cast<unsigned char>(0x80 | (opcode & 0x0F));
    const uint64_t length = payload.size();
    if (length < 126) {
        header[headerLength++] = static_cast<unsigned char>(0x80 | length);
    } else if (length <= 0xFFFF) {
        header[headerLength++] = 0x80 | 126;
        header[headerLength++] = static_cast<unsigned char>(length >> 8);
        header[headerLength++] = static_cast<unsigned char>(length);
    } else {
        header[headerLength++] = 0x80 | 127;
        for (int shift = 56; shift >= 0; shift -= 8)
            header[headerLength++] = static_cast<unsigned char>(length >> shift);
    }
    unsigned char mask[4];
    std::memcpy(mask, &maskKey, 4);
    std::memcpy(header + headerLength, mask, 4);
    headerLength += 4;

    const size_t start = out.size();
    out.resize(start + headerLength + payload.size());
    char* dst = out.data() + start;
    std::memcpy(dst, header, headerLength);
    dst += headerLength;
    // Eight bytes at a time: a publish is ~300 bytes, and S4 and REST send tens of thousands a
    // second.
    uint64_t wide = 0;
    std::memcpy(&wide, mask, 4);
    std::memcpy(reinterpret_cast<char*>(&wide) + 4, mask, 4);
    size_t i = 0;
    for (; i + 8 <= payload.size(); i += 8) {
        uint64_t word = 0;
        std::memcpy(&word, payload.data() + i, 8);
        word ^= wide;
        std::memcpy(dst + i, &word, 8);
    }
    for (; i < payload.size(); ++i)
        dst[i] = static_cast<char>(payload[i] ^ mask[i & 3]);
}

} // namespace loadgen
