#pragma once

// The client's side of TLS on a non-blocking socket, driven by the owner's epoll loop: OpenSSL's
// libssl straight on the descriptor, so that wss costs the generator what encryption costs and
// nothing more. The bench does not check the server's certificate: it talks to a server it
// started on 127.0.0.1 with a certificate made for the run.

#include <cstddef>
#include <string>
#include <sys/types.h>

using SSL = struct ssl_st;
using SSL_CTX = struct ssl_ctx_st;

namespace loadgen {

// One per process: the client configuration every TLS connection starts from.
class TlsClientContext {
public:
    TlsClientContext();
    ~TlsClientContext();
    TlsClientContext(const TlsClientContext&) = delete;
    TlsClientContext& operator=(const TlsClientContext&) = delete;

    SSL_CTX* get() const { return m_context; }
    bool valid() const { return m_context != nullptr; }

private:
    SSL_CTX* m_context = nullptr;
};

class TlsStream {
public:
    // What an operation needs before it can go on.
    enum class Status { Done, WantRead, WantWrite, Closed, Failed };

    TlsStream(SSL_CTX* context, int fd);
    ~TlsStream();
    TlsStream(const TlsStream&) = delete;
    TlsStream& operator=(const TlsStream&) = delete;

    Status handshake();

    // Reads decrypted bytes into buffer until it is full or the socket has nothing more
    // (several records per call); bytes holds how many. Done with bytes == 0 never happens:
    // nothing read is WantRead (or WantWrite).
    Status read(char* buffer, size_t capacity, size_t& bytes);

    // Bytes already taken from the socket but not yet returned by read(): the caller must read
    // again before it waits for the socket.
    bool hasPending() const;

    // Encrypts and sends up to size bytes; written holds how many went. A write that returned
    // WantRead/WantWrite must be repeated with at least the bytes not written yet.
    Status write(const char* data, size_t size, size_t& written);

    // The last failure, from OpenSSL's error queue.
    const std::string& error() const { return m_error; }

private:
    Status status(int result);

    SSL* m_ssl = nullptr;
    std::string m_error;
};

} // namespace loadgen
