#pragma once

// One WebSocket client connection on a non-blocking socket, driven by the owner's epoll loop:
// connect, opening handshake, frames in both directions, ping -> pong, close. The owner hears
// about it through ConnectionListener.

#include "WsFrame.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <netinet/in.h>

namespace loadgen {

class Connection;

class ConnectionListener {
public:
    virtual ~ConnectionListener() = default;
    virtual void onOpen(Connection& connection, int64_t nowNs) = 0;
    virtual void onText(Connection& connection, std::string_view message, int64_t receivedNs) = 0;
    virtual void onClosed(Connection& connection, std::string_view reason) = 0;
};

// The read buffer shared by every connection of a loop (only one is read at a time), and what
// went through it.
struct ReadBuffer {
    std::vector<char> bytes;
    uint64_t reads = 0;
    uint64_t bytesRead = 0;
};

// Where a connection is going: the same for all of them in a run.
struct Endpoint {
    sockaddr_in address{};
    std::string hostHeader; // "127.0.0.1:8000"
    std::string path;       // "/ws/v1"
};

class Connection {
public:
    enum class State { Created, Connecting, Handshaking, Open, Closed };

    // `delayAcks`: keep TCP quick ACKs off while reading (see onReadable()).
    Connection(uint32_t index, ConnectionListener& listener, uint64_t seed, bool delayAcks);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Starts a non-blocking connect; false (and Closed, with onClosed) if it fails at once.
    bool start(int epollFd, const Endpoint& endpoint, int64_t nowNs);

    // Handles what epoll reported for this connection.
    void handleEvents(uint32_t events, ReadBuffer& buffer);

    // Appends a masked text frame to the output buffer; flush() writes it.
    void queueText(std::string_view payload);
    void flush();
    // Sends a close frame (best effort) and closes the socket without waiting for the reply.
    void close(uint16_t code);

    State state() const { return m_state; }
    uint32_t index() const { return m_index; }
    int64_t startedNs() const { return m_startedNs; }
    size_t pendingOutput() const { return m_output.size() - m_outputOffset; }

private:
    void onConnected();
    void onReadable(ReadBuffer& shared);
    // Consumes the handshake reply or frames from data; returns the bytes consumed.
    size_t consume(char* data, size_t size, int64_t nowNs);
    void updateInterest();
    void fail(std::string_view reason);
    uint32_t nextMask();

    uint32_t m_index;
    ConnectionListener& m_listener;
    uint64_t m_random;
    bool m_delayAcks;
    int64_t m_quickAcksOffNs = 0; // when quick ACKs were last turned off (or kept off)
    int m_fd = -1;
    int m_epollFd = -1;
    State m_state = State::Created;
    bool m_watchingWrites = false;
    int64_t m_startedNs = 0;
    std::string m_acceptValue;
    std::string m_output;
    size_t m_outputOffset = 0;
    std::string m_carry; // bytes read but not yet consumed (an incomplete frame)
    FrameReader m_reader;
};

} // namespace loadgen
