#include "RateSearch.h"

#include <algorithm>
#include <cmath>

namespace loadgen {

RateSearch::RateSearch(double startRate, double maxRate, int retries)
    : m_rate(startRate)
    , m_maxRate(maxRate)
    , m_retries(std::max(0, retries))
    , m_retriesLeft(m_retries)
{}

RateSearch::Next RateSearch::record(bool passed)
{
    if (!passed && m_retriesLeft > 0) {
        --m_retriesLeft;
        return Next::Again;
    }
    m_retriesLeft = m_retries;
    if (passed)
        m_highestPass = std::max(m_highestPass.value_or(0), m_rate);
    else
        m_lowestFail = std::min(m_lowestFail.value_or(m_rate), m_rate);

    if (!m_lowestFail) {
        if (m_rate >= m_maxRate)
            return Next::Done;
        m_rate = std::min(m_rate * 2, m_maxRate);
        return Next::NewRate;
    }
    const double low = m_highestPass.value_or(0);
    if (*m_lowestFail - low <= std::max(0.05 * *m_lowestFail, 10.0))
        return Next::Done;
    m_rate = std::round((low + *m_lowestFail) / 2 / 10) * 10;
    return Next::NewRate;
}

} // namespace loadgen
