#include "MessageScan.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>

namespace loadgen {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Position just after `"key"<ws>:<ws>` for the first occurrence of key used as an object key,
// or npos. A "key" that is a string value is followed by , } or ] instead of : and skipped.
size_t valueStart(std::string_view json, std::string_view key)
{
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

std::optional<int64_t> integerAt(const char* first, const char* last)
{
    // A plain digit loop: from_chars is a call with overflow checks, and this runs twice per
    // received event. 18 digits cannot overflow; longer numbers take the careful road.
    const char* next = first;
    const bool negative = next < last && *next == '-';
    if (negative)
        ++next;
    const char* const digits = next;
    int64_t value = 0;
    while (next < last && next - digits < 18 && unsigned(*next - '0') < 10)
        value = value * 10 + (*next++ - '0');
    if (next == digits)
        return std::nullopt;
    if (next < last && unsigned(*next - '0') < 10) {
        const auto [end, error] = std::from_chars(first, last, value);
        if (error != std::errc())
            return std::nullopt;
        next = end;
    } else if (negative) {
        value = -value;
    }
    if (next < last && (*next == '.' || *next == 'e' || *next == 'E')) {
        // A double (a JSON library may print a large integer that way): strtod needs a NUL.
        const std::string number(first, size_t(std::min<ptrdiff_t>(last - first, 64)));
        return static_cast<int64_t>(std::strtod(number.c_str(), nullptr));
    }
    return value;
}

// The closing quote of the string whose text starts at p (just after its opening quote), or
// last if it is not closed.
const char* nextQuote(const char* p, const char* last)
{
    // Keys and short values end within a few bytes: a loop beats a memchr call there. The
    // long pad goes to memchr.
    for (const char* near = std::min(last, p + 24); p < near; ++p) {
        if (*p == '"')
            return p;
    }
    const void* found = p < last ? std::memchr(p, '"', size_t(last - p)) : nullptr;
    return found ? static_cast<const char*>(found) : nullptr;
}

const char* stringEnd(const char* p, const char* last)
{
    for (;;) {
        p = nextQuote(p, last);
        if (!p)
            return last;
        // An odd number of backslashes before the quote escapes it. The opening quote stops
        // the walk back.
        const char* back = p;
        while (back[-1] == '\\')
            --back;
        if ((p - back) % 2 == 0)
            return p;
        ++p;
    }
}

} // namespace

std::optional<int64_t> findInteger(std::string_view json, std::string_view key)
{
    const size_t start = valueStart(json, key);
    if (start == std::string_view::npos)
        return std::nullopt;
    return integerAt(json.data() + start, json.data() + json.size());
}

std::optional<std::string_view> findString(std::string_view json, std::string_view key)
{
    const size_t start = valueStart(json, key);
    if (start == std::string_view::npos || json[start] != '"')
        return std::nullopt;
    const char* const last = json.data() + json.size();
    const char* const end = stringEnd(json.data() + start + 1, last);
    if (end >= last)
        return std::nullopt;
    return json.substr(start + 1, size_t(end - (json.data() + start + 1)));
}

namespace {

// `"t": <integer>` as the very last member of the message (closing braces aside), which is where
// a server that sorts keys puts it: {.."data":{"pad":"xxx..","t":123}}. Saves walking the pad.
// The value of count (1..19) digits at p, eight at a time (the SWAR conversion of simdjson):
// a send time has 12-16 digits, and a digit-by-digit loop is one multiply-add chain per digit.
int64_t digitsValue(const char* p, size_t count)
{
    uint64_t value = 0;
    const size_t head = count % 8;
    for (size_t i = 0; i < head; ++i)
        value = value * 10 + uint64_t(p[i] - '0');
    for (size_t i = head; i < count; i += 8) {
        uint64_t eight = 0;
        std::memcpy(&eight, p + i, 8);
        eight -= 0x3030303030303030ull;
        eight = eight * 10 + (eight >> 8);
        constexpr uint64_t mask = 0x000000FF000000FFull;
        constexpr uint64_t mul1 = 100 + (1000000ull << 32);
        constexpr uint64_t mul2 = 1 + (10000ull << 32);
        eight = (((eight & mask) * mul1) + (((eight >> 16) & mask) * mul2)) >> 32;
        value = value * 100000000 + uint32_t(eight);
    }
    return int64_t(value);
}

std::optional<int64_t> trailingSendTime(std::string_view json)
{
    const char* const first = json.data();
    const char* p = first + json.size();
    const auto skipBack = [&](auto&& skippable) {
        while (p > first && skippable(p[-1]))
            --p;
    };
    skipBack([](char c) { return c == '}' || isSpace(c); });
    const char* const numberEnd = p;
    skipBack([](char c) { return unsigned(c - '0') < 10; });
    if (p == numberEnd || numberEnd - p > 18)
        return std::nullopt;
    const char* const number = p;
    skipBack(isSpace);
    if (p == first || *--p != ':')
        return std::nullopt;
    skipBack(isSpace);
    if (p - first < 4 || std::memcmp(p - 3, "\"t\"", 3) != 0)
        return std::nullopt;
    p -= 3;
    skipBack(isSpace);
    if (p == first || (p[-1] != ',' && p[-1] != '{'))
        return std::nullopt; // "t" was the end of a string value, not a key
    return digitsValue(number, size_t(numberEnd - number));
}

} // namespace

namespace {

// The digits of a non-negative integer at p, for the fast path; nullopt unless at least one
// digit is followed by a delimiter within 18 digits.
std::optional<int64_t> plainInteger(const char* p, const char* last)
{
    const char* const first = p;
    int64_t value = 0;
    while (p < last && unsigned(*p - '0') < 10 && p - first < 18)
        value = value * 10 + (*p++ - '0');
    if (p == first || p >= last || *p != ',')
        return std::nullopt;
    return value;
}

// Every server the bench measures writes an event as NativeDialect does:
// {"type":"event","topic":"<topic>","seq":<n>,..,"data":{..,"t":<t>}}. Reading the head and
// the tail of that shape costs ~15 ns against ~140 ns for the walk over every string below
// (the pad above all), which at 2 million events/s is a quarter of a core.
bool scanNativeEvent(std::string_view json, EventFields& fields)
{
    static constexpr std::string_view head = R"({"type":"event","topic":")";
    static constexpr std::string_view seqKey = R"(,"seq":)";
    if (json.size() < head.size() + seqKey.size() + 8 || json.substr(0, head.size()) != head)
        return false;
    const char* const last = json.data() + json.size();
    const char* const topic = json.data() + head.size();
    const char* const topicEnd = static_cast<const char*>(
        std::memchr(topic, '"', std::min<size_t>(size_t(last - topic), 256)));
    if (!topicEnd || topicEnd[-1] == '\\' || size_t(last - topicEnd) < seqKey.size() + 2 ||
        std::memcmp(topicEnd + 1, seqKey.data(), seqKey.size()) != 0)
        return false;
    const std::optional<int64_t> seq = plainInteger(topicEnd + 1 + seqKey.size(), last);
    const std::optional<int64_t> sendTime = trailingSendTime(json);
    if (!seq || !sendTime)
        return false;
    fields.type = json.substr(2 + 6 + 1, 5); // "event"
    fields.seq = seq;
    fields.sendTime = sendTime;
    return true;
}

} // namespace

EventFields scanEvent(std::string_view json)
{
    EventFields fields;
    if (scanNativeEvent(json, fields))
        return fields;
    fields.sendTime = trailingSendTime(json);
    const char* p = json.data();
    const char* const last = p + json.size();
    // Walk from string to string: a string followed by ':' is a key. String values (the pad
    // above all) are stepped over whole, so nothing inside them can pass for a key.
    while (p < last && !(fields.type && fields.seq && fields.sendTime)) {
        p = nextQuote(p, last);
        if (!p)
            break;
        const char* const begin = p + 1;
        const char* const end = stringEnd(begin, last);
        if (end >= last)
            break;
        const std::string_view text(begin, size_t(end - begin));
        p = end + 1;
        while (p < last && isSpace(*p))
            ++p;
        if (p >= last || *p != ':')
            continue; // a string value
        ++p;
        while (p < last && isSpace(*p))
            ++p;
        if (text == "seq") {
            fields.seq = integerAt(p, last);
        } else if (text == "t") {
            fields.sendTime = integerAt(p, last);
        } else if (text == "type" && p < last && *p == '"') {
            const char* const valueEnd = stringEnd(p + 1, last);
            if (valueEnd < last)
                fields.type = std::string_view(p + 1, size_t(valueEnd - p - 1));
        }
    }
    return fields;
}

} // namespace loadgen
