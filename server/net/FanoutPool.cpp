#include "FanoutPool.h"

#include "Session.h"

#include <algorithm>

namespace switchboard {

FanoutPool::FanoutPool(int workers)
{
    for (int i = 0; i < workers; ++i)
        m_threads.emplace_back([this] { workerLoop(); });
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

void FanoutPool::writeChunks()
{
    const std::size_t total = m_sessions.size();
    for (;;) {
        const std::size_t begin = m_next.fetch_add(chunkSize, std::memory_order_relaxed);
        if (begin >= total)
            return;
        for (Session* session : m_sessions.subspan(begin, std::min(chunkSize, total - begin)))
            session->writeToKernel();
    }
}

void FanoutPool::writeAll(std::span<Session* const> sessions)
{
    if (m_threads.empty() || sessions.size() < 2 * chunkSize) {
        for (Session* session : sessions)
            session->writeToKernel();
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_sessions = sessions;
        m_next.store(0, std::memory_order_relaxed);
        ++m_generation;
    }
    m_workReady.notify_all();
    writeChunks();
    // Every chunk is taken. Wait only for the workers still writing theirs: one that has
    // not woken up yet would find nothing left, and is not waited for.
    std::unique_lock lock(m_mutex);
    m_workDone.wait(lock, [this] { return m_writing == 0; });
    m_sessions = {};
}

void FanoutPool::workerLoop()
{
    unsigned long seen = 0;
    while (true) {
        {
            std::unique_lock lock(m_mutex);
            m_workReady.wait(lock, [&] { return m_stopping || m_generation != seen; });
            if (m_stopping)
                return;
            seen = m_generation;
            if (m_next.load(std::memory_order_relaxed) >= m_sessions.size())
                continue; // woke up too late: every chunk is taken
            ++m_writing;
        }
        writeChunks();
        {
            std::lock_guard lock(m_mutex);
            if (--m_writing == 0)
                m_workDone.notify_one();
        }
    }
}

} // namespace switchboard
