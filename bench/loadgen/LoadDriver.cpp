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
#include <time.h>
#include <unistd.h>

namespace loadgen {

namespace {

constexpr int64_t nsPerSecond = 1'000'000'000;
constexpr int64_t never = std::numeric_limits<int64_t>::max();
constexpr int maxEventsPerPoll = 1024;
constexpr size_t scratchBytes = 256 * 1024;

bool isListener(Role role)
{
    return role == Role::Listener || role == Role::QuietListener;
}

// The roles a phase counts among the receivers of what it publishes.
bool receivesEvents(Role role)
{
    return role == Role::Subscriber || isListener(role);
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
    m_pad.assign(size_t(std::max(0, m_settings.payloadBytes)) + (1u << 20), 'x');
    topic("bench");
}

LoadDriver::~LoadDriver()
{
    m_connections.clear();
    if (m_epollFd >= 0)
        ::close(m_epollFd);
}

uint32_t LoadDriver::topic(const std::string& name)
{
    const auto it = std::find(m_topicNames.begin(), m_topicNames.end(), name);
    if (it != m_topicNames.end())
        return uint32_t(it - m_topicNames.begin());
    m_topicNames.push_back(name);
    return uint32_t(m_topicNames.size() - 1);
}

std::string LoadDriver::subscribeMessage(const std::string& topic) const
{
    return R"({"type":"subscribe","id":"1","data":{"topics":[")" + topic + R"("]}})";
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
        int64_t now = monotonicNs();
        if (now >= deadlineNs)
            return false;
        const int64_t next = runTimers(now);
        if (done())
            return true;
        now = monotonicNs();
        const int64_t wake = std::min({deadlineNs, now + recheckNs, next});
        if (m_readRoundNs == 0) {
            poll(std::max<int64_t>(0, wake - now));
        } else if (now >= m_nextReadRoundNs) {
            readRound();
            m_nextReadRoundNs = now + m_readRoundNs;
        } else {
            // Between rounds the generator sleeps instead of waiting in epoll: every wake-up
            // for one socket's data costs a context switch on both sides (the writer's
            // wake-up runs in the server's system call), and on a server that writes each
            // subscriber's frames as soon as a publish is in, those wake-ups were the
            // generator's largest cost (bench/README.md, *How each figure is taken*).
            const int64_t until = std::min(wake, m_nextReadRoundNs);
            const timespec at{until / nsPerSecond, until % nsPerSecond};
            ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nullptr);
        }
    }
}

void LoadDriver::readRound()
{
    // Level-triggered: a socket with more than one read's worth stays ready for the next round.
    while (poll(0) == maxEventsPerPoll) {
    }
}

int64_t LoadDriver::runTimers(int64_t nowNs)
{
    int64_t next = never;
    if (m_phase.publishing && nowNs >= m_phase.nextNs)
        publishDue(nowNs);
    if (m_phase.publishing)
        next = std::min(next, m_phase.nextNs);
    if (m_churn.running) {
        churnDue(nowNs);
        next = std::min(next, nowNs + 1'000'000);
    }
    // Index-based: a timer may add timers (m_timers is a vector of entries that stay where
    // they are until the end of the pass).
    for (size_t i = 0; i < m_timers.size(); ++i) {
        if (m_timers[i].dueNs <= nowNs) {
            auto fire = m_timers[i].fire; // the call may grow m_timers
            m_timers[i].dueNs = fire(nowNs);
        }
        next = std::min(next, m_timers[i].dueNs);
    }
    std::erase_if(m_timers, [](const Timer& timer) { return timer.dueNs == never; });
    return next;
}

void LoadDriver::every(int64_t firstNs, std::function<int64_t(int64_t)> fire)
{
    m_timers.push_back({firstNs, std::move(fire)});
}

void LoadDriver::clearTimers()
{
    m_timers.clear();
    m_slowWanted = 0;
}

int LoadDriver::poll(int64_t timeoutNs)
{
    epoll_event events[maxEventsPerPoll];
    const timespec timeout{timeoutNs / nsPerSecond, timeoutNs % nsPerSecond};
    const int n = ::epoll_pwait2(m_epollFd, events, maxEventsPerPoll, &timeout, nullptr);
    if (n > 0)
        ++m_polls;
    for (int i = 0; i < n; ++i)
        static_cast<Connection*>(events[i].data.ptr)->handleEvents(events[i].events, m_readBuffer);
    // Only now: a later event of the same batch may still name a connection closed earlier.
    for (const uint32_t index : m_retiring) {
        m_connections[index].reset();
        m_freeSlots.push_back(index);
    }
    m_retiring.clear();
    return std::max(n, 0);
}

Connection& LoadDriver::startConnection(Role role, uint32_t topic, const std::string& path,
                                        ConnectionOptions options)
{
    uint32_t index = 0;
    if (!m_freeSlots.empty()) {
        index = m_freeSlots.back();
        m_freeSlots.pop_back();
    } else {
        index = uint32_t(m_connections.size());
        m_connections.emplace_back();
        m_peers.emplace_back();
    }
    m_seed += 0x9E3779B97F4A7C15ull;
    Peer& peer = m_peers[index];
    peer = Peer{};
    peer.role = role;
    peer.topic = topic;
    options.delayAcks = m_settings.delayedAcks;
    options.http = role == Role::Rest || role == Role::Http;
    m_connections[index] = std::make_unique<Connection>(index, *this, m_seed, options);
    Connection& connection = *m_connections[index];
    if (options.http) {
        auto client = std::make_unique<RestClient>();
        client->connection = &connection;
        client->publishing = role == Role::Rest;
        m_restClients.push_back(std::move(client));
    }
    std::string query;
    const std::string& token = role == Role::Publisher && !m_settings.publisherToken.empty()
                                   ? m_settings.publisherToken
                                   : m_settings.token;
    if (!options.http && !token.empty())
        query = "token=" + token;
    const std::vector<uint16_t>& spread = m_endpoint.subscriberPorts;
    if (!options.http && role != Role::Publisher && !spread.empty()) {
        Endpoint endpoint = m_endpoint.onPort(spread[m_spreadNext++ % spread.size()]);
        if (!path.empty())
            endpoint.path = path;
        connection.start(m_epollFd, endpoint, monotonicNs(), query);
    } else if (path.empty()) {
        connection.start(m_epollFd, m_endpoint, monotonicNs(), query);
    } else {
        Endpoint endpoint = m_endpoint;
        endpoint.path = path;
        connection.start(m_epollFd, endpoint, monotonicNs(), query);
    }
    return connection;
}

void LoadDriver::retire(uint32_t index)
{
    if (m_peers[index].retiring)
        return;
    m_peers[index].retiring = true;
    m_retiring.push_back(index);
}

void LoadDriver::countReady(Peer& peer)
{
    peer.ready = true;
    if (peer.counted)
        return;
    peer.counted = true;
    ++m_readyTotal;
}

void LoadDriver::countFailed(Peer& peer, std::string_view reason)
{
    if (peer.counted)
        return;
    peer.counted = true;
    ++m_failedTotal;
    if (m_firstConnectError.empty())
        m_firstConnectError = std::string(reason);
}

ConnectResult LoadDriver::connect(Role role, uint64_t count, int64_t timeoutNs,
                                  const std::vector<uint32_t>& topics, const std::string& path)
{
    ConnectResult result;
    result.requested = count;
    m_handshakes.clear();
    m_firstConnectError.clear();
    const uint64_t readyBefore = m_readyTotal;
    const uint64_t failedBefore = m_failedTotal;
    std::vector<uint32_t> started;
    started.reserve(count);
    const auto concurrency = uint64_t(std::max(1, m_settings.connectConcurrency));
    const int64_t begin = monotonicNs();

    runUntil(begin + timeoutNs, [&] {
        const uint64_t finished = (m_readyTotal - readyBefore) + (m_failedTotal - failedBefore);
        while (started.size() < count && started.size() - finished < concurrency) {
            const uint32_t topic = topics.empty() ? 0 : topics[started.size() % topics.size()];
            started.push_back(startConnection(role, topic, path).index());
        }
        return (m_readyTotal - readyBefore) + (m_failedTotal - failedBefore) >= count;
    });

    // Whatever did not make it in time counts as failed.
    for (const uint32_t index : started) {
        Peer& peer = m_peers[index];
        if (!peer.counted && m_connections[index]) {
            m_connections[index]->close(1000);
            countFailed(peer, "not ready before the connect timeout");
        }
    }
    result.seconds = double(monotonicNs() - begin) / 1e9;
    result.opened = m_readyTotal - readyBefore;
    result.failed = count - std::min(count, result.opened);
    result.handshake = m_handshakes.summary();
    result.firstError = m_firstConnectError;
    return result;
}

uint64_t LoadDriver::readyCount(Role role) const
{
    uint64_t count = 0;
    for (size_t i = 0; i < m_peers.size(); ++i) {
        if (m_peers[i].role == role && m_peers[i].ready && m_connections[i] &&
            m_connections[i]->isOpen())
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

void LoadDriver::closeAll(std::optional<Role> role)
{
    for (size_t i = 0; i < m_connections.size(); ++i) {
        if (!m_connections[i] || (role && m_peers[i].role != *role))
            continue;
        m_connections[i]->close(1000);
        m_peers[i].ready = false;
        retire(uint32_t(i));
    }
    std::erase_if(m_restClients, [](const std::unique_ptr<RestClient>& client) {
        return client->connection->state() == Connection::State::Closed;
    });
    if (!role || *role == Role::SlowReader)
        m_slowWanted = 0;
    // Retired slots are freed by the next poll; run one so that a closeAll() at the end of a
    // scenario leaves nothing behind.
    poll(0);
}

bool LoadDriver::subscribeMore(const std::vector<std::vector<std::string>>& namesPerConnection,
                               int64_t timeoutNs)
{
    size_t next = 0;
    m_subscribeAcksPending = 0;
    for (size_t i = 0; i < m_connections.size() && next < namesPerConnection.size(); ++i) {
        Peer& peer = m_peers[i];
        if (peer.role != Role::Idle || !peer.ready || !m_connections[i] ||
            !m_connections[i]->isOpen())
            continue;
        const std::vector<std::string>& names = namesPerConnection[next++];
        if (names.empty())
            continue;
        std::string message = R"({"type":"subscribe","id":"more","data":{"topics":[)";
        for (size_t n = 0; n < names.size(); ++n) {
            if (n > 0)
                message += ',';
            message += '"';
            message += names[n];
            message += '"';
        }
        message += "]}}";
        m_connections[i]->queueText(message);
        m_connections[i]->flush();
        ++peer.pendingAcks;
        ++m_subscribeAcksPending;
    }
    return runUntil(monotonicNs() + timeoutNs, [&] { return m_subscribeAcksPending == 0; });
}

PhaseResult LoadDriver::publish(double ratePerSecond, double seconds, double drainSeconds,
                                const PublishPlan& plan)
{
    PhaseResult result;
    result.targetRate = ratePerSecond;
    result.seconds = seconds;

    Phase& phase = m_phase;
    phase = Phase{};
    phase.plan = plan;
    if (phase.plan.topics.empty())
        phase.plan.topics.push_back(0);
    phase.plan.restBatch = std::max(1, phase.plan.restBatch);
    for (size_t i = 0; i < m_peers.size(); ++i) {
        if (m_peers[i].role == Role::Publisher && m_peers[i].ready && m_connections[i] &&
            m_connections[i]->isOpen())
            phase.publishers.push_back(m_connections[i].get());
    }
    for (auto& client : m_restClients) {
        if (client->publishing && client->connection->isOpen()) {
            client->queued.clear();
            client->inFlight = {};
            phase.restClients.push_back(client.get());
        }
    }
    phase.subscribersOf.assign(m_topicNames.size(), 0);
    for (size_t i = 0; i < m_peers.size(); ++i) {
        const Peer& peer = m_peers[i];
        if (receivesEvents(peer.role) && peer.ready && m_connections[i] &&
            m_connections[i]->isOpen()) {
            ++phase.subscribersOf[peer.topic];
            ++result.subscribers;
        }
    }
    result.publishers = plan.rest ? phase.restClients.size() : phase.publishers.size();
    if (result.publishers == 0 || ratePerSecond <= 0)
        return result;

    std::optional<RedisSnapshot> redisBefore;
    if (m_settings.redisPort)
        redisBefore = readRedisCounters(m_settings.redisPort, &result.redisError);
    const CpuMeter cpu(m_settings.serverPid, m_settings.peerPids);
    const uint64_t pollsBefore = m_polls;
    const uint64_t readsBefore = m_readBuffer.reads;
    const uint64_t bytesBefore = m_readBuffer.bytesRead;
    const uint64_t messagesBefore = m_messagesRead;

    phase.rate = ratePerSecond;
    phase.total = uint64_t(std::llround(ratePerSecond * seconds));
    phase.firstId = m_nextPublishId;
    phase.restNextItem = m_nextPublishId;
    phase.sendNs.reserve(phase.total);
    phase.topicOf.reserve(phase.total);
    phase.startNs = monotonicNs();
    phase.nextNs = phase.startNs;
    phase.publishing = true;

    const int64_t publishDeadline = phase.startNs + toNs(seconds) + 5 * nsPerSecond;
    const bool sentAll = runUntil(publishDeadline, [&] { return !phase.publishing; });
    phase.publishing = false;
    const int64_t publishEnd = monotonicNs();

    const auto restIdle = [&] {
        return std::all_of(
            phase.restClients.begin(), phase.restClients.end(),
            [](const RestClient* client) { return !client->busy && client->queued.empty(); });
    };
    const bool drained = runUntil(publishEnd + toNs(drainSeconds), [&] {
        return phase.received >= phase.expected && phase.acked + phase.errors >= phase.published &&
               restIdle();
    });
    const int64_t end = monotonicNs();
    result.cpu = cpu.use();
    if (redisBefore) {
        if (const auto after = readRedisCounters(m_settings.redisPort, &result.redisError))
            result.redis =
                redisDelta(redisBefore->counters, after->counters, redisBefore->replyBytes);
    }
    result.polls = m_polls - pollsBefore;
    result.reads = m_readBuffer.reads - readsBefore;
    result.bytesRead = m_readBuffer.bytesRead - bytesBefore;
    result.messagesRead = m_messagesRead - messagesBefore;

    // REST batches never sent count as skipped.
    uint64_t unsent = 0;
    for (RestClient* client : phase.restClients) {
        for (const RestBatch& batch : client->queued)
            unsent += batch.count;
        client->queued.clear();
    }

    result.timedOut = !sentAll;
    result.published = phase.published;
    result.skipped = phase.skipped + unsent + (phase.total - phase.due) + phase.restPending;
    result.acked = phase.acked;
    result.publishErrors = phase.errors;
    result.serverDelivered = phase.delivered;
    result.expected = phase.expected;
    result.received = phase.received;
    result.lost = phase.expected > phase.received ? phase.expected - phase.received : 0;
    result.seqGaps = phase.gaps;
    result.duplicates = phase.duplicates;
    result.late = phase.late;
    result.malformed = phase.malformed;
    result.disconnects = phase.disconnects;
    result.restRequests = phase.restRequests;
    result.achievedRate = double(phase.published) / seconds;
    result.deliveredPerSecond = double(phase.received) / seconds;
    result.latency = phase.latency.summary();
    result.ackLatency = phase.ackLatency.summary();
    result.drainSeconds = drained ? double(end - publishEnd) / 1e9 : drainSeconds;
    if (m_settings.serverPid)
        result.serverRssKiB = residentKiB(m_settings.serverPid);
    return result;
}

ChurnResult LoadDriver::churn(double ratePerSecond, double seconds, uint32_t topic,
                              uint64_t maxInFlight, double drainSeconds)
{
    const CpuMeter cpu(m_settings.serverPid);
    startChurn(ratePerSecond, topic, maxInFlight);
    idle(toNs(seconds));
    m_churn.running = false;
    runUntil(monotonicNs() + toNs(drainSeconds), [&] { return m_churn.inFlight == 0; });
    ChurnResult result = stopChurn();
    result.seconds = seconds;
    result.completedPerSecond = double(result.completed) / seconds;
    result.cpu = cpu.use();
    return result;
}

void LoadDriver::onOpen(Connection& connection, int64_t nowNs)
{
    // The server speaks first on a WebSocket (welcome), except in dialects that have none; an
    // HTTP connection is ready at once.
    Peer& peer = m_peers[connection.index()];
    if (peer.role == Role::QuietListener) {
        peer.welcomed = true;
        m_handshakes.record(nowNs - connection.startedNs());
    }
    if (peer.role == Role::Rest || peer.role == Role::Http || peer.role == Role::QuietListener)
        countReady(peer);
}

void LoadDriver::onWelcome(Connection& connection, Peer& peer, int64_t nowNs)
{
    peer.welcomed = true;
    peer.welcomeNs = nowNs;
    if (peer.role == Role::Churner)
        m_churn.handshake.record(nowNs - connection.startedNs());
    else
        m_handshakes.record(nowNs - connection.startedNs());
    const bool subscribes = peer.role == Role::Subscriber || peer.role == Role::SlowReader ||
                            peer.role == Role::Churner ||
                            (peer.role == Role::Idle && m_settings.subscribeIdle);
    if (subscribes) {
        connection.queueText(subscribeMessage(m_topicNames[peer.topic]));
        connection.flush();
        return;
    }
    countReady(peer);
}

void LoadDriver::onSubscribed(Connection& connection, Peer& peer, std::string_view message,
                              int64_t nowNs)
{
    // {"type":"ack","id":"1","data":{"seq":{"bench":N}}}: events continue from N + 1.
    peer.lastSeq = findInteger(message, m_topicNames[peer.topic]).value_or(-1);
    switch (peer.role) {
    case Role::Churner:
        m_churn.subscribe.record(nowNs - peer.welcomeNs);
        connection.leave(1000);
        return;
    case Role::SlowReader:
        countReady(peer);
        connection.setReading(false);
        peer.pausedNs = nowNs;
        return;
    default:
        countReady(peer);
    }
}

void LoadDriver::onText(Connection& connection, std::string_view message, int64_t receivedNs)
{
    ++m_messagesRead;
    Peer& peer = m_peers[connection.index()];
    switch (peer.role) {
    case Role::Subscriber:
        if (peer.ready) {
            const EventFields fields = scanEvent(message);
            if (fields.type == "event") {
                onSubscriberEvent(peer, fields, receivedNs);
                return;
            }
        }
        break;
    case Role::SlowReader:
        if (peer.ready)
            return; // what it reads while looking is not checked
        break;
    case Role::Listener:
    case Role::QuietListener:
        // Another dialect: its first message is its welcome (none for a quiet listener); then
        // the phase's event type.
        if (!peer.welcomed) {
            peer.welcomed = true;
            m_handshakes.record(receivedNs - connection.startedNs());
            countReady(peer);
        } else if (messageType(message) == m_phase.plan.event) {
            ++m_phase.received;
            m_lastEventNs = receivedNs;
        }
        return;
    default:
        break;
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
        if (!peer.ready && peer.welcomed) {
            // The subscription was refused: a failed connect.
            connection.close(1000);
            if (peer.role == Role::Churner) {
                ++m_churn.failed;
                --m_churn.inFlight;
                if (m_churn.firstError.empty())
                    m_churn.firstError = std::string(message.substr(0, 200));
                retire(connection.index());
            } else {
                countFailed(peer, message);
            }
        }
        return;
    }
    if (peer.role == Role::Publisher) {
        onPublisherReply(*type, message, receivedNs);
        return;
    }
    if (*type != "ack")
        return;
    if (!peer.ready && peer.welcomed) {
        onSubscribed(connection, peer, message, receivedNs);
    } else if (peer.pendingAcks > 0) {
        --peer.pendingAcks;
        --m_subscribeAcksPending;
    }
}

void LoadDriver::onSubscriberEvent(Peer& peer, const EventFields& fields, int64_t receivedNs)
{
    Phase& phase = m_phase;
    m_lastEventNs = receivedNs;
    ++m_eventsReceived;
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
    const uint32_t index = connection.index();
    Peer& peer = m_peers[index];
    switch (peer.role) {
    case Role::Churner:
        if (reason == "left") {
            ++m_churn.completed;
            m_churn.cycle.record(monotonicNs() - connection.startedNs());
        } else {
            ++m_churn.failed;
            if (m_churn.firstError.empty())
                m_churn.firstError = std::string(reason);
        }
        --m_churn.inFlight;
        retire(index);
        return;
    case Role::SlowReader:
        // Cut by the server: with a close frame (1013) when it could still write one, or by
        // closing the socket when even that did not fit.
        if (peer.ready) {
            ++m_slowCut;
            if (connection.closeCode() == 1013)
                ++m_slowCutWithCode;
        } else {
            logProblem("slow reader #" + std::to_string(index) + " closed: " + std::string(reason));
        }
        countFailed(peer, reason);
        peer.ready = false;
        retire(index);
        return;
    case Role::Rest:
    case Role::Http:
        for (auto& client : m_restClients) {
            if (client->connection != &connection)
                continue;
            if (client->inFlight.count > 0 && client->inFlight.firstId >= m_phase.firstId)
                m_phase.errors += client->inFlight.count;
            client->inFlight = {};
            client->busy = false;
            if (client->onResponse) {
                auto onResponse = std::move(client->onResponse);
                client->onResponse = nullptr;
                onResponse(0, reason, monotonicNs());
            }
        }
        break;
    default:
        break;
    }
    const char* role = peer.role == Role::Subscriber  ? "subscriber"
                       : peer.role == Role::Publisher ? "publisher"
                       : peer.role == Role::Rest      ? "REST client"
                       : peer.role == Role::Http      ? "HTTP client"
                       : isListener(peer.role)        ? "listener"
                                                      : "idle connection";
    if (peer.ready) {
        // What a phase counts: its subscribers and publishers, not an idle HTTP connection the
        // server closed after its keep-alive timeout.
        if (receivesEvents(peer.role) || peer.role == Role::Publisher)
            ++m_phase.disconnects;
        peer.ready = false;
    } else {
        countFailed(peer, reason);
    }
    if (peer.role != Role::Http) // an idle one closed by the server's keep-alive timeout
        logProblem(std::string(role) + " #" + std::to_string(index) +
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
