#pragma once

// One client connection on a non-blocking socket, driven by the owner's epoll loop: connect,
// TLS when the endpoint asks for it, then either a WebSocket (opening handshake, frames in both
// directions, ping -> pong, close) or plain HTTP/1.1 requests and responses. The owner hears
// about it through ConnectionListener.

#include "TlsStream.h"
#include "WsFrame.h"

#include <cstdint>
#include <memory>
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
    // After this the connection is Closed; reason is "left" after a leave() the server answered.
    virtual void onClosed(Connection& connection, std::string_view reason) = 0;
    // HTTP connections: one complete response.
    virtual void onHttpResponse(Connection& /*connection*/, int /*status*/,
                                std::string_view /*body*/, int64_t /*receivedNs*/)
    {}
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
    SSL_CTX* tls = nullptr; // set: wss:// and https://
    // Client sockets are spread over 127.0.0.1 .. 127.0.0.<sourceAddresses>. With one source
    // address the kernel's search for a free ephemeral port (__inet_hash_connect) grows with
    // every connection already open: at 15,000 it was over half of the generator's CPU and
    // 19,000 took 11 s to connect. Each further address has a port space of its own.
    int sourceAddresses = 16;
    // The WebSocket clients that take events (subscribers, idle connections, listeners, slow
    // readers, churners) connect to these ports of the same address in turn; publishers and HTTP
    // clients to address. Empty: every connection to address. A cluster run spreads its
    // subscribers over the nodes this way.
    std::vector<uint16_t> subscriberPorts;

    // This endpoint on another port of the same address.
    Endpoint onPort(uint16_t port) const;
};

struct ConnectionOptions {
    // Keep TCP quick ACKs off while reading (see Connection::onReadable()).
    bool delayAcks = false;
    // A plain HTTP/1.1 client (keep-alive) instead of a WebSocket.
    bool http = false;
    // SO_RCVBUF before connecting; 0 leaves the kernel's autotuning alone. A slow reader uses a
    // small one so that the server, not this process's receive queue, holds what it did not read.
    int receiveBufferBytes = 0;
};

class Connection {
public:
    enum class State { Created, Connecting, TlsHandshaking, Handshaking, Open, Leaving, Closed };

    Connection(uint32_t index, ConnectionListener& listener, uint64_t seed,
               ConnectionOptions options);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Starts a non-blocking connect to endpoint's path, with ?query when one is given; false
    // (and Closed, with onClosed) if it fails at once.
    bool start(int epollFd, const Endpoint& endpoint, int64_t nowNs, std::string_view query = {});

    // Handles what epoll reported for this connection.
    void handleEvents(uint32_t events, ReadBuffer& buffer);

    // Appends a masked text frame to the output buffer; flush() writes it.
    void queueText(std::string_view payload);
    // Appends bytes as they are (an HTTP request).
    void queueRaw(std::string_view bytes);
    void flush();
    // Sends a close frame (best effort) and closes the socket without waiting for the reply.
    void close(uint16_t code);
    // The way a browser leaves: a close frame, then the socket is closed when the server's
    // close frame (or its end of the stream) arrives.
    void leave(uint16_t code = 1000);
    // A reader that stops reading leaves what the server sends in the server's buffers.
    void setReading(bool reading);

    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }
    bool reading() const { return m_reading; }
    uint32_t index() const { return m_index; }
    int64_t startedNs() const { return m_startedNs; }
    size_t pendingOutput() const { return m_output.size() - m_outputOffset; }
    uint16_t closeCode() const { return m_closeCode; } // the server's, when it sent one

private:
    void onConnected();
    void continueTls();
    void onReadable(ReadBuffer& shared);
    // Reads from the socket or the TLS session; 0 with open: nothing there now.
    size_t readSome(char* buffer, size_t capacity, bool& open);
    // Consumes the handshake reply, frames or HTTP responses from data; returns bytes used.
    size_t consume(char* data, size_t size, int64_t nowNs);
    size_t consumeFrames(char* data, size_t size, int64_t nowNs);
    size_t consumeResponses(char* data, size_t size, int64_t nowNs);
    void updateInterest();
    void closeSocket();
    void fail(std::string_view reason);
    uint32_t nextMask();

    uint32_t m_index;
    ConnectionListener& m_listener;
    uint64_t m_random;
    ConnectionOptions m_options;
    int64_t m_quickAcksOffNs = 0; // when quick ACKs were last turned off (or kept off)
    int m_fd = -1;
    int m_epollFd = -1;
    State m_state = State::Created;
    uint32_t m_interest = 0; // what epoll watches now
    bool m_reading = true;
    bool m_tlsWantsWrite = false;
    uint16_t m_closeCode = 0;
    int64_t m_startedNs = 0;
    std::unique_ptr<TlsStream> m_tls;
    std::string m_acceptValue;
    std::string m_output;
    size_t m_outputOffset = 0;
    std::string m_carry; // bytes read but not yet consumed (an incomplete frame)
    FrameReader m_reader;
};

} // namespace loadgen
