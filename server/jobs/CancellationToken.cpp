#include "CancellationToken.h"

#include <QDeadlineTimer>

namespace switchboard {

void CancellationToken::cancel()
{
    const QMutexLocker lock(&m_mutex);
    m_cancelled.store(true, std::memory_order_release);
    m_condition.wakeAll();
}

bool CancellationToken::waitFor(std::chrono::milliseconds timeout) const
{
    QMutexLocker lock(&m_mutex);
    const QDeadlineTimer deadline(timeout);
    while (!isCancelled()) {
        if (!m_condition.wait(&m_mutex, deadline))
            break;
    }
    return isCancelled();
}

} // namespace switchboard
