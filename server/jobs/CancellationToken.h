#pragma once

// The cancel flag a running job polls. Set from the hub thread, read from the job's thread;
// a job that waits on something can wait on the token instead, and wakes when it is set.

#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <chrono>

namespace switchboard {

class CancellationToken {
public:
    void cancel();
    bool isCancelled() const { return m_cancelled.load(std::memory_order_acquire); }
    // Waits up to `timeout`; true when the token was (or got) cancelled.
    bool waitFor(std::chrono::milliseconds timeout) const;

private:
    std::atomic<bool> m_cancelled{false};
    mutable QMutex m_mutex;
    mutable QWaitCondition m_condition;
};

} // namespace switchboard
