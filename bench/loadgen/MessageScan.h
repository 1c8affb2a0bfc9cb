#pragma once

// Just enough JSON reading for the load generator's hot path: find a key and read the number or
// string after it, without building a document. The messages come from a server we trust to
// send valid JSON; key order and whitespace do not matter.

#include <cstdint>
#include <optional>
#include <string_view>

namespace loadgen {

// The integer after the first occurrence of "key": (key without quotes). Numbers written as a
// double ("1.5e15") are accepted and truncated. Nested keys with the same name are found too;
// the bench payloads are built so that each key we read is unique.
std::optional<int64_t> findInteger(std::string_view json, std::string_view key);

// The raw (still escaped) text of the string after "key":.
std::optional<std::string_view> findString(std::string_view json, std::string_view key);

// The value of "type", the one field every message of the native protocol has.
inline std::optional<std::string_view> messageType(std::string_view json)
{
    return findString(json, "type");
}

// What a subscriber needs from each event, found in a single pass (the hot path: one call per
// received message). Missing fields stay empty.
struct EventFields {
    std::optional<std::string_view> type;
    std::optional<int64_t> seq;
    std::optional<int64_t> sendTime; // data.t
};

EventFields scanEvent(std::string_view json);

} // namespace loadgen
