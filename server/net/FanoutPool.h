#pragma once

// Spreads the kernel writes of one flush over several cores. A flush to a thousand clients
// is a thousand system calls, most of their cost in the kernel's TCP path; done on one
// thread the last client waits for all the others. The hub thread takes one share of the
// sessions itself and worker threads take the rest, all writing straight to the sockets'
// descriptors, and the hub thread continues when every share is done. Workers touch
// nothing but the sessions' queued frames (read-only) and their write results; everything
// that involves Qt objects stays on the hub thread.

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace switchboard {

class Session;

class FanoutPool {
public:
    // `workers` extra threads (0: everything on the calling thread).
    explicit FanoutPool(int workers);
    ~FanoutPool();
    FanoutPool(const FanoutPool&) = delete;
    FanoutPool& operator=(const FanoutPool&) = delete;

    int workers() const { return int(m_threads.size()); }
    // Calls Session::writeToKernel() for every session, on this and the worker threads, and
    // returns when all are done.
    void writeAll(std::span<Session* const> sessions);

    static int defaultWorkers();

private:
    void workerLoop(std::size_t index);
    static void writeRange(std::span<Session* const> sessions);

    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_workReady;
    std::condition_variable m_workDone;
    std::span<Session* const> m_sessions;
    unsigned long m_generation = 0;
    std::size_t m_busy = 0;
    bool m_stopping = false;
};

} // namespace switchboard
