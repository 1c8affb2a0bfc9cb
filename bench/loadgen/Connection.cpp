#include "Connection.h"

#include "Handshake.h"
#include "ProcessStats.h"

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace loadgen {

namespace {

constexpr size_t readChunk = 64 * 1024;
// Half the kernel's shortest delayed-ACK timeout (TCP_DELACK_MIN, 40 ms).
constexpr int64_t quickAckRenewNs = 20'000'000;

std::string errorText(std::string_view what, int error)
{
    std::string text(what);
    text += ": ";
    text += std::strerror(error);
    return text;
}

} // namespace

Endpoint Endpoint::onPort(uint16_t port) const
{
    Endpoint moved = *this;
    moved.address.sin_port = htons(port);
    const size_t colon = hostHeader.rfind(':');
    moved.hostHeader = hostHeader.substr(0, colon) + ":" + std::to_string(port);
    return moved;
}

Connection::Connection(uint32_t index, ConnectionListener& listener, uint64_t seed,
                       ConnectionOptions options)
    : m_index(index)
    , m_listener(listener)
    , m_random(seed | 1)
    , m_options(options)
{}

Connection::~Connection()
{
    m_tls.reset();
    if (m_fd >= 0)
        ::close(m_fd);
}

uint32_t Connection::nextMask()
{
    // xorshift64*: the masks only have to differ between frames, not be secret (RFC 6455 asks
    // for unpredictability against proxies caching forged requests; none are in the path).
    m_random ^= m_random >> 12;
    m_random ^= m_random << 25;
    m_random ^= m_random >> 27;
    return uint32_t((m_random * 0x2545F4914F6CDD1Dull) >> 32);
}

bool Connection::start(int epollFd, const Endpoint& endpoint, int64_t nowNs, std::string_view query)
{
    m_epollFd = epollFd;
    m_startedNs = nowNs;
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        fail(errorText("socket", errno));
        return false;
    }
    // Publish frames are small and pipelined: Nagle would hold them back behind unacked data.
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (endpoint.sourceAddresses > 1) {
        // The port is chosen at connect(), for the whole 4-tuple, not at bind().
        ::setsockopt(m_fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        sockaddr_in source{};
        source.sin_family = AF_INET;
        source.sin_addr.s_addr =
            htonl((127u << 24) | (1u + m_index % unsigned(endpoint.sourceAddresses)));
        if (::bind(m_fd, reinterpret_cast<const sockaddr*>(&source), sizeof source) != 0) {
            fail(errorText("bind", errno));
            return false;
        }
    }
    if (m_options.receiveBufferBytes > 0)
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &m_options.receiveBufferBytes,
                     sizeof m_options.receiveBufferBytes);
    if (endpoint.tls)
        m_tls = std::make_unique<TlsStream>(endpoint.tls, m_fd);

    if (!m_options.http) {
        const uint64_t high = uint64_t(nextMask()) << 32 | nextMask();
        const uint64_t low = uint64_t(nextMask()) << 32 | nextMask();
        const std::string key = makeWebSocketKey(high, low);
        m_acceptValue = expectedAccept(key);
        std::string target = endpoint.path;
        if (!query.empty()) {
            target += '?';
            target += query;
        }
        m_output = upgradeRequest(endpoint.hostHeader, target, key);
    }

    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.ptr = this;
    if (::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_fd, &event) != 0) {
        fail(errorText("epoll_ctl", errno));
        return false;
    }
    m_interest = event.events;
    m_state = State::Connecting;
    const int rc = ::connect(m_fd, reinterpret_cast<const sockaddr*>(&endpoint.address),
                             sizeof endpoint.address);
    if (rc == 0) {
        onConnected();
    } else if (errno != EINPROGRESS) {
        fail(errorText("connect", errno));
        return false;
    }
    return m_state != State::Closed;
}

void Connection::handleEvents(uint32_t events, ReadBuffer& buffer)
{
    switch (m_state) {
    case State::Created:
    case State::Closed:
        return;
    case State::Connecting: {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0)
            fail(errorText("connect", error));
        else if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            onConnected();
        return;
    }
    case State::TlsHandshaking:
        continueTls();
        return;
    default:
        break;
    }
    const bool wokenForTls = m_tlsWantsWrite && (events & EPOLLOUT);
    if ((events & (EPOLLHUP | EPOLLERR)) || ((events & EPOLLIN) && m_reading) || wokenForTls) {
        m_tlsWantsWrite = false;
        onReadable(buffer);
    }
    if (m_state != State::Closed && (events & EPOLLOUT))
        flush();
}

void Connection::onConnected()
{
    if (m_tls) {
        m_state = State::TlsHandshaking;
        continueTls();
        return;
    }
    m_state = m_options.http ? State::Open : State::Handshaking;
    if (m_options.http)
        m_listener.onOpen(*this, monotonicNs());
    flush();
}

void Connection::continueTls()
{
    switch (m_tls->handshake()) {
    case TlsStream::Status::Done:
        m_tlsWantsWrite = false;
        m_state = m_options.http ? State::Open : State::Handshaking;
        if (m_options.http)
            m_listener.onOpen(*this, monotonicNs());
        flush();
        return;
    case TlsStream::Status::WantRead:
        m_tlsWantsWrite = false;
        updateInterest();
        return;
    case TlsStream::Status::WantWrite:
        m_tlsWantsWrite = true;
        updateInterest();
        return;
    default:
        fail("TLS handshake failed: " + m_tls->error());
    }
}

size_t Connection::readSome(char* buffer, size_t capacity, bool& open)
{
    open = true;
    if (m_tls) {
        size_t bytes = 0;
        switch (m_tls->read(buffer, capacity, bytes)) {
        case TlsStream::Status::Done:
            return bytes;
        case TlsStream::Status::WantRead:
            return 0;
        case TlsStream::Status::WantWrite:
            m_tlsWantsWrite = true;
            updateInterest();
            return 0;
        case TlsStream::Status::Closed:
            open = false;
            return 0;
        case TlsStream::Status::Failed:
            fail(m_tls->error());
            open = false;
            return 0;
        }
    }
    const ssize_t n = ::read(m_fd, buffer, capacity);
    if (n > 0)
        return size_t(n);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    if (n < 0)
        fail(errorText("read", errno));
    open = false;
    return 0;
}

void Connection::onReadable(ReadBuffer& shared)
{
    std::vector<char>& scratch = shared.bytes;
    const size_t kept = m_carry.size();
    // Usually the carried-over bytes are a fraction of a frame and go in front of the shared
    // buffer; a large message in progress is read straight into its own buffer instead.
    const bool inCarry = kept + readChunk > scratch.size();
    char* buffer = nullptr;
    size_t capacity = 0;
    if (inCarry) {
        m_carry.resize(kept + readChunk);
        buffer = m_carry.data();
        capacity = m_carry.size();
    } else {
        if (kept > 0)
            std::memcpy(scratch.data(), m_carry.data(), kept);
        buffer = scratch.data();
        capacity = scratch.size();
    }
    if (m_options.delayAcks) {
        // Linux acknowledges every small segment at once when the reader never sends, and on
        // loopback that ACK runs the server socket's receive path inside this read(), on the
        // two cores the hub is measured on. With --acks delayed the generator asks for delayed
        // ACKs instead. The delayed-ACK timer (40 ms) turns quick ACKs back on when it fires,
        // so the request is renewed before a read that follows a pause; reads in quick
        // succession skip the system call.
        const int64_t now = monotonicNs();
        if (now - m_quickAcksOffNs >= quickAckRenewNs) {
            const int off = 0;
            ::setsockopt(m_fd, IPPROTO_TCP, TCP_QUICKACK, &off, sizeof off);
        }
        m_quickAcksOffNs = now;
    }
    bool open = true;
    const size_t n = readSome(buffer + kept, capacity - kept, open);
    if (n == 0) {
        if (inCarry)
            m_carry.resize(kept);
        if (open || m_state == State::Closed)
            return;
        if (m_state == State::Leaving) {
            closeSocket();
            m_listener.onClosed(*this, "left");
        } else {
            fail("server closed the connection (EOF)");
        }
        return;
    }
    ++shared.reads;
    shared.bytesRead += n;
    const size_t total = kept + n;
    const size_t used = consume(buffer, total, monotonicNs());
    if (m_state == State::Closed) {
        // Only now: buffer may point into m_carry, which consume() was still reading.
        std::string().swap(m_carry);
        return;
    }
    if (inCarry) {
        m_carry.resize(total);
        m_carry.erase(0, used);
    } else {
        m_carry.assign(buffer + used, total - used);
    }
    // A full buffer may have left records in OpenSSL's read-ahead, where epoll cannot see them.
    if (m_tls && m_tls->hasPending() && m_reading)
        onReadable(shared);
}

size_t Connection::consume(char* data, size_t size, int64_t nowNs)
{
    size_t used = 0;
    if (m_state == State::Handshaking) {
        const HandshakeReply reply = parseUpgradeReply({data, size}, m_acceptValue);
        if (reply.status == HandshakeReply::Status::NeedMore)
            return 0;
        if (reply.status == HandshakeReply::Status::Rejected) {
            fail("handshake rejected: " + reply.reason);
            return 0;
        }
        m_state = State::Open;
        std::string().swap(m_acceptValue);
        used = reply.headerLength;
        m_listener.onOpen(*this, nowNs);
        if (m_state != State::Open)
            return used;
    }
    if (m_options.http)
        return used + consumeResponses(data + used, size - used, nowNs);
    return used + consumeFrames(data + used, size - used, nowNs);
}

size_t Connection::consumeFrames(char* data, size_t size, int64_t nowNs)
{
    std::string closeReason;
    bool left = false;
    const size_t used =
        m_reader.feed(data, size, [&](uint8_t opcode, const char* payload, size_t length) {
            if (m_state != State::Open && m_state != State::Leaving)
                return;
            switch (opcode) {
            case Text:
                if (m_state == State::Open)
                    m_listener.onText(*this, {payload, length}, nowNs);
                break;
            case Ping:
                appendClientFrame(m_output, Pong, {payload, length}, nextMask());
                flush();
                break;
            case Close: {
                const unsigned code =
                    length >= 2 ? (unsigned(uint8_t(payload[0])) << 8 | uint8_t(payload[1]))
                                : 1005u;
                m_closeCode = uint16_t(code);
                if (m_state == State::Leaving) {
                    left = true;
                    closeSocket();
                    break;
                }
                closeReason = "closed by the server with code " + std::to_string(code);
                if (length > 2)
                    closeReason.append(": ").append(payload + 2, length - 2);
                close(code == 1005 ? 1000 : uint16_t(code));
                break;
            }
            default: // Binary and Pong: nothing to do
                break;
            }
        });
    if (left) {
        m_listener.onClosed(*this, "left");
        return used;
    }
    if (!closeReason.empty()) {
        m_listener.onClosed(*this, closeReason);
        return used;
    }
    if (m_state == State::Open && m_reader.error() != FrameReader::Error::None) {
        fail(m_reader.error() == FrameReader::Error::TooLarge
                 ? "message larger than the reader's limit"
                 : "protocol error in a frame from the server");
    }
    return used;
}

size_t Connection::consumeResponses(char* data, size_t size, int64_t nowNs)
{
    size_t used = 0;
    while (used < size && m_state == State::Open) {
        const ResponseHead head = parseResponseHead({data + used, size - used});
        if (head.status == ResponseHead::Status::NeedMore)
            break;
        if (head.status == ResponseHead::Status::Invalid) {
            fail("bad HTTP response: " + head.problem);
            break;
        }
        if (size - used - head.headerLength < head.contentLength)
            break;
        const std::string_view body(data + used + head.headerLength, head.contentLength);
        used += head.headerLength + head.contentLength;
        m_listener.onHttpResponse(*this, head.code, body, nowNs);
    }
    return used;
}

void Connection::queueText(std::string_view payload)
{
    appendClientFrame(m_output, Text, payload, nextMask());
}

void Connection::queueRaw(std::string_view bytes)
{
    m_output += bytes;
}

void Connection::flush()
{
    if (m_state == State::Closed || m_state == State::Created || m_state == State::Connecting ||
        m_state == State::TlsHandshaking)
        return;
    while (m_outputOffset < m_output.size()) {
        const char* const data = m_output.data() + m_outputOffset;
        const size_t size = m_output.size() - m_outputOffset;
        if (m_tls) {
            size_t written = 0;
            const TlsStream::Status status = m_tls->write(data, size, written);
            if (status == TlsStream::Status::Done) {
                m_outputOffset += written;
                continue;
            }
            if (status == TlsStream::Status::WantRead || status == TlsStream::Status::WantWrite)
                break;
            fail(m_tls->error());
            return;
        }
        const ssize_t n = ::send(m_fd, data, size, MSG_NOSIGNAL);
        if (n > 0) {
            m_outputOffset += size_t(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        fail(errorText("write", errno));
        return;
    }
    if (m_outputOffset == m_output.size()) {
        m_output.clear();
        m_outputOffset = 0;
    } else if (m_outputOffset > (1u << 20)) {
        m_output.erase(0, m_outputOffset);
        m_outputOffset = 0;
    }
    updateInterest();
}

void Connection::setReading(bool reading)
{
    m_reading = reading;
    updateInterest();
}

void Connection::updateInterest()
{
    if (m_fd < 0)
        return;
    uint32_t wanted = m_reading ? uint32_t(EPOLLIN) : 0u;
    if (pendingOutput() > 0 || m_tlsWantsWrite || m_state == State::Connecting)
        wanted |= EPOLLOUT;
    if (wanted == m_interest)
        return;
    epoll_event event{};
    event.events = wanted;
    event.data.ptr = this;
    ::epoll_ctl(m_epollFd, EPOLL_CTL_MOD, m_fd, &event);
    m_interest = wanted;
}

void Connection::close(uint16_t code)
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Open && !m_options.http) {
        const char payload[2] = {char(code >> 8), char(code & 0xFF)};
        appendClientFrame(m_output, Close, {payload, 2}, nextMask());
        // Best effort, once: the bench does not wait for the server's reply.
        const char* const data = m_output.data() + m_outputOffset;
        const size_t size = m_output.size() - m_outputOffset;
        if (m_tls) {
            size_t written = 0;
            m_tls->write(data, size, written);
        } else {
            [[maybe_unused]] const ssize_t n =
                ::send(m_fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        }
    }
    closeSocket();
}

void Connection::leave(uint16_t code)
{
    if (m_state != State::Open || m_options.http) {
        close(code);
        return;
    }
    const char payload[2] = {char(code >> 8), char(code & 0xFF)};
    appendClientFrame(m_output, Close, {payload, 2}, nextMask());
    m_state = State::Leaving;
    m_reading = true;
    flush();
}

void Connection::closeSocket()
{
    m_tls.reset();
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    m_state = State::Closed;
    std::string().swap(m_output);
    m_outputOffset = 0;
}

void Connection::fail(std::string_view reason)
{
    const bool wasClosed = m_state == State::Closed;
    closeSocket();
    if (!wasClosed)
        m_listener.onClosed(*this, reason);
}

} // namespace loadgen
