#pragma once

// The load generator's engine: one epoll loop that owns every client connection, paces the
// publishes (over WebSocket or REST), runs the timed activities of a scenario (churn, slow
// readers, jobs, samples), and counts what the subscribers receive (latency, loss, gaps).
//
// Hand-written on purpose instead of QWebSocket: the bench must receive millions of small
// messages per second on one core without being the bottleneck, and Qt's client sockets cannot:
// QWebSocket converts every text message to a QString (UTF-16) and emits a signal per message,
// behind QAbstractSocket's own buffer copies and the event dispatcher's per-socket notifiers.
// This loop reads up to 256 KiB per read() and scans each frame in place (bench/README.md has
// what it costs per event).

#include "Connection.h"
#include "LatencyHistogram.h"
#include "MessageScan.h"
#include "ProcessStats.h"
#include "RedisStats.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace loadgen {

enum class Role {
    Subscriber,    // subscribes to its topic; every event is checked (latency, seq)
    Publisher,     // publishes over WebSocket
    Rest,          // publishes over POST /api/v1/publish (HTTP keep-alive)
    Http,          // other requests: jobs (HTTP keep-alive)
    Idle,          // waits for the welcome (and, with subscribeIdle, its subscription's ack)
    Churner,       // signs in, subscribes, leaves
    SlowReader,    // subscribes, then stops reading
    Listener,      // any dialect's endpoint: counts the messages that follow the first one
    QuietListener, // a dialect that sends no welcome (003, 004): ready once upgraded
};

struct LoadSettings {
    int payloadBytes = 200;                // size of the event's `data` object as JSON
    int connectConcurrency = 256;          // handshakes in flight during a ramp
    size_t maxPublisherBacklog = 8u << 20; // unsent bytes before a publish is skipped
    int64_t minPublishTickNs = 1'000'000;  // at high rates publishes go out in batches per tick
    pid_t serverPid = 0;                   // 0: server CPU and memory are not reported
    std::vector<pid_t> peerPids;           // a cluster's other processes, for their CPU
    uint16_t redisPort = 0;                // set: each phase reads Redis's counters around it
    int64_t hardDeadlineNs = 0;            // monotonic time at which everything gives up
    bool delayedAcks = false;              // see Connection::onReadable()
    bool subscribeIdle = true;             // Idle connections subscribe to their topic
    std::string token;                     // ?token= for WebSocket clients (empty: none)
    std::string publisherToken;            // ?token= for publishers (empty: token)
    std::string restToken;                 // Authorization: Bearer for REST (empty: none)
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
    uint64_t expected = 0;        // what the subscribers of each publish's topic should get
    uint64_t received = 0;
    uint64_t lost = 0;
    uint64_t seqGaps = 0;    // events missing according to the per-subscriber seq
    uint64_t duplicates = 0; // events whose seq was not above the last one seen
    uint64_t late = 0;       // events of an earlier phase that arrived during this one
    uint64_t malformed = 0;  // events without a readable seq or t
    uint64_t disconnects = 0;
    uint64_t restRequests = 0;     // POSTs sent (REST publishing)
    double achievedRate = 0;       // publishes per second actually sent
    double deliveredPerSecond = 0; // received / seconds
    LatencySummary latency;        // publish send time to event receive time
    LatencySummary ackLatency;     // publish send time to its ack (or its POST's response)
    double drainSeconds = 0;       // after the last publish, until everything arrived
    uint64_t polls = 0;            // epoll waits that returned something
    uint64_t reads = 0;            // read() calls that returned data
    uint64_t bytesRead = 0;
    uint64_t messagesRead = 0; // every message the generator's clients took in
    CpuUse cpu;
    std::optional<int64_t> serverRssKiB; // at the end of the phase
    std::optional<RedisCounters> redis;  // what Redis did during the phase (redisPort set)
    std::string redisError;              // why redis is missing, when it was wanted
    bool timedOut = false;
};

// Where a phase's publishes go: round-robin over topics, over WebSocket or REST batches.
struct PublishPlan {
    std::vector<uint32_t> topics; // topic ids (LoadDriver::topic()); empty: topic 0
    std::string event = "tick";
    bool rest = false;
    int restBatch = 100; // events per POST
};

// Connections that sign in, subscribe and leave, started at a steady rate.
struct ChurnResult {
    double targetRate = 0;
    double seconds = 0;
    uint64_t started = 0;
    uint64_t completed = 0; // subscribed, then left cleanly
    uint64_t failed = 0;
    uint64_t behind = 0; // starts that waited for a free slot (in-flight cap)
    double completedPerSecond = 0;
    LatencySummary handshake; // connect() to the welcome
    LatencySummary subscribe; // welcome to the subscription's ack
    LatencySummary cycle;     // connect() to the server's answer to the close
    std::string firstError;
    CpuUse cpu;
};

class LoadDriver final : public ConnectionListener {
public:
    LoadDriver(Endpoint endpoint, LoadSettings settings);
    ~LoadDriver() override;
    LoadDriver(const LoadDriver&) = delete;
    LoadDriver& operator=(const LoadDriver&) = delete;

    // The id of a topic by name (created on first use). Topic 0 is "bench".
    uint32_t topic(const std::string& name);
    const std::string& topicName(uint32_t id) const { return m_topicNames[id]; }

    // Opens count connections of role, at most connectConcurrency handshakes at a time. Those
    // that subscribe take topics[i % topics.size()] (topic 0 when empty). path overrides the
    // endpoint's path (another dialect's endpoint).
    ConnectResult connect(Role role, uint64_t count, int64_t timeoutNs,
                          const std::vector<uint32_t>& topics = {}, const std::string& path = {});
    // Connections of role that are open and ready (welcomed; subscribers also subscribed).
    uint64_t readyCount(Role role) const;

    // Publishes at ratePerSecond for seconds, then waits up to drainSeconds for every event.
    PhaseResult publish(double ratePerSecond, double seconds, double drainSeconds,
                        const PublishPlan& plan = {});

    // Starts churn: ratePerSecond new connections (at most maxInFlight at once) signing in
    // with the settings' token, subscribing to topic, then leaving; runs until stopChurn().
    void startChurn(double ratePerSecond, uint32_t topic, uint64_t maxInFlight);
    ChurnResult stopChurn();
    // Runs churn alone for seconds; waits up to drainSeconds for the last ones to leave.
    ChurnResult churn(double ratePerSecond, double seconds, uint32_t topic, uint64_t maxInFlight,
                      double drainSeconds);

    // A repeating activity: fire(now) runs at firstNs and then whenever the time it returns
    // comes (std::numeric_limits<int64_t>::max() ends it). Runs inside publish(), idle(), ...
    void every(int64_t firstNs, std::function<int64_t(int64_t nowNs)> fire);
    void clearTimers();

    // Adds count events on the phase's first topic, sent as one POST on a Rest connection and
    // counted like the phase's own publishes (soak: REST beside WebSocket publishers).
    void publishRestBatch(uint32_t count);

    // Sends a request on an Http connection that is free (opened by connect(Role::Http));
    // onResponse gets the status and body. False if no connection is free.
    bool request(std::string_view method, std::string_view path, std::string_view body,
                 std::function<void(int status, std::string_view body, int64_t ns)> onResponse);
    // Starts an Http connection unless one is open or opening (a server closes idle keep-alive
    // connections); it takes request()s once it is open. Does not wait.
    void keepHttpClient();

    // Publishes without an id (no ack, nothing counted) from the first publisher: the bulk
    // stream the slow readers fall behind on.
    void publishUncounted(uint32_t topic, int payloadBytes);

    // Slow readers: stop reading once subscribed; every pauseNs each reads what is there for
    // readNs (to see whether the server cut it: close 1013); a cut one is replaced.
    void keepSlowReaders(uint64_t count, uint32_t topic, int64_t pauseNs, int64_t readNs,
                         int receiveBufferBytes);
    // Slow readers the server closed once they had subscribed, and those of them that got a
    // close frame with 1013 first.
    uint64_t slowReadersCut() const { return m_slowCut; }
    uint64_t slowReadersCutWith1013() const { return m_slowCutWithCode; }
    uint64_t slowReadersStarted() const { return m_slowStarted; }
    uint64_t churnCompleted() const { return m_churn.completed; }

    // Keeps the loop running (answering pings, taking in stragglers) until no event arrived for
    // quietNs, or timeoutNs passed.
    void settle(int64_t quietNs, int64_t timeoutNs);
    // Keeps the loop running for ns.
    void idle(int64_t ns);
    // With ns > 0 the sockets are read in rounds ns apart instead of as soon as anything
    // arrives (timers still fire on time); 0 returns to reading at once. See runUntil().
    void setReadRound(int64_t ns) { m_readRoundNs = ns; }
    // Closes every connection of role (all when role is empty).
    void closeAll(std::optional<Role> role = std::nullopt);

    // Sends a subscribe of names to every ready Idle connection of this driver (growth: more
    // subscriptions on the same connections) and waits for the acks.
    bool subscribeMore(const std::vector<std::vector<std::string>>& namesPerConnection,
                       int64_t timeoutNs);

    bool pastHardDeadline() const;
    uint64_t messagesRead() const { return m_messagesRead; }
    // Events the healthy subscribers received so far, over every phase.
    uint64_t eventsReceived() const { return m_eventsReceived; }

    void onOpen(Connection& connection, int64_t nowNs) override;
    void onText(Connection& connection, std::string_view message, int64_t receivedNs) override;
    void onClosed(Connection& connection, std::string_view reason) override;
    void onHttpResponse(Connection& connection, int status, std::string_view body,
                        int64_t receivedNs) override;

private:
    struct Peer {
        Role role = Role::Idle;
        bool welcomed = false;
        bool ready = false;
        bool counted = false; // in the ramp's count (ready or failed)
        uint32_t topic = 0;
        int64_t lastSeq = -1;
        int64_t welcomeNs = 0;
        int pendingAcks = 0;  // subscribeMore()
        int64_t pausedNs = 0; // slow readers: when reading stopped
        bool retiring = false;
    };

    struct RestBatch {
        uint64_t firstId = 0;
        uint32_t count = 0;
    };
    struct RestClient {
        Connection* connection = nullptr;
        bool publishing = true; // Role::Rest; Role::Http clients send request()s
        bool busy = false;
        std::deque<RestBatch> queued; // waiting for the connection
        RestBatch inFlight;
        int64_t sentNs = 0;
        std::function<void(int, std::string_view, int64_t)> onResponse;
    };

    struct Phase {
        int64_t startNs = 0; // events whose t is earlier belong to an earlier phase
        bool publishing = false;
        double rate = 0;
        uint64_t total = 0;
        uint64_t due = 0; // publishes handled so far (sent or skipped)
        int64_t nextNs = 0;
        uint64_t firstId = 0;
        PublishPlan plan;
        std::vector<uint32_t> topicOf; // by id - firstId (REST items: their topic)
        std::vector<int64_t> sendNs;   // by id - firstId
        std::vector<Connection*> publishers;
        std::vector<RestClient*> restClients;
        std::vector<uint64_t> subscribersOf; // ready subscribers by topic id, at the start
        uint64_t restPending = 0;            // items due but not in a batch yet
        uint64_t restNextItem = 0;           // the next id to put in a batch
        uint64_t published = 0, skipped = 0, acked = 0, errors = 0, delivered = 0;
        uint64_t expected = 0, received = 0, gaps = 0, duplicates = 0, late = 0, malformed = 0;
        uint64_t disconnects = 0, restRequests = 0;
        LatencyHistogram latency;
        LatencyHistogram ackLatency;
    };

    struct Churn {
        bool running = false;
        double rate = 0;
        uint32_t topic = 0;
        uint64_t maxInFlight = 0;
        int64_t startNs = 0;
        uint64_t due = 0;
        uint64_t started = 0, completed = 0, failed = 0, behind = 0, inFlight = 0;
        LatencyHistogram handshake, subscribe, cycle;
        std::string firstError;
    };

    struct Timer {
        int64_t dueNs;
        std::function<int64_t(int64_t)> fire;
    };

    // Runs the loop until done() (checked after every wake-up) or deadlineNs. done() is
    // checked at least every recheckNs when it depends on time rather than on events.
    template <typename Done>
    bool runUntil(int64_t deadlineNs, Done&& done,
                  int64_t recheckNs = std::numeric_limits<int64_t>::max() / 2);
    int64_t runTimers(int64_t nowNs); // the next due time
    int poll(int64_t timeoutNs);      // the events taken
    void readRound();
    Connection& startConnection(Role role, uint32_t topic, const std::string& path,
                                ConnectionOptions options = {});
    void retire(uint32_t index);
    void publishDue(int64_t nowNs);
    void appendPublish(std::string& out, uint64_t id, int64_t sendNs, uint32_t topic,
                       int payloadBytes, bool withId);
    void sendRestBatches(int64_t nowNs, bool all);
    void sendRest(RestClient& client, int64_t nowNs);
    void onWelcome(Connection& connection, Peer& peer, int64_t nowNs);
    void onSubscribed(Connection& connection, Peer& peer, std::string_view message, int64_t nowNs);
    void onSubscriberEvent(Peer& peer, const EventFields& fields, int64_t receivedNs);
    void onPublisherReply(std::string_view type, std::string_view message, int64_t receivedNs);
    void onRestResponse(RestClient& client, int status, std::string_view body, int64_t nowNs);
    void churnDue(int64_t nowNs);
    void countReady(Peer& peer);
    void countFailed(Peer& peer, std::string_view reason);
    void logProblem(std::string_view what);
    std::string subscribeMessage(const std::string& topic) const;

    Endpoint m_endpoint;
    LoadSettings m_settings;
    int m_epollFd = -1;
    ReadBuffer m_readBuffer;
    uint64_t m_polls = 0;
    int64_t m_readRoundNs = 0;
    int64_t m_nextReadRoundNs = 0;
    std::vector<std::unique_ptr<Connection>> m_connections; // by index; empty when retired
    std::vector<Peer> m_peers;                              // by connection index
    std::vector<uint32_t> m_freeSlots;
    std::vector<uint32_t> m_retiring; // freed after the current poll's events
    std::vector<std::string> m_topicNames;
    std::vector<std::unique_ptr<RestClient>> m_restClients;
    uint64_t m_seed;
    uint64_t m_spreadNext = 0; // the next of m_endpoint.subscriberPorts
    Phase m_phase;
    Churn m_churn;
    std::vector<Timer> m_timers;
    uint64_t m_nextPublishId = 1;
    int64_t m_lastEventNs = 0;
    uint64_t m_messagesRead = 0;
    uint64_t m_eventsReceived = 0;
    std::string m_message; // publish JSON being built
    std::string m_pad;
    // Ramp bookkeeping
    uint64_t m_readyTotal = 0;
    uint64_t m_failedTotal = 0;
    LatencyHistogram m_handshakes;
    std::string m_firstConnectError;
    int m_problemsLogged = 0;
    // Slow readers
    uint32_t m_slowTopic = 0;
    uint64_t m_slowWanted = 0;
    uint64_t m_slowStarted = 0;
    uint64_t m_slowCut = 0;
    uint64_t m_slowCutWithCode = 0;
    int m_slowReceiveBuffer = 0;
    uint64_t m_subscribeAcksPending = 0;
};

} // namespace loadgen
