#include "RawServer.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace rawref {

namespace {

// What one read() of a client takes. Large, so that a publisher's backlog is read whole in one
// pass and every subscriber gets its frames of all those publishes in one writev(): a server
// that falls behind then batches more, as the hub does (Qt reads whatever the socket holds).
// With 64 KiB a pass took in ~300 of S4's publishes, one frame per subscriber, and raw's S4
// ended at 96,000/s (median of five runs) on a machine where 1 MiB reached 192,000/s.
constexpr size_t readChunk = 1024 * 1024;
constexpr size_t maxKeptInReadBuffer = 64 * 1024;
constexpr uint64_t maxMessageBytes = 1024 * 1024; // Switchboard's default limit
constexpr size_t maxBodyBytes = 16 * 1024 * 1024;
constexpr size_t maxTopicsPerSession = 256; // as Switchboard's SubscribeHandler
constexpr size_t maxBatch = 1000;           // as Switchboard's POST /api/v1/publish
constexpr int iovecsPerWrite = IOV_MAX;     // as many as one writev() takes
constexpr int heartbeatMs = 25000;          // what Switchboard announces by default
constexpr std::string_view wsPath = "/ws/v1";
constexpr std::string_view serverVersion = "raw-epoll-reference";

// Tags for the two descriptors that are not clients.
char listenTag;
char signalTag;

int64_t unixMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void appendInteger(std::string& out, int64_t value)
{
    out += std::to_string(value);
}

// TopicPolicy::isValidName for what the bench sends: 1..200 characters, no white space or
// control characters.
bool isValidTopic(std::string_view name)
{
    if (name.empty() || name.size() > 200)
        return false;
    return std::none_of(name.begin(), name.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7F;
    });
}

std::string errorJson(std::string_view code, std::string_view message, const std::string& id)
{
    std::string out = R"({"code":")";
    out += code;
    out += R"(","error":)";
    appendQuoted(out, message);
    if (!id.empty()) {
        out += R"(,"id":)";
        appendQuoted(out, id);
    }
    out += R"(,"type":"error"})";
    return out;
}

std::string ackJson(const std::string& id, std::string_view data)
{
    std::string out = R"({"data":)";
    out += data;
    out += R"(,"id":)";
    appendQuoted(out, id);
    out += R"(,"type":"ack"})";
    return out;
}

std::string resultJson(int64_t delivered, int64_t seq)
{
    std::string out = R"({"delivered":)";
    appendInteger(out, delivered);
    out += R"(,"seq":)";
    appendInteger(out, seq);
    out += '}';
    return out;
}

} // namespace

RawServer::RawServer(ServerOptions options)
    : m_options(options)
    , m_readBuffer(maxKeptInReadBuffer + readChunk)
{
    std::random_device random;
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%08x", random());
    m_sessionPrefix = prefix;
}

RawServer::~RawServer()
{
    // Clients still connected at exit are left to the operating system with the process.
    for (const int fd : {m_listenFd, m_epollFd, m_signalFd}) {
        if (fd >= 0)
            ::close(fd);
    }
}

bool RawServer::listen()
{
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr = m_options.bind;
    address.sin_port = htons(m_options.port);
    // 4096: 19,000 clients connecting at once must not wait on a short accept queue.
    if (::bind(m_listenFd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(m_listenFd, 4096) != 0) {
        std::fprintf(stderr, "raw-reference: cannot listen on port %u: %s\n",
                     unsigned(m_options.port), std::strerror(errno));
        return false;
    }
    socklen_t length = sizeof address;
    ::getsockname(m_listenFd, reinterpret_cast<sockaddr*>(&address), &length);
    m_port = ntohs(address.sin_port);

    m_epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = &listenTag;
    ::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_listenFd, &event);

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    ::sigprocmask(SIG_BLOCK, &signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    m_signalFd = ::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
    event.data.ptr = &signalTag;
    ::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_signalFd, &event);
    return true;
}

int RawServer::run()
{
    constexpr int maxEvents = 1024;
    epoll_event events[maxEvents];
    for (;;) {
        const int n = ::epoll_wait(m_epollFd, events, maxEvents, -1);
        if (n < 0 && errno != EINTR) {
            std::perror("raw-reference: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; ++i) {
            void* const tag = events[i].data.ptr;
            if (tag == &listenTag) {
                acceptAll();
            } else if (tag == &signalTag) {
                return 0;
            } else {
                Client& client = *static_cast<Client*>(tag);
                if (client.dead)
                    continue;
                if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                    readFrom(client);
                if (!client.dead && (events[i].events & EPOLLOUT) && !client.dirty) {
                    client.dirty = true;
                    m_dirty.push_back(&client);
                }
            }
        }
        // The pass's writes: one writev() per socket of everything queued for it.
        for (size_t i = 0; i < m_dirty.size(); ++i) {
            Client& client = *m_dirty[i];
            client.dirty = false;
            if (!client.dead)
                flush(client);
        }
        m_dirty.clear();
        reap();
    }
}

void RawServer::acceptAll()
{
    for (;;) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE)
                std::fprintf(stderr, "raw-reference: out of file descriptors\n");
            return;
        }
        // Frames are batched per pass already; Nagle would only hold them back (as the hub).
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto* client = new Client;
        client->fd = fd;
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.ptr = client;
        ::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, fd, &event);
    }
}

void RawServer::readFrom(Client& client)
{
    char* data = nullptr;
    size_t size = 0;
    ssize_t n = 0;
    const size_t kept = client.input.size();
    // A large remainder (an HTTP body on its way) is read onto; a small one (the partial frame
    // at the end of a publisher's last read) is copied in front of the shared buffer.
    const bool readOnto = kept > maxKeptInReadBuffer;
    if (readOnto) {
        client.input.resize(kept + readChunk);
        n = ::read(client.fd, client.input.data() + kept, readChunk);
        client.input.resize(kept + size_t(std::max<ssize_t>(n, 0)));
        data = client.input.data();
        size = client.input.size();
    } else {
        std::memcpy(m_readBuffer.data(), client.input.data(), kept);
        n = ::read(client.fd, m_readBuffer.data() + kept, readChunk);
        data = m_readBuffer.data();
        size = kept + size_t(std::max<ssize_t>(n, 0));
    }
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        drop(client, 0, {});
        return;
    }
    if (n < 0)
        return;
    const size_t used = consume(client, data, size);
    if (client.dead)
        return;
    if (readOnto)
        client.input.erase(0, used);
    else
        client.input.assign(data + used, size - used);
}

size_t RawServer::consume(Client& client, char* data, size_t size)
{
    size_t used = 0;
    while (used < size && !client.dead) {
        size_t step = 0;
        if (client.state == Client::State::Http)
            step = consumeHttp(client, data + used, size - used);
        else if (client.state == Client::State::WebSocket)
            step = consumeFrames(client, data + used, size - used);
        else
            step = size - used; // closing: whatever else comes is ignored
        if (step == 0)
            break;
        used += step;
    }
    return used;
}

size_t RawServer::consumeHttp(Client& client, char* data, size_t size)
{
    const RequestHead head = parseRequestHead({data, size});
    if (head.status == RequestHead::Status::NeedMore)
        return 0;
    if (head.status == RequestHead::Status::Invalid || head.contentLength > maxBodyBytes) {
        queue(client, SharedFrame::raw(httpJsonResponse(400, "Bad Request",
                                                        R"({"error":"bad request"})", false)));
        client.closeWhenFlushed = true;
        client.state = Client::State::Closing;
        return size;
    }
    if (head.upgradeWebSocket) {
        if (head.path != wsPath) {
            queue(client, SharedFrame::raw(httpJsonResponse(404, "Not Found",
                                                            R"({"error":"not found"})", false)));
            client.closeWhenFlushed = true;
            client.state = Client::State::Closing;
            return size;
        }
        queue(client, SharedFrame::raw(upgradeResponse(head.webSocketKey)));
        client.state = Client::State::WebSocket;
        client.upgraded = true;
        ++m_webSockets;
        std::string welcome = R"({"data":{"heartbeat_ms":)";
        appendInteger(welcome, heartbeatMs);
        welcome += R"(,"protocol":1,"server_version":")";
        welcome += serverVersion;
        welcome += R"(","session_id":")";
        welcome += m_sessionPrefix;
        welcome += '-';
        appendInteger(welcome, int64_t(++m_nextSession));
        welcome += R"("},"type":"welcome"})";
        queueText(client, welcome);
        return head.headerLength;
    }
    if (size - head.headerLength < head.contentLength)
        return 0;
    handleHttp(client, head.method, head.path,
               std::string_view(data + head.headerLength, head.contentLength), !head.closeAfter);
    return head.headerLength + head.contentLength;
}

void RawServer::handleHttp(Client& client, std::string_view method, std::string_view path,
                           std::string_view body, bool keepAlive)
{
    std::string response;
    if (method == "GET" && path == "/health") {
        std::string health = R"({"status":"ok","connections":)";
        appendInteger(health, int64_t(m_webSockets));
        health += '}';
        response = httpJsonResponse(200, "OK", health, keepAlive);
    } else if (method == "POST" && path == "/api/v1/publish") {
        int status = 200;
        const std::string answer = publishOverHttp(body, status);
        response =
            httpJsonResponse(status, status == 200 ? "OK" : "Bad Request", answer, keepAlive);
    } else {
        response = httpJsonResponse(404, "Not Found", R"({"error":"not found"})", keepAlive);
    }
    queue(client, SharedFrame::raw(response));
    if (!keepAlive) {
        client.closeWhenFlushed = true;
        client.state = Client::State::Closing;
    }
}

size_t RawServer::consumeFrames(Client& client, char* data, size_t size)
{
    size_t used = 0;
    while (used < size && client.state == Client::State::WebSocket && !client.dead) {
        const ClientFrame frame = takeClientFrame(data + used, size - used, maxMessageBytes);
        if (frame.status == ClientFrame::Status::NeedMore)
            break;
        if (frame.status == ClientFrame::Status::Invalid) {
            drop(client, 1002, "protocol error");
            break;
        }
        if (frame.status == ClientFrame::Status::TooLarge) {
            drop(client, 1009, "message too large");
            break;
        }
        used += frame.frameLength;
        const std::string_view payload(frame.payload, frame.payloadLength);
        switch (frame.opcode) {
        case Ping:
            queue(client, SharedFrame::frame(Pong, payload));
            break;
        case Pong:
            break;
        case Close:
            // Echo the code, then close once it is written (the server closes TCP first).
            queue(client, SharedFrame::frame(Close, payload.substr(0, 2)));
            client.state = Client::State::Closing;
            client.closeWhenFlushed = true;
            break;
        case Continuation:
            if (client.fragmentOpcode == 0 ||
                client.fragments.size() + payload.size() > maxMessageBytes) {
                drop(client, client.fragmentOpcode == 0 ? 1002 : 1009, "bad fragment");
                break;
            }
            client.fragments += payload;
            if (frame.fin) {
                const std::string message = std::move(client.fragments);
                client.fragments.clear();
                const uint8_t opcode = client.fragmentOpcode;
                client.fragmentOpcode = 0;
                if (opcode == Text)
                    onText(client, message);
                else
                    queueText(client, errorJson("INVALID_MESSAGE",
                                                "binary frames are not part of the protocol", {}));
            }
            break;
        default: // Text, Binary
            if (client.fragmentOpcode != 0) {
                drop(client, 1002, "expected a continuation frame");
                break;
            }
            if (!frame.fin) {
                client.fragmentOpcode = frame.opcode;
                client.fragments.assign(payload);
            } else if (frame.opcode == Text) {
                onText(client, payload);
            } else {
                queueText(client, errorJson("INVALID_MESSAGE",
                                            "binary frames are not part of the protocol", {}));
            }
        }
    }
    return used;
}

void RawServer::onText(Client& client, std::string_view text)
{
    const std::optional<JsonValue> document = parseJson(text);
    if (!document) {
        queueText(client, errorJson("INVALID_JSON", "invalid JSON", {}));
        return;
    }
    JsonMembers members;
    if (!objectMembers(*document, members)) {
        queueText(client, errorJson("INVALID_MESSAGE", "message must be a JSON object", {}));
        return;
    }
    std::string id;
    if (const JsonValue* idValue = findMember(members, "id")) {
        if (idValue->kind == JsonValue::Kind::String)
            id = decodeString(*idValue).value_or(std::string()).substr(0, 128);
        else if (idValue->kind == JsonValue::Kind::Number)
            id = std::string(idValue->text);
        else if (idValue->kind != JsonValue::Kind::Null) {
            queueText(client, errorJson("INVALID_MESSAGE", "id must be a string", {}));
            return;
        }
    }
    const JsonValue* typeValue = findMember(members, "type");
    const std::optional<std::string> type =
        typeValue ? decodeString(*typeValue) : std::optional<std::string>();
    if (!type || type->empty()) {
        queueText(client, errorJson("INVALID_MESSAGE", "type is required", id));
        return;
    }
    const JsonValue* data = findMember(members, "data");
    if (data && data->kind == JsonValue::Kind::Null)
        data = nullptr;
    if (data && data->kind != JsonValue::Kind::Object) {
        queueText(client, errorJson("INVALID_MESSAGE", "data must be an object", id));
        return;
    }
    std::string reply;
    if (*type == "publish") {
        reply = publish(id, data);
    } else if (*type == "subscribe") {
        reply = subscribe(id, data, client);
    } else if (*type == "ping") {
        reply = "{";
        if (!id.empty()) {
            reply += R"("id":)";
            appendQuoted(reply, id);
            reply += ',';
        }
        reply += R"("type":"pong"})";
    } else {
        reply = errorJson("UNKNOWN_MESSAGE_TYPE", "unknown message type \"" + *type + "\"", id);
    }
    if (!reply.empty())
        queueText(client, reply);
}

std::string RawServer::subscribe(const std::string& id, const JsonValue* data, Client& client)
{
    JsonMembers members;
    const JsonValue* topics = nullptr;
    if (data && objectMembers(*data, members))
        topics = findMember(members, "topics");
    if (!topics || topics->kind != JsonValue::Kind::Array)
        return errorJson("INVALID_MESSAGE", "data.topics must be an array of strings", id);
    std::vector<JsonValue> elements;
    arrayElements(*topics, elements);
    std::vector<std::string> names;
    for (const JsonValue& element : elements) {
        std::optional<std::string> name = decodeString(element);
        if (!name)
            return errorJson("INVALID_MESSAGE", "data.topics must be an array of strings", id);
        names.push_back(std::move(*name));
    }
    for (const std::string& name : names) {
        if (!isValidTopic(name))
            return errorJson(
                "INVALID_MESSAGE",
                "data.topics: \"" + name.substr(0, 64) + "\" is not a valid topic name", id);
    }
    if (client.topics.size() + names.size() > maxTopicsPerSession)
        return errorJson("INVALID_MESSAGE", "data.topics: at most 256 subscriptions per connection",
                         id);
    std::map<std::string, int64_t> seqs; // sorted, as QJsonDocument writes the object
    for (const std::string& name : names) {
        Topic& topic = topicNamed(name);
        if (std::find(client.topics.begin(), client.topics.end(), &topic) == client.topics.end()) {
            client.topics.push_back(&topic);
            topic.subscribers.push_back(&client);
        }
        seqs[name] = topic.seq;
    }
    if (id.empty())
        return {};
    std::string seqObject = R"({"seq":{)";
    bool first = true;
    for (const auto& [name, seq] : seqs) {
        if (!first)
            seqObject += ',';
        first = false;
        appendQuoted(seqObject, name);
        seqObject += ':';
        appendInteger(seqObject, seq);
    }
    seqObject += "}}";
    return ackJson(id, seqObject);
}

std::optional<std::string> RawServer::preparePublish(const JsonMembers& members,
                                                     std::string_view eventKey,
                                                     PublishRequest& request)
{
    const JsonValue* topicValue = findMember(members, "topic");
    const JsonValue* eventValue = findMember(members, eventKey);
    const JsonValue* data = findMember(members, "data");
    std::optional<std::string> name =
        topicValue ? decodeString(*topicValue) : std::optional<std::string>();
    std::optional<std::string> event =
        eventValue ? decodeString(*eventValue) : std::optional<std::string>();
    if (!name || !isValidTopic(*name))
        return "topic must be a valid topic name";
    if (!event || event->empty() || event->size() > 100)
        return std::string(eventKey) + " must be a string of 1 to 100 characters";
    if (data && data->kind == JsonValue::Kind::Null)
        data = nullptr;
    if (data && data->kind != JsonValue::Kind::Object)
        return "data must be an object";
    request.topic = std::move(*name);
    request.event = std::move(*event);
    request.compactData.clear();
    if (!data)
        request.compactData = "{}";
    else if (!appendCompact(request.compactData, *data))
        return "data is not valid JSON";
    return std::nullopt;
}

std::pair<int64_t, int64_t> RawServer::publishEvent(const PublishRequest& request)
{
    Topic& topic = topicNamed(request.topic);
    const int64_t seq = ++topic.seq;
    // Encoded and framed once; every subscriber queues a reference to the same bytes.
    SharedFrame* const frame = SharedFrame::frame(
        Text, encodeEvent(request.topic, seq, request.event, unixMs(), request.compactData));
    int64_t delivered = 0;
    for (Client* subscriber : topic.subscribers) {
        if (subscriber->dead || subscriber->state != Client::State::WebSocket)
            continue;
        if (m_options.slowConsumerBytes > 0 &&
            subscriber->queuedBytes > m_options.slowConsumerBytes) {
            drop(*subscriber, 1013, "slow consumer");
            continue;
        }
        frame->retain();
        queue(*subscriber, frame);
        ++delivered;
    }
    frame->release();
    return {seq, delivered};
}

std::string RawServer::publish(const std::string& id, const JsonValue* data)
{
    JsonMembers members;
    if (data)
        objectMembers(*data, members);
    PublishRequest request;
    if (const auto problem = preparePublish(members, "event", request))
        return errorJson("INVALID_MESSAGE", "data." + *problem, id);
    const auto [seq, delivered] = publishEvent(request);
    if (id.empty())
        return {};
    return ackJson(id, resultJson(delivered, seq));
}

std::string RawServer::publishOverHttp(std::string_view body, int& status)
{
    status = 400;
    const std::optional<JsonValue> document = parseJson(body);
    if (!document)
        return R"({"code":"INVALID_JSON","error":"invalid JSON"})";
    std::vector<JsonValue> messages;
    const bool batch = document->kind == JsonValue::Kind::Array;
    if (batch)
        arrayElements(*document, messages);
    else if (document->kind == JsonValue::Kind::Object)
        messages.push_back(*document);
    if (messages.empty() || messages.size() > maxBatch)
        return R"({"code":"INVALID_MESSAGE","error":"a batch holds 1 to 1000 messages"})";
    // Everything is checked first: a batch is published whole or not at all, as by the hub.
    std::vector<PublishRequest> requests(messages.size());
    JsonMembers members;
    for (size_t i = 0; i < messages.size(); ++i) {
        objectMembers(messages[i], members);
        if (const auto problem = preparePublish(members, "type", requests[i])) {
            std::string where = "[";
            where += std::to_string(i);
            where += "].";
            where += *problem;
            return errorJson("INVALID_MESSAGE", where, {});
        }
    }
    std::string answer = batch ? "[" : "";
    for (size_t i = 0; i < requests.size(); ++i) {
        const auto [seq, delivered] = publishEvent(requests[i]);
        if (i > 0)
            answer += ',';
        answer += resultJson(delivered, seq);
    }
    if (batch)
        answer += ']';
    status = 200;
    return answer;
}

RawServer::Topic& RawServer::topicNamed(const std::string& name)
{
    auto& topic = m_topics[name];
    if (!topic) {
        topic = std::make_unique<Topic>();
        topic->name = name;
    }
    return *topic;
}

void RawServer::queue(Client& client, SharedFrame* frame)
{
    client.out.push_back({frame, 0});
    client.queuedBytes += frame->size();
    if (!client.dirty) {
        client.dirty = true;
        m_dirty.push_back(&client);
    }
}

void RawServer::queueText(Client& client, std::string_view json)
{
    queue(client, SharedFrame::frame(Text, json));
}

void RawServer::flush(Client& client)
{
    while (client.outHead < client.out.size()) {
        iovec vectors[iovecsPerWrite];
        int count = 0;
        size_t offered = 0;
        for (size_t i = client.outHead; i < client.out.size() && count < iovecsPerWrite;
             ++i, ++count) {
            const Pending& pending = client.out[i];
            vectors[count].iov_base = const_cast<char*>(pending.frame->data() + pending.offset);
            vectors[count].iov_len = pending.frame->size() - pending.offset;
            offered += vectors[count].iov_len;
        }
        const ssize_t n = ::writev(client.fd, vectors, count);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                drop(client, 0, {});
            break;
        }
        auto written = size_t(n);
        client.queuedBytes -= written;
        while (written > 0) {
            Pending& pending = client.out[client.outHead];
            const size_t left = pending.frame->size() - pending.offset;
            if (written < left) {
                pending.offset += uint32_t(written);
                break;
            }
            written -= left;
            pending.frame->release();
            ++client.outHead;
        }
        if (size_t(n) < offered)
            break; // the socket is full
    }
    if (client.dead)
        return;
    if (client.outHead == client.out.size()) {
        client.out.clear();
        client.outHead = 0;
        watchWrites(client, false);
        if (client.closeWhenFlushed)
            drop(client, 0, {});
        return;
    }
    if (client.outHead > 64) {
        client.out.erase(client.out.begin(), client.out.begin() + ptrdiff_t(client.outHead));
        client.outHead = 0;
    }
    watchWrites(client, true);
}

void RawServer::watchWrites(Client& client, bool watch)
{
    if (client.watchingWrites == watch)
        return;
    epoll_event event{};
    event.events = EPOLLIN | (watch ? EPOLLOUT : 0u);
    event.data.ptr = &client;
    ::epoll_ctl(m_epollFd, EPOLL_CTL_MOD, client.fd, &event);
    client.watchingWrites = watch;
}

void RawServer::drop(Client& client, uint16_t code, std::string_view reason)
{
    if (client.dead)
        return;
    if (code != 0 && client.state == Client::State::WebSocket) {
        // A control frame: at most 125 bytes of payload, so the header is two bytes.
        const size_t reasonLength = std::min<size_t>(reason.size(), 120);
        char frame[2 + 125];
        frame[0] = char(0x80 | Close);
        frame[1] = char(2 + reasonLength);
        frame[2] = char(code >> 8);
        frame[3] = char(code & 0xFF);
        std::memcpy(frame + 4, reason.data(), reasonLength);
        // Best effort: queued events stay behind; the close frame goes if the socket takes it.
        [[maybe_unused]] const ssize_t n =
            ::send(client.fd, frame, 4 + reasonLength, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    if (client.upgraded)
        --m_webSockets;
    client.dead = true;
    ::close(client.fd);
    client.fd = -1;
    m_dead.push_back(&client);
}

void RawServer::reap()
{
    for (Client* client : m_dead) {
        for (Topic* topic : client->topics) {
            auto& subscribers = topic->subscribers;
            const auto it = std::find(subscribers.begin(), subscribers.end(), client);
            if (it != subscribers.end()) {
                *it = subscribers.back();
                subscribers.pop_back();
            }
        }
        for (size_t i = client->outHead; i < client->out.size(); ++i)
            client->out[i].frame->release();
        delete client;
    }
    m_dead.clear();
}

} // namespace rawref
