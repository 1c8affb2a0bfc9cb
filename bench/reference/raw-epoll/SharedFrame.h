#pragma once

// Bytes ready for the wire (a whole WebSocket frame, or an HTTP response), written once and
// queued by reference on every connection that has to send them: a publish to 1000 subscribers
// allocates one of these, not 1000. The count needs no atomics: the server has one thread.

#include "RawProtocol.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>

namespace rawref {

class SharedFrame {
public:
    // A frame of opcode carrying payload; its one reference belongs to the caller.
    static SharedFrame* frame(uint8_t opcode, std::string_view payload)
    {
        char header[10];
        const size_t headerLength = serverFrameHeader(header, opcode, payload.size());
        SharedFrame* shared = allocate(headerLength + payload.size());
        std::memcpy(shared->bytes(), header, headerLength);
        std::memcpy(shared->bytes() + headerLength, payload.data(), payload.size());
        return shared;
    }

    // Bytes sent as they are (an HTTP response).
    static SharedFrame* raw(std::string_view bytes)
    {
        SharedFrame* shared = allocate(bytes.size());
        std::memcpy(shared->bytes(), bytes.data(), bytes.size());
        return shared;
    }

    void retain() { ++m_references; }
    void release()
    {
        if (--m_references == 0) {
            this->~SharedFrame();
            std::free(this);
        }
    }

    const char* data() const { return reinterpret_cast<const char*>(this + 1); }
    uint32_t size() const { return m_size; }

private:
    explicit SharedFrame(uint32_t size)
        : m_size(size)
    {}
    ~SharedFrame() = default;

    static SharedFrame* allocate(size_t size)
    {
        void* memory = std::malloc(sizeof(SharedFrame) + size);
        if (!memory)
            throw std::bad_alloc();
        return new (memory) SharedFrame(uint32_t(size));
    }
    char* bytes() { return reinterpret_cast<char*>(this + 1); }

    uint32_t m_references = 1;
    uint32_t m_size;
};

} // namespace rawref
