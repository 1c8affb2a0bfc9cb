#pragma once

// Spreads the kernel writes of one flush over several cores. A flush to a thousand clients
// is a thousand system calls, most of their cost in the kernel's TCP path; done on one
// thread the last client waits for all the others. The hub thread and the worker threads
// take small chunks of the sessions from a shared counter until none are left, all writing
// straight to the sockets' descriptors, so a thread the scheduler holds back (the cores are
// shared with everything else on the machine) simply writes fewer chunks instead of holding
// up a fixed share. The hub thread continues when every chunk is written. Workers touch
// nothing but the sessions' queued frames (read-only) and their write results (and an
// encrypted session's TLS state, which the hub thread leaves alone while it waits); everything
// that involves Qt objects stays on the hub thread.

#include <atomic>
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
    // returns when all are done. A worker that wakes up after the last chunk was taken is
    // not waited for.
    void writeAll(std::span<Session* const> sessions);

private:
    void workerLoop();
    // Takes chunks of m_sessions until none are left; every thread, the caller included,
    // runs this, so a thread that is slowed down (the cores are shared with everything
    // else) simply ends up writing fewer of them.
    void writeChunks();

    static constexpr std::size_t chunkSize = 16;

    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_workReady;
    std::condition_variable m_workDone;
    std::span<Session* const> m_sessions;
    std::atomic<std::size_t> m_next = 0; // the first session no thread has taken yet
    unsigned long m_generation = 0;
    std::size_t m_writing = 0; // workers inside writeChunks()
    bool m_stopping = false;
};

} // namespace switchboard
