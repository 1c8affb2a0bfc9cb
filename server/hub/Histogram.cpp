#include "Histogram.h"

#include <algorithm>

namespace switchboard {

void Histogram::record(double seconds)
{
    const auto it = std::lower_bound(bounds.begin(), bounds.end(), seconds);
    ++m_buckets[std::size_t(it - bounds.begin())];
    ++m_count;
    m_sum += seconds;
}

double Histogram::quantile(double q) const
{
    if (m_count == 0)
        return 0;
    const auto target = quint64(q * double(m_count));
    quint64 seen = 0;
    for (std::size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen > target || seen == m_count)
            return i < bounds.size() ? bounds[i] : bounds.back();
    }
    return bounds.back();
}

void Histogram::writePrometheus(QByteArray& out, const char* name, const char* help) const
{
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" histogram\n");
    quint64 cumulative = 0;
    for (std::size_t i = 0; i <= bounds.size(); ++i) {
        cumulative += m_buckets[i];
        const QByteArray bound = i < bounds.size() ? QByteArray::number(bounds[i]) : "+Inf";
        out.append(name).append("_bucket{le=\"").append(bound).append("\"} ");
        out.append(QByteArray::number(cumulative)).append('\n');
    }
    out.append(name).append("_sum ").append(QByteArray::number(m_sum, 'g', 10)).append('\n');
    out.append(name).append("_count ").append(QByteArray::number(m_count)).append('\n');
}

} // namespace switchboard
