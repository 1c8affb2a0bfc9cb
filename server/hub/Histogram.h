#pragma once

// A fixed-bucket latency histogram in the Prometheus sense (cumulative buckets, sum, count).

#include <QByteArray>

#include <array>

namespace switchboard {

class Histogram {
public:
    static constexpr std::array<double, 12> bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

    void record(double seconds);
    quint64 count() const { return m_count; }
    double sum() const { return m_sum; }
    // Approximate quantile (upper bound of the bucket holding it), q in [0, 1].
    double quantile(double q) const;
    // Appends the Prometheus exposition of this histogram under `name`.
    void writePrometheus(QByteArray& out, const char* name, const char* help) const;

private:
    std::array<quint64, bounds.size() + 1> m_buckets{}; // last one: +Inf
    quint64 m_count = 0;
    double m_sum = 0;
};

} // namespace switchboard
