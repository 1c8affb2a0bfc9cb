#include "Connection.h"

#include "Handshake.h"
#include "ProcessStats.h"

#include <cerrno>
#include <cstring>

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

Connection::Connection(uint32_t index, ConnectionListener& listener, uint64_t seed, bool delayAcks)
    : m_index(index)
    , m_listener(listener)
    , m_random(seed | 1)
    , m_delayAcks(delayAcks)
{}

Connection::~Connection()
{
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

bool Connection::start(int epollFd, const Endpoint& endpoint, int64_t nowNs)
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

    const uint64_t high = uint64_t(nextMask()) << 32 | nextMask();
    const uint64_t low = uint64_t(nextMask()) << 32 | nextMask();
    const std::string key = makeWebSocketKey(high, low);
    m_acceptValue = expectedAccept(key);
    m_output = upgradeRequest(endpoint.hostHeader, endpoint.path, key);

    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.ptr = this;
    if (::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_fd, &event) != 0) {
        fail(errorText("epoll_ctl", errno));
        return false;
    }
    m_watchingWrites = true;
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
    if (m_state == State::Closed)
        return;
    if (m_state == State::Connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0)
            fail(errorText("connect", error));
        else if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            onConnected();
        return;
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        onReadable(buffer);
    if (m_state != State::Closed && (events & EPOLLOUT))
        flush();
}

void Connection::onConnected()
{
    m_state = State::Handshaking;
    flush();
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
    if (m_delayAcks) {
        // Linux acknowledges every small segment at once when the reader never sends, and on
        // loopback that ACK runs the server socket's receive path inside this read(), on the
        // two cores the hub is measured on. Clients on other machines pay for their ACKs
        // themselves, so by default the generator asks for delayed ACKs. The delayed-ACK
        // timer (40 ms) turns quick ACKs back on when it fires, so the request is renewed
        // before a read that follows a pause; reads in quick succession skip the system call.
        const int64_t now = monotonicNs();
        if (now - m_quickAcksOffNs >= quickAckRenewNs) {
            const int off = 0;
            ::setsockopt(m_fd, IPPROTO_TCP, TCP_QUICKACK, &off, sizeof off);
        }
        m_quickAcksOffNs = now;
    }
    const ssize_t n = ::read(m_fd, buffer + kept, capacity - kept);
    if (n <= 0) {
        if (inCarry)
            m_carry.resize(kept);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        fail(n == 0 ? std::string("server closed the connection (EOF)") : errorText("read", errno));
        return;
    }
    ++shared.reads;
    shared.bytesRead += uint64_t(n);
    const size_t total = kept + size_t(n);
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
        m_acceptValue.clear();
        used = reply.headerLength;
        m_listener.onOpen(*this, nowNs);
        if (m_state != State::Open)
            return used;
    }
    std::string closeReason;
    used += m_reader.feed(
        data + used, size - used, [&](uint8_t opcode, const char* payload, size_t length) {
            if (m_state != State::Open)
                return;
            switch (opcode) {
            case Text:
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

void Connection::queueText(std::string_view payload)
{
    appendClientFrame(m_output, Text, payload, nextMask());
}

void Connection::flush()
{
    if (m_state == State::Closed || m_state == State::Connecting)
        return;
    while (m_outputOffset < m_output.size()) {
        const ssize_t n = ::send(m_fd, m_output.data() + m_outputOffset,
                                 m_output.size() - m_outputOffset, MSG_NOSIGNAL);
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

void Connection::updateInterest()
{
    const bool wantWrites = pendingOutput() > 0;
    if (wantWrites == m_watchingWrites || m_fd < 0)
        return;
    epoll_event event{};
    event.events = EPOLLIN | (wantWrites ? EPOLLOUT : 0u);
    event.data.ptr = this;
    ::epoll_ctl(m_epollFd, EPOLL_CTL_MOD, m_fd, &event);
    m_watchingWrites = wantWrites;
}

void Connection::close(uint16_t code)
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Open) {
        const char payload[2] = {char(code >> 8), char(code & 0xFF)};
        appendClientFrame(m_output, Close, {payload, 2}, nextMask());
        // Best effort, once: the bench does not wait for the server's reply.
        [[maybe_unused]] const ssize_t n =
            ::send(m_fd, m_output.data() + m_outputOffset, m_output.size() - m_outputOffset,
                   MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    ::close(m_fd);
    m_fd = -1;
    m_state = State::Closed;
    std::string().swap(m_output);
    m_outputOffset = 0;
}

void Connection::fail(std::string_view reason)
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    const bool wasClosed = m_state == State::Closed;
    m_state = State::Closed;
    std::string().swap(m_output);
    m_outputOffset = 0;
    if (!wasClosed)
        m_listener.onClosed(*this, reason);
}

} // namespace loadgen
