#include "TlsStream.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>

namespace loadgen {

TlsClientContext::TlsClientContext()
    : m_context(SSL_CTX_new(TLS_client_method()))
{
    if (!m_context)
        return;
    SSL_CTX_set_min_proto_version(m_context, TLS1_2_VERSION);
    SSL_CTX_set_verify(m_context, SSL_VERIFY_NONE, nullptr);
    // Partial writes keep the output buffer's bookkeeping simple: what went is dropped, the
    // rest is offered again later, possibly from a moved buffer.
    SSL_CTX_set_mode(m_context,
                     SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    // Without read-ahead every record costs two read()s (its header, then its body): with one
    // small event per record that was ~13 us of the generator's CPU per event. With it, one
    // read() takes in whatever the socket holds; what is left in OpenSSL's buffer is asked for
    // through hasPending(), since epoll cannot see it.
    SSL_CTX_set_read_ahead(m_context, 1);
}

TlsClientContext::~TlsClientContext()
{
    SSL_CTX_free(m_context);
}

TlsStream::TlsStream(SSL_CTX* context, int fd)
    : m_ssl(SSL_new(context))
{
    if (m_ssl) {
        SSL_set_fd(m_ssl, fd);
        SSL_set_connect_state(m_ssl);
    }
}

TlsStream::~TlsStream()
{
    SSL_free(m_ssl);
}

TlsStream::Status TlsStream::status(int result)
{
    const int error = SSL_get_error(m_ssl, result);
    switch (error) {
    case SSL_ERROR_WANT_READ:
        return Status::WantRead;
    case SSL_ERROR_WANT_WRITE:
        return Status::WantWrite;
    case SSL_ERROR_ZERO_RETURN:
        return Status::Closed;
    case SSL_ERROR_SYSCALL:
        if (errno == EAGAIN || errno == EINTR)
            return Status::WantRead;
        m_error = errno == 0 ? std::string("connection closed without close_notify")
                             : std::string("TLS: ") + std::strerror(errno);
        ERR_clear_error();
        return errno == 0 ? Status::Closed : Status::Failed;
    default: {
        char text[256];
        ERR_error_string_n(ERR_get_error(), text, sizeof text);
        m_error = std::string("TLS: ") + text;
        ERR_clear_error();
        return Status::Failed;
    }
    }
}

TlsStream::Status TlsStream::handshake()
{
    if (!m_ssl) {
        m_error = "TLS: cannot create a session";
        return Status::Failed;
    }
    const int result = SSL_do_handshake(m_ssl);
    return result == 1 ? Status::Done : status(result);
}

TlsStream::Status TlsStream::read(char* buffer, size_t capacity, size_t& bytes)
{
    bytes = 0;
    // One SSL_read returns at most one record (16 KiB): keep going while there is room, so one
    // wake-up takes in what a plain read() would.
    while (bytes < capacity) {
        size_t n = 0;
        const int result = SSL_read_ex(m_ssl, buffer + bytes, capacity - bytes, &n);
        if (result == 1) {
            bytes += n;
            continue;
        }
        const Status why = status(result);
        if (bytes > 0 && (why == Status::WantRead || why == Status::WantWrite))
            return Status::Done;
        if (bytes > 0 && why == Status::Closed)
            return Status::Done; // the close is seen on the next call
        return why;
    }
    return Status::Done;
}

bool TlsStream::hasPending() const
{
    return SSL_has_pending(m_ssl) == 1;
}

TlsStream::Status TlsStream::write(const char* data, size_t size, size_t& written)
{
    written = 0;
    if (size == 0)
        return Status::Done;
    const int result = SSL_write_ex(m_ssl, data, size, &written);
    return result == 1 ? Status::Done : status(result);
}

} // namespace loadgen
