#include "MessageScan.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>

namespace loadgen {

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Position just after `"key"<ws>:<ws>` for the first occurrence of key used as an object key,
// or npos. A "key" that is a string value is followed by , } or ] instead of : and skipped.
size_t valueStart(std::string_view json, std::string_view key) {
    const char* const begin = json.data();
    const char* const end = begin + json.size();
    const char* cursor = begin;
    while (cursor < end) {
        const void* found = memmem(cursor, size_t(end - cursor), key.data(), key.size());
        if (!found)
            return std::string_view::npos;
        const char* hit = static_cast<const char*>(found);
        cursor = hit + 1;
        if (hit == begin || hit[-1] != '"')
            continue;
        const char* p = hit + key.size();
        if (p >= end || *p != '"')
            continue;
        ++p;
        while (p < end && isSpace(*p))
            ++p;
        if (p >= end || *p != ':')
            continue;
        ++p;
        while (p < end && isSpace(*p))
            ++p;
        return size_t(p - begin);
    }
    return std::string_view::npos;
}

} // namespace

std::optional<int64_t> findInteger(std::string_view json, std::string_view key) {
    const size_t start = valueStart(json, key);
    if (start == std::string_view::npos)
        return std::nullopt;
    const char* first = json.data() + start;
    const char* last = json.data() + json.size();
    int64_t value = 0;
    const auto [next, error] = std::from_chars(first, last, value);
    if (error != std::errc())
        return std::nullopt;
    if (next < last && (*next == '.' || *next == 'e' || *next == 'E')) {
        // A double (a JSON library may print a large integer that way): strtod needs a NUL.
        const std::string number(first, size_t(std::min<ptrdiff_t>(last - first, 64)));
        return static_cast<int64_t>(std::strtod(number.c_str(), nullptr));
    }
    return value;
}

std::optional<std::string_view> findString(std::string_view json, std::string_view key) {
    const size_t start = valueStart(json, key);
    if (start == std::string_view::npos || json[start] != '"')
        return std::nullopt;
    size_t end = start + 1;
    while (end < json.size() && json[end] != '"') {
        if (json[end] == '\\')
            ++end;
        ++end;
    }
    if (end >= json.size())
        return std::nullopt;
    return json.substr(start + 1, end - start - 1);
}

} // namespace loadgen
