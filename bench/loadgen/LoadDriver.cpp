#include "LoadDriver.h"

#include "MessageScan.h"
#include "ProcessStats.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include <sys/epoll.h>
#include <sys/random.h>
#include <unistd.h>

namespace loadgen {

namespace {

constexpr int64_t nsPerSecond = 1'000'000'000;
constexpr int64_t never = std::numeric_limits<int64_t>::max();
constexpr int maxEventsPerPoll = 1024;
constexpr size_t scratchBytes = 256 * 1024;

void appendNumber(std::string& out, int64_t value)
{
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr);
}

int64_t toNs(double seconds)
{
    return int64_t(seconds * double(nsPerSecond));
}

} // namespace

LoadDriver::LoadDriver(Endpoint endpoint, LoadSettings settings)
    : m_endpoint(std::move(endpoint))
    , m_settings(std::move(settings))
    , m_epollFd(::epoll_create1(EPOLL_CLOEXEC))
    , m_readBuffer{std::vector<char>(scratchBytes)}
    , m_seed(0x9E3779B97F4A7C15ull)
{
    uint64_t seed = 0;
    if (::getrandom(&seed, sizeof seed, 0) == sizeof seed)
        m_seed ^= seed;
    m_pad.assign(size_t(std::max(0, m_settings.payloadBytes)), 'x');
    m_subscribeMessage =
        R"({"type":"subscribe","id":"1","data":{"topics":[")" + m_settings.topic + R"("]}})";
}

LoadDriver::~LoadDriver()
{
    m_connections.clear();
    if (m_epollFd >= 0)
        ::close(m_epollFd);
}

bool LoadDriver::pastHardDeadline() const
{
    return m_settings.hardDeadlineNs > 0 && monotonicNs() >= m_settings.hardDeadlineNs;
}

template <typename Done>
bool LoadDriver::runUntil(int64_t deadlineNs, Done&& done, int64_t recheckNs)
{
    if (m_settings.hardDeadlineNs > 0)
        deadlineNs = std::min(deadlineNs, m_settings.hardDeadlineNs);
    for (;;) {
        if (done())
            return true;
        const int64_t now = monotonicNs();
        if (now >= deadlineNs)
            return false;
        if (m_phase.publishing && now >= m_phase.nextNs) {
            publishDue(now);
            continue;
        }
        int64_t wake = std::min(deadlineNs, now + recheckNs);
        if (m_phase.publishing)
            wake = std::min(wake, m_phase.nextNs);
        poll(wake - now);
    }
}

void LoadDriver::poll(int64_t timeoutNs)
{
    epoll_event events[maxEventsPerPoll];
    const timespec timeout{timeoutNs / nsPerSecond, timeoutNs % nsPerSecond};
    const int n = ::epoll_pwait2(m_epollFd, events, maxEventsPerPoll, &timeout, nullptr);
    if (n > 0)
        ++m_polls;
    for (int i = 0; i < n; ++i)
        static_cast<Connection*>(events[i].data.ptr)->handleEvents(events[i].events, m_readBuffer);
}

void LoadDriver::startConnection(Role role)
{
    const auto index = uint32_t(m_connections.size());
    m_seed += 0x9E3779B97F4A7C15ull;
    m_peers.push_back(Peer{role});
    m_connections.push_back(
        std::make_unique<Connection>(index, *this, m_seed, m_settings.delayedAcks));
    m_connections.back()->start(m_epollFd, m_endpoint, monotonicNs());
}

ConnectResult LoadDriver::connect(Role role, uint64_t count, int64_t timeoutNs)
{
    ConnectResult result;
    result.requested = count;
    m_handshakes.clear();
    m_firstConnectError.clear();
    const uint64_t readyBefore = m_readyTotal;
    const uint64_t failedBefore = m_failedTotal;
    const size_t firstIndex = m_connections.size();
    const auto concurrency = uint64_t(std::max(1, m_settings.connectConcurrency));
    uint64_t started = 0;
    const int64_t begin = monotonicNs();

    runUntil(begin + timeoutNs, [&] {
        const uint64_t finished = (m_readyTotal - readyBefore) + (m_failedTotal - failedBefore);
        while (started < count && started - finished < concurrency) {
            startConnection(role);
            ++started;
        }
        return (m_readyTotal - readyBefore) + (m_failedTotal - failedBefore) >= count;
    });

    // Whatever did not make it in time counts as failed.
    for (size_t i = firstIndex; i < m_connections.size(); ++i) {
        if (!m_peers[i].ready && m_connections[i]->state() != Connection::State::Closed) {
            m_connections[i]->close(1000);
            ++m_failedTotal;
            if (m_firstConnectError.empty())
                m_firstConnectError = "not ready before the connect timeout";
        }
    }
    result.seconds = double(monotonicNs() - begin) / 1e9;
    result.opened = m_readyTotal - readyBefore;
    result.failed = count - result.opened;
    result.handshake = m_handshakes.summary();
    result.firstError = m_firstConnectError;
    return result;
}

uint64_t LoadDriver::readyCount(Role role) const
{
    uint64_t count = 0;
    for (size_t i = 0; i < m_peers.size(); ++i) {
        if (m_peers[i].role == role && m_peers[i].ready &&
            m_connections[i]->state() == Connection::State::Open)
            ++count;
    }
    return count;
}

void LoadDriver::settle(int64_t quietNs, int64_t timeoutNs)
{
    m_lastEventNs = monotonicNs();
    // Quiet is a matter of time passing, not of an event: look again every quarter period.
    runUntil(
        monotonicNs() + timeoutNs, [&] { return monotonicNs() - m_lastEventNs >= quietNs; },
        std::max<int64_t>(quietNs / 4, 1'000'000));
}

void LoadDriver::idle(int64_t ns)
{
    runUntil(monotonicNs() + ns, [] { return false; });
}

void LoadDriver::closeAll()
{
    for (auto& connection : m_connections)
        connection->close(1000);
    for (auto& peer : m_peers)
        peer.ready = false;
}

PhaseResult LoadDriver::publish(double ratePerSecond, double seconds, double drainSeconds)
{
    PhaseResult result;
    result.targetRate = ratePerSecond;
    result.seconds = seconds;

    Phase& phase = m_phase;
    phase = Phase{};
    for (size_t i = 0; i < m_peers.size(); ++i) {
        if (m_peers[i].role == Role::Publisher && m_peers[i].ready &&
            m_connections[i]->state() == Connection::State::Open)
            phase.publishers.push_back(m_connections[i].get());
    }
    result.publishers = phase.publishers.size();
    result.subscribers = readyCount(Role::Subscriber);
    if (phase.publishers.empty() || ratePerSecond <= 0)
        return result;

    const CpuMeter cpu(m_settings.serverPid);
    const uint64_t pollsBefore = m_polls;
    const uint64_t readsBefore = m_readBuffer.reads;
    const uint64_t bytesBefore = m_readBuffer.bytesRead;

    phase.rate = ratePerSecond;
    phase.total = uint64_t(std::llround(ratePerSecond * seconds));
    phase.firstId = m_nextPublishId;
    phase.sendNs.reserve(phase.total);
    phase.startNs = monotonicNs();
    phase.nextNs = phase.startNs;
    phase.publishing = true;

    const int64_t publishDeadline = phase.startNs + toNs(seconds) + 5 * nsPerSecond;
    const bool sentAll = runUntil(publishDeadline, [&] { return !phase.publishing; });
    phase.publishing = false;
    const int64_t publishEnd = monotonicNs();

    const uint64_t expected = phase.published * result.subscribers;
    const bool drained = runUntil(publishEnd + toNs(drainSeconds), [&] {
        return phase.received >= expected && phase.acked + phase.errors >= phase.published;
    });
    const int64_t end = monotonicNs();
    result.cpu = cpu.use();
    result.polls = m_polls - pollsBefore;
    result.reads = m_readBuffer.reads - readsBefore;
    result.bytesRead = m_readBuffer.bytesRead - bytesBefore;

    result.timedOut = !sentAll;
    result.published = phase.published;
    result.skipped = phase.skipped + (phase.total - phase.due);
    result.acked = phase.acked;
    result.publishErrors = phase.errors;
    result.serverDelivered = phase.delivered;
    result.expected = expected;
    result.received = phase.received;
    result.lost = expected > phase.received ? expected - phase.received : 0;
    result.seqGaps = phase.gaps;
    result.duplicates = phase.duplicates;
    result.late = phase.late;
    result.malformed = phase.malformed;
    result.disconnects = phase.disconnects;
    result.achievedRate = double(phase.published) / seconds;
    result.deliveredPerSecond = double(phase.received) / seconds;
    result.latency = phase.latency.summary();
    result.ackLatency = phase.ackLatency.summary();
    result.drainSeconds = drained ? double(end - publishEnd) / 1e9 : drainSeconds;
    if (m_settings.serverPid)
        result.serverRssKiB = residentKiB(m_settings.serverPid);
    return result;
}

void LoadDriver::appendPublish(uint64_t id, int64_t sendNs)
{
    std::string& out = m_message;
    out.clear();
    out += R"({"type":"publish","id":")";
    appendNumber(out, int64_t(id));
    out += R"(","data":{"topic":")";
    out += m_settings.topic;
    out += R"(","event":"tick","data":{"t":)";
    const size_t dataStart = out.size() - 5; // the `{"t":` of the event's data
    appendNumber(out, sendNs);
    out += R"(,"pad":")";
    // Pad so that the event's data object is payloadBytes long: `...","pad":"<pad>"}`.
    const size_t soFar = out.size() - dataStart + 2;
    const size_t wanted = size_t(std::max(0, m_settings.payloadBytes));
    out.append(m_pad, 0, wanted > soFar ? wanted - soFar : 0);
    out += R"("}}})";
}

void LoadDriver::publishDue(int64_t nowNs)
{
    Phase& phase = m_phase;
    const auto elapsed = double(nowNs - phase.startNs);
    const uint64_t due =
        std::min(phase.total, uint64_t(elapsed * phase.rate / double(nsPerSecond)) + 1);
    const size_t publisherCount = phase.publishers.size();
    for (uint64_t i = phase.due; i < due; ++i) {
        Connection* publisher = phase.publishers[i % publisherCount];
        if (publisher->state() != Connection::State::Open ||
            publisher->pendingOutput() > m_settings.maxPublisherBacklog) {
            ++phase.skipped;
            continue;
        }
        const uint64_t id = m_nextPublishId++;
        appendPublish(id, nowNs);
        publisher->queueText(m_message);
        phase.sendNs.push_back(nowNs);
        ++phase.published;
    }
    phase.due = due;
    for (Connection* publisher : phase.publishers)
        publisher->flush();
    if (phase.due >= phase.total) {
        phase.publishing = false;
        return;
    }
    const auto nextDue =
        phase.startNs + int64_t(std::ceil(double(phase.due) * double(nsPerSecond) / phase.rate));
    phase.nextNs = std::max(nextDue, nowNs + m_settings.minPublishTickNs);
}

void LoadDriver::onOpen(Connection& /*connection*/, int64_t /*nowNs*/)
{
    // The server speaks first (welcome); nothing to send yet.
}

void LoadDriver::onWelcome(Connection& connection, Peer& peer, int64_t nowNs)
{
    peer.welcomed = true;
    m_handshakes.record(nowNs - connection.startedNs());
    if (peer.role == Role::Subscriber) {
        connection.queueText(m_subscribeMessage);
        connection.flush();
        return;
    }
    peer.ready = true;
    ++m_readyTotal;
}

void LoadDriver::onText(Connection& connection, std::string_view message, int64_t receivedNs)
{
    Peer& peer = m_peers[connection.index()];
    if (peer.role == Role::Subscriber) {
        const EventFields fields = scanEvent(message);
        if (fields.type == "event") {
            onSubscriberEvent(peer, fields, receivedNs);
            return;
        }
    }
    const auto type = messageType(message);
    if (!type) {
        ++m_phase.malformed;
        return;
    }
    if (*type == "welcome") {
        if (!peer.welcomed)
            onWelcome(connection, peer, receivedNs);
        return;
    }
    if (*type == "error") {
        if (peer.role == Role::Publisher)
            ++m_phase.errors;
        logProblem("error from the server: " + std::string(message));
        if (peer.role == Role::Subscriber && !peer.ready) {
            // The subscription was refused: a failed connect.
            connection.close(1000);
            ++m_failedTotal;
            if (m_firstConnectError.empty())
                m_firstConnectError = std::string(message);
        }
        return;
    }
    if (peer.role == Role::Publisher) {
        onPublisherReply(*type, message, receivedNs);
        return;
    }
    if (peer.role == Role::Subscriber && *type == "ack" && !peer.ready) {
        // {"type":"ack","id":"1","data":{"seq":{"bench":N}}}: events continue from N + 1.
        peer.lastSeq = findInteger(message, m_settings.topic).value_or(-1);
        peer.ready = true;
        ++m_readyTotal;
    }
}

void LoadDriver::onSubscriberEvent(Peer& peer, const EventFields& fields, int64_t receivedNs)
{
    Phase& phase = m_phase;
    m_lastEventNs = receivedNs;
    const auto& seq = fields.seq;
    const auto& sendNs = fields.sendTime;
    if (!seq || !sendNs) {
        ++phase.malformed;
        return;
    }
    if (peer.lastSeq >= 0) {
        if (*seq > peer.lastSeq + 1)
            phase.gaps += uint64_t(*seq - peer.lastSeq - 1);
        else if (*seq <= peer.lastSeq)
            ++phase.duplicates;
    }
    peer.lastSeq = std::max(peer.lastSeq, *seq);
    if (*sendNs < phase.startNs) {
        ++phase.late;
        return;
    }
    ++phase.received;
    phase.latency.record(receivedNs - *sendNs);
}

void LoadDriver::onPublisherReply(std::string_view type, std::string_view message,
                                  int64_t receivedNs)
{
    if (type != "ack")
        return;
    Phase& phase = m_phase;
    const auto idText = findString(message, "id");
    uint64_t id = 0;
    if (!idText ||
        std::from_chars(idText->data(), idText->data() + idText->size(), id).ec != std::errc())
        return;
    if (id < phase.firstId || id - phase.firstId >= phase.sendNs.size())
        return; // an ack for an earlier phase
    ++phase.acked;
    phase.delivered +=
        uint64_t(std::max<int64_t>(0, findInteger(message, "delivered").value_or(0)));
    phase.ackLatency.record(receivedNs - phase.sendNs[id - phase.firstId]);
}

void LoadDriver::onClosed(Connection& connection, std::string_view reason)
{
    Peer& peer = m_peers[connection.index()];
    const char* role = peer.role == Role::Subscriber  ? "subscriber"
                       : peer.role == Role::Publisher ? "publisher"
                                                      : "idle connection";
    if (peer.ready) {
        ++m_phase.disconnects;
        peer.ready = false;
    } else {
        ++m_failedTotal;
        if (m_firstConnectError.empty())
            m_firstConnectError = std::string(reason);
    }
    logProblem(std::string(role) + " #" + std::to_string(connection.index()) +
               " closed: " + std::string(reason));
}

void LoadDriver::logProblem(std::string_view what)
{
    constexpr int maxLogged = 10;
    if (m_problemsLogged < maxLogged)
        std::fprintf(stderr, "loadgen: %.*s\n", int(std::min<size_t>(what.size(), 300)),
                     what.data());
    else if (m_problemsLogged == maxLogged)
        std::fprintf(stderr, "loadgen: (further problems not shown)\n");
    ++m_problemsLogged;
}

} // namespace loadgen
