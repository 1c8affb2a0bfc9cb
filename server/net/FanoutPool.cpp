#include "FanoutPool.h"

#include "Session.h"

#include <QThread>

#include <algorithm>

namespace switchboard {

FanoutPool::FanoutPool(int workers)
{
    for (int i = 0; i < workers; ++i)
        m_threads.emplace_back([this, i] { workerLoop(std::size_t(i)); });
}

FanoutPool::~FanoutPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_workReady.notify_all();
    for (std::thread& thread : m_threads)
        thread.join();
}

int FanoutPool::defaultWorkers()
{
    // One share per core, at most four; the hub thread is one of them.
    return std::clamp(QThread::idealThreadCount(), 1, 4) - 1;
}

void FanoutPool::writeRange(std::span<Session* const> sessions)
{
    for (Session* session : sessions)
        session->writeToKernel();
}

// Share k of n: contiguous, sizes differing by at most one.
static std::span<Session* const> share(std::span<Session* const> all, std::size_t k, std::size_t n)
{
    const std::size_t begin = all.size() * k / n;
    const std::size_t end = all.size() * (k + 1) / n;
    return all.subspan(begin, end - begin);
}

void FanoutPool::writeAll(std::span<Session* const> sessions)
{
    const std::size_t shares = m_threads.size() + 1;
    if (m_threads.empty() || sessions.size() < 64 * shares) {
        writeRange(sessions);
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_sessions = sessions;
        m_busy = m_threads.size();
        ++m_generation;
    }
    m_workReady.notify_all();
    writeRange(share(sessions, 0, shares));
    std::unique_lock lock(m_mutex);
    m_workDone.wait(lock, [this] { return m_busy == 0; });
    m_sessions = {};
}

void FanoutPool::workerLoop(std::size_t index)
{
    unsigned long seen = 0;
    while (true) {
        std::span<Session* const> sessions;
        {
            std::unique_lock lock(m_mutex);
            m_workReady.wait(lock, [&] { return m_stopping || m_generation != seen; });
            if (m_stopping)
                return;
            seen = m_generation;
            sessions = share(m_sessions, index + 1, m_threads.size() + 1);
        }
        writeRange(sessions);
        {
            std::lock_guard lock(m_mutex);
            if (--m_busy == 0)
                m_workDone.notify_one();
        }
    }
}

} // namespace switchboard
