#pragma once

// The raw reference: a single-threaded epoll WebSocket server speaking the part of the native
// protocol (SPEC §3) that switchboard-loadgen uses, written to cost as little as this machine
// allows, so that the bench can state how close Switchboard comes to the machine's limit.
//
// One pass per epoll wake: read what arrived on every ready socket (each publish encodes its
// event once and queues that one frame by reference on every subscriber), then one writev() of
// everything queued per socket that has something to send.

#include "SharedFrame.h"

#include <netinet/in.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rawref {

struct ServerOptions {
    in_addr bind{};
    uint16_t port = 8000;
    // Close a subscriber with 1013 once more than this waits for it (0: never).
    size_t slowConsumerBytes = 0;
};

class RawServer {
public:
    explicit RawServer(ServerOptions options);
    ~RawServer();
    RawServer(const RawServer&) = delete;
    RawServer& operator=(const RawServer&) = delete;

    // Listens; false with a message on stderr if it cannot. port() is then the bound port.
    bool listen();
    uint16_t port() const { return m_port; }
    // Serves until SIGINT or SIGTERM.
    int run();

private:
    struct Topic;
    struct Pending {
        SharedFrame* frame;
        uint32_t offset;
    };
    struct Client {
        int fd = -1;
        enum class State : uint8_t { Http, WebSocket, Closing } state = State::Http;
        bool dirty = false;
        bool watchingWrites = false;
        bool dead = false;
        bool closeWhenFlushed = false;
        bool upgraded = false; // counted in m_webSockets
        uint8_t fragmentOpcode = 0;
        std::string input;     // bytes read but not consumed yet
        std::string fragments; // a fragmented message in progress
        std::vector<Pending> out;
        size_t outHead = 0;
        size_t queuedBytes = 0;
        std::vector<Topic*> topics;
    };
    struct Topic {
        std::string name;
        int64_t seq = 0;
        std::vector<Client*> subscribers;
    };

    void acceptAll();
    void readFrom(Client& client);
    // Consumes requests or frames from data; returns the bytes used.
    size_t consume(Client& client, char* data, size_t size);
    size_t consumeHttp(Client& client, char* data, size_t size);
    size_t consumeFrames(Client& client, char* data, size_t size);
    void onText(Client& client, std::string_view text);
    void handleHttp(Client& client, std::string_view method, std::string_view path,
                    std::string_view body, bool keepAlive);

    std::string subscribe(const std::string& id, const JsonValue* data, Client& client);
    std::string publish(const std::string& id, const JsonValue* data);
    struct PublishRequest {
        std::string topic;
        std::string event;
        std::string compactData;
    };
    // Checks a publish's fields (the event's name under eventKey: "event" over WebSocket,
    // "type" over REST); the problem, or nothing when request is ready.
    static std::optional<std::string>
    preparePublish(const JsonMembers& members, std::string_view eventKey, PublishRequest& request);
    // Publishes one event to its topic's subscribers: {seq, delivered}.
    std::pair<int64_t, int64_t> publishEvent(const PublishRequest& request);
    std::string publishOverHttp(std::string_view body, int& status);

    Topic& topicNamed(const std::string& name);
    void queue(Client& client, SharedFrame* frame); // takes the caller's reference
    void queueText(Client& client, std::string_view json);
    void flush(Client& client);
    void watchWrites(Client& client, bool watch);
    // Closes at once, sending a close frame with code first when the socket takes it.
    void drop(Client& client, uint16_t code, std::string_view reason);
    void reap();

    ServerOptions m_options;
    uint16_t m_port = 0;
    int m_listenFd = -1;
    int m_epollFd = -1;
    int m_signalFd = -1;
    std::vector<char> m_readBuffer;
    std::vector<Client*> m_dirty;
    std::vector<Client*> m_dead;
    std::unordered_map<std::string, std::unique_ptr<Topic>> m_topics;
    uint64_t m_webSockets = 0;
    uint64_t m_nextSession = 0;
    std::string m_sessionPrefix;
};

} // namespace rawref
