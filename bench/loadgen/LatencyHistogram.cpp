#include "LatencyHistogram.h"

#include <algorithm>
#include <cmath>

namespace loadgen {

LatencyHistogram::LatencyHistogram()
    : m_buckets(bucketOf(maxValue) + 1, 0)
{}

void LatencyHistogram::clear()
{
    std::fill(m_buckets.begin(), m_buckets.end(), 0);
    m_count = 0;
    m_sum = 0;
    m_max = 0;
}

void LatencyHistogram::merge(const LatencyHistogram& other)
{
    for (size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_sum += other.m_sum;
    m_max = std::max(m_max, other.m_max);
}

uint64_t LatencyHistogram::highestValueIn(size_t bucket)
{
    constexpr uint64_t subBuckets = uint64_t(1) << subBucketBits;
    if (bucket < 2 * subBuckets)
        return bucket;
    const uint64_t shift = (bucket - 2 * subBuckets) / subBuckets + 1;
    const uint64_t top = (bucket - 2 * subBuckets) % subBuckets + subBuckets;
    return ((top + 1) << shift) - 1;
}

uint64_t LatencyHistogram::percentile(double fraction) const
{
    if (m_count == 0)
        return 0;
    const auto wanted = std::max<uint64_t>(1, uint64_t(std::ceil(fraction * double(m_count))));
    uint64_t seen = 0;
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= wanted)
            return std::min(highestValueIn(i), m_max);
    }
    return m_max;
}

LatencySummary LatencyHistogram::summary() const
{
    LatencySummary result;
    result.count = m_count;
    if (m_count == 0)
        return result;
    const auto ms = [](uint64_t ns) { return double(ns) / 1e6; };
    result.p50Ms = ms(percentile(0.50));
    result.p90Ms = ms(percentile(0.90));
    result.p99Ms = ms(percentile(0.99));
    result.p999Ms = ms(percentile(0.999));
    result.maxMs = ms(m_max);
    result.meanMs = double(m_sum) / double(m_count) / 1e6;
    return result;
}

} // namespace loadgen
