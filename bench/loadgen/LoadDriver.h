#pragma once

// The load generator's engine: one epoll loop that owns every client connection, paces the
// publishes, and counts what the subscribers receive (latency, loss, sequence gaps).
//
// Hand-written on purpose instead of QWebSocket: the bench must receive ~2 million small
// messages per second on one core without being the bottleneck, and Qt's client sockets cannot:
// QWebSocket converts every text message to a QString (UTF-16) and emits a signal per message,
// behind QAbstractSocket's own buffer copies and the event dispatcher's per-socket notifiers
// (STACK.md measured the server side of the same machinery at microseconds per message). This
// loop reads up to 64 KiB per read() and scans each frame in place: ~0.4 us per event at
// 2 million events/s against the hub, three quarters of it in the kernel.

#include "Connection.h"
#include "LatencyHistogram.h"
#include "MessageScan.h"
#include "ProcessStats.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace loadgen {

enum class Role { Subscriber, Publisher, Idle };

struct LoadSettings {
    std::string topic = "bench";
    int payloadBytes = 200;                // size of the event's `data` object as JSON
    int connectConcurrency = 256;          // handshakes in flight during a ramp
    size_t maxPublisherBacklog = 8u << 20; // unsent bytes before a publish is skipped
    int64_t minPublishTickNs = 1'000'000;  // at high rates publishes go out in batches per tick
    pid_t serverPid = 0;                   // 0: server CPU and memory are not reported
    int64_t hardDeadlineNs = 0;            // monotonic time at which everything gives up
    bool delayedAcks = true;               // see Connection::onReadable()
};

struct ConnectResult {
    uint64_t requested = 0;
    uint64_t opened = 0; // welcomed (and, for subscribers, subscribed)
    uint64_t failed = 0;
    double seconds = 0;
    LatencySummary handshake; // connect() to the welcome message
    std::string firstError;
};

struct PhaseResult {
    double targetRate = 0; // publishes per second
    double seconds = 0;    // publishing time
    uint64_t subscribers = 0;
    uint64_t publishers = 0;
    uint64_t published = 0;
    uint64_t skipped = 0; // not sent: the publisher's socket was backed up
    uint64_t acked = 0;
    uint64_t publishErrors = 0;
    uint64_t serverDelivered = 0; // sum of `delivered` in the publish acks
    uint64_t expected = 0;        // published x subscribers
    uint64_t received = 0;
    uint64_t lost = 0;
    uint64_t seqGaps = 0;    // events missing according to the per-subscriber seq
    uint64_t duplicates = 0; // events whose seq was not above the last one seen
    uint64_t late = 0;       // events of an earlier phase that arrived during this one
    uint64_t malformed = 0;  // events without a readable seq or t
    uint64_t disconnects = 0;
    double achievedRate = 0;       // publishes per second actually sent
    double deliveredPerSecond = 0; // received / seconds
    LatencySummary latency;        // publish send time to event receive time
    LatencySummary ackLatency;     // publish send time to its ack
    double drainSeconds = 0;       // after the last publish, until everything arrived
    uint64_t polls = 0;            // epoll waits that returned something
    uint64_t reads = 0;            // read() calls that returned data
    uint64_t bytesRead = 0;
    CpuUse cpu;
    std::optional<int64_t> serverRssKiB; // at the end of the phase
    bool timedOut = false;
};

class LoadDriver final : public ConnectionListener {
public:
    LoadDriver(Endpoint endpoint, LoadSettings settings);
    ~LoadDriver() override;
    LoadDriver(const LoadDriver&) = delete;
    LoadDriver& operator=(const LoadDriver&) = delete;

    // Opens count new connections of role, at most connectConcurrency handshakes at a time.
    ConnectResult connect(Role role, uint64_t count, int64_t timeoutNs);
    // Connections of role that are open and ready (welcomed; subscribers also subscribed).
    uint64_t readyCount(Role role) const;

    // Publishes at ratePerSecond for seconds, then waits up to drainSeconds for every event.
    PhaseResult publish(double ratePerSecond, double seconds, double drainSeconds);

    // Keeps the loop running (answering pings, taking in stragglers) until no event arrived for
    // quietNs, or timeoutNs passed.
    void settle(int64_t quietNs, int64_t timeoutNs);
    // Keeps the loop running for ns.
    void idle(int64_t ns);
    void closeAll();

    bool pastHardDeadline() const;

    void onOpen(Connection& connection, int64_t nowNs) override;
    void onText(Connection& connection, std::string_view message, int64_t receivedNs) override;
    void onClosed(Connection& connection, std::string_view reason) override;

private:
    struct Peer {
        Role role = Role::Idle;
        bool welcomed = false;
        bool ready = false;
        int64_t lastSeq = -1;
    };

    struct Phase {
        int64_t startNs = 0; // events whose t is earlier belong to an earlier phase
        bool publishing = false;
        double rate = 0;
        uint64_t total = 0;
        uint64_t due = 0; // publishes handled so far (sent or skipped)
        int64_t nextNs = 0;
        uint64_t firstId = 0;
        std::vector<int64_t> sendNs; // by id - firstId
        std::vector<Connection*> publishers;
        uint64_t published = 0, skipped = 0, acked = 0, errors = 0, delivered = 0;
        uint64_t received = 0, gaps = 0, duplicates = 0, late = 0, malformed = 0;
        uint64_t disconnects = 0;
        LatencyHistogram latency;
        LatencyHistogram ackLatency;
    };

    // Runs the loop until done() (checked after every wake-up) or deadlineNs. done() is
    // checked at least every recheckNs when it depends on time rather than on events.
    template <typename Done>
    bool runUntil(int64_t deadlineNs, Done&& done,
                  int64_t recheckNs = std::numeric_limits<int64_t>::max() / 2);
    void poll(int64_t timeoutNs);
    void startConnection(Role role);
    void publishDue(int64_t nowNs);
    void appendPublish(uint64_t id, int64_t sendNs);
    void onWelcome(Connection& connection, Peer& peer, int64_t nowNs);
    void onSubscriberEvent(Peer& peer, const EventFields& fields, int64_t receivedNs);
    void onPublisherReply(std::string_view type, std::string_view message, int64_t receivedNs);
    void logProblem(std::string_view what);

    Endpoint m_endpoint;
    LoadSettings m_settings;
    int m_epollFd = -1;
    ReadBuffer m_readBuffer;
    uint64_t m_polls = 0;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::vector<Peer> m_peers; // by connection index
    uint64_t m_seed;
    Phase m_phase;
    uint64_t m_nextPublishId = 1;
    int64_t m_lastEventNs = 0;
    std::string m_message; // publish JSON being built
    std::string m_pad;
    std::string m_subscribeMessage;
    // Ramp bookkeeping
    uint64_t m_readyTotal = 0;
    uint64_t m_failedTotal = 0;
    LatencyHistogram m_handshakes;
    std::string m_firstConnectError;
    int m_problemsLogged = 0;
};

} // namespace loadgen
