#include "SeriesRing.h"

#include <cmath>
#include <limits>

namespace switchboard {

namespace {

constexpr double none = std::numeric_limits<double>::quiet_NaN();

} // namespace

SeriesRing::SeriesRing(int slotCount, qint64 stepMs)
    : m_values(std::size_t(std::max(1, slotCount)), none)
    , m_stepMs(std::max<qint64>(1, stepMs))
{}

void SeriesRing::record(qint64 ms, double value)
{
    if (!std::isfinite(value) || ms < 0)
        return;
    const qint64 slot = ms / m_stepMs;
    const qint64 size = qint64(m_values.size());
    if (slot < m_newest)
        return;
    if (slot > m_newest) {
        // Clear what the ring passes over (at most one lap), so a gap reads as no data.
        const qint64 from = m_newest < 0 ? slot : std::max(m_newest + 1, slot - size + 1);
        for (qint64 s = from; s <= slot; ++s)
            m_values[std::size_t(s % size)] = none;
        m_newest = slot;
        m_sum = 0;
        m_count = 0;
    }
    m_sum += value;
    ++m_count;
    m_values[std::size_t(slot % size)] = m_sum / m_count;
}

QList<QPair<qint64, double>> SeriesRing::points(qint64 fromMs) const
{
    QList<QPair<qint64, double>> out;
    if (m_newest < 0)
        return out;
    const qint64 size = qint64(m_values.size());
    const qint64 first = std::max({m_newest - size + 1, fromMs / m_stepMs, qint64(0)});
    out.reserve(qsizetype(m_newest - first + 1));
    for (qint64 s = first; s <= m_newest; ++s) {
        const double value = m_values[std::size_t(s % size)];
        if (!std::isnan(value))
            out.append({s * m_stepMs, value});
    }
    return out;
}

bool SeriesRing::latest(qint64 notBeforeMs, qint64* ms, double* value) const
{
    if (m_newest < 0 || (m_newest + 1) * m_stepMs <= notBeforeMs)
        return false;
    const double newest = m_values[std::size_t(m_newest % qint64(m_values.size()))];
    if (std::isnan(newest))
        return false;
    *ms = m_newest * m_stepMs;
    *value = newest;
    return true;
}

} // namespace switchboard
