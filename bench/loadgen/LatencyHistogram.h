#pragma once

// A log-linear histogram of durations in nanoseconds (HdrHistogram's layout, ~0.1 % precision):
// recording is a few instructions and no allocation, so every message can be recorded.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace loadgen {

struct LatencySummary {
    uint64_t count = 0;
    double p50Ms = 0;
    double p90Ms = 0;
    double p99Ms = 0;
    double p999Ms = 0;
    double maxMs = 0;
    double meanMs = 0;
};

class LatencyHistogram {
public:
    LatencyHistogram();

    void record(int64_t nanoseconds)
    {
        const uint64_t value = nanoseconds < 0 ? 0 : uint64_t(nanoseconds);
        ++m_buckets[bucketOf(value < maxValue ? value : maxValue)];
        ++m_count;
        m_sum += value;
        if (value > m_max)
            m_max = value;
    }

    void clear();
    void merge(const LatencyHistogram& other);

    uint64_t count() const { return m_count; }
    // The smallest recorded value v such that at least fraction of all values are <= v (to the
    // histogram's precision).
    uint64_t percentile(double fraction) const;
    LatencySummary summary() const;

    static constexpr int subBucketBits = 10;
    static constexpr uint64_t maxValue = (uint64_t(1) << 40) - 1; // ~18 minutes

private:
    static size_t bucketOf(uint64_t value)
    {
        constexpr uint64_t subBuckets = uint64_t(1) << subBucketBits;
        if (value < 2 * subBuckets)
            return size_t(value);
        const int msb = 63 - __builtin_clzll(value);
        const int shift = msb - subBucketBits;
        return size_t(2 * subBuckets + uint64_t(shift - 1) * subBuckets +
                      ((value >> shift) - subBuckets));
    }
    static uint64_t highestValueIn(size_t bucket);

    std::vector<uint64_t> m_buckets;
    uint64_t m_count = 0;
    uint64_t m_sum = 0;
    uint64_t m_max = 0;
};

} // namespace loadgen
