#include "RedisStats.h"

#include <cerrno>
#include <charconv>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace loadgen {

namespace {

uint64_t parseNumber(std::string_view text)
{
    uint64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

// Closes the descriptor whatever happens.
struct Socket {
    int fd = -1;
    ~Socket()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

bool waitFor(int fd, short events)
{
    pollfd entry{fd, events, 0};
    return ::poll(&entry, 1, 2000) == 1;
}

} // namespace

std::string_view redisInfoRequest()
{
    return "*3\r\n$4\r\nINFO\r\n$5\r\nstats\r\n$12\r\ncommandstats\r\n";
}

RedisCounters parseRedisInfo(std::string_view info)
{
    RedisCounters counters;
    while (!info.empty()) {
        const size_t end = info.find('\n');
        std::string_view line = info.substr(0, end);
        info = end == std::string_view::npos ? std::string_view{} : info.substr(end + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        const std::string_view key = line.substr(0, colon);
        const std::string_view value = line.substr(colon + 1);
        if (key == "total_commands_processed") {
            counters.commands = parseNumber(value);
        } else if (key == "total_net_input_bytes") {
            counters.netInputBytes = parseNumber(value);
        } else if (key == "total_net_output_bytes") {
            counters.netOutputBytes = parseNumber(value);
        } else if (key.starts_with("cmdstat_")) {
            // cmdstat_evalsha:calls=12,usec=...,...
            const std::string_view name = key.substr(8);
            if (!value.starts_with("calls="))
                continue;
            const uint64_t calls = parseNumber(value.substr(6, value.find(',') - 6));
            counters.calls[std::string(name)] = calls;
        }
    }
    return counters;
}

RedisCounters redisDelta(const RedisCounters& before, const RedisCounters& after,
                         uint64_t replyBytes)
{
    const auto minus = [](uint64_t a, uint64_t b) { return a > b ? a - b : 0; };
    RedisCounters delta;
    // The earlier INFO was counted once it had run, the later one not yet.
    delta.commands = minus(after.commands, before.commands + 1);
    // The earlier INFO's reply went out after its figures were taken, and the later INFO's
    // request was read before its own were.
    delta.netInputBytes =
        minus(after.netInputBytes, before.netInputBytes + redisInfoRequest().size());
    delta.netOutputBytes = minus(after.netOutputBytes, before.netOutputBytes + replyBytes);
    for (const auto& [name, calls] : after.calls) {
        const auto earlier = before.calls.find(name);
        const uint64_t count = minus(calls, earlier == before.calls.end() ? 0 : earlier->second);
        if (count > 0 && name != "info")
            delta.calls[name] = count;
    }
    return delta;
}

std::optional<RedisSnapshot> readRedisCounters(uint16_t port, std::string* error)
{
    const auto fail = [&](const char* what) -> std::optional<RedisSnapshot> {
        if (error)
            *error = std::string("redis INFO: ") + what + ": " + std::strerror(errno);
        return std::nullopt;
    };
    Socket socket;
    socket.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (socket.fd < 0)
        return fail("socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(socket.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        return fail("connect");
    const std::string_view request = redisInfoRequest();
    if (::send(socket.fd, request.data(), request.size(), MSG_NOSIGNAL) != ssize_t(request.size()))
        return fail("send");
    // A bulk string: $<length>\r\n<text>\r\n
    std::string reply;
    size_t wanted = 0;
    char buffer[16384];
    while (wanted == 0 || reply.size() < wanted) {
        if (!waitFor(socket.fd, POLLIN))
            return fail("no reply");
        const ssize_t n = ::recv(socket.fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            return fail("closed");
        reply.append(buffer, size_t(n));
        if (wanted == 0) {
            const size_t header = reply.find("\r\n");
            if (header == std::string::npos)
                continue;
            if (reply.front() != '$') {
                errno = EPROTO;
                return fail(reply.substr(0, header).c_str());
            }
            wanted = header + 2 + parseNumber(std::string_view(reply).substr(1, header - 1)) + 2;
        }
    }
    RedisSnapshot snapshot;
    snapshot.replyBytes = reply.size();
    snapshot.counters = parseRedisInfo(reply);
    return snapshot;
}

} // namespace loadgen
