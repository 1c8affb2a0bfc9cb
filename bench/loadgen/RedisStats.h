#pragma once

// What Redis did during a phase of a cluster run: commands and network bytes, read from
// `INFO stats` and `INFO commandstats` before and after it, over a plain blocking socket (between
// phases, never inside the epoll loop).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace loadgen {

struct RedisCounters {
    // Commands the clients sent (total_commands_processed): what a node waits for. In a delta,
    // the bench's own INFO is not counted.
    uint64_t commands = 0;
    uint64_t netInputBytes = 0;
    uint64_t netOutputBytes = 0;
    // Per command ("evalsha", "publish", ...), those that scripts run included; INFO left out.
    std::map<std::string, uint64_t> calls;
};

// The counters in the text of an `INFO stats commandstats` reply.
RedisCounters parseRedisInfo(std::string_view info);

// What happened from before to after. The INFO that took before counts neither as a command
// nor, with its reply (replyBytes) and request, as traffic.
RedisCounters redisDelta(const RedisCounters& before, const RedisCounters& after,
                         uint64_t replyBytes);

struct RedisSnapshot {
    RedisCounters counters;
    uint64_t replyBytes = 0; // what the INFO reply itself put on the wire
};

// Asks the Redis on 127.0.0.1:port; nullopt (and error) when it cannot.
std::optional<RedisSnapshot> readRedisCounters(uint16_t port, std::string* error = nullptr);

// The bytes of the request readRedisCounters() sends.
std::string_view redisInfoRequest();

} // namespace loadgen
