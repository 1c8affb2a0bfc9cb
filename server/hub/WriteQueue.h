#pragma once

// The subscribers that were given frames since their transport last wrote, in the order they
// got their first one. The hub fills it during a pass of the event loop; the transport's
// writer (net/WriteScheduler) empties it once per pass, so a burst of publishes reaches each
// client in one system call. `wake` is called once per pass, when the first subscriber of the
// pass is queued: the writer schedules itself there.

#include <QtGlobal>

#include <functional>
#include <vector>

namespace switchboard {

class Subscriber;

class WriteQueue {
public:
    explicit WriteQueue(std::function<void()> wake)
        : m_wake(std::move(wake))
    {}
    WriteQueue(const WriteQueue&) = delete;
    WriteQueue& operator=(const WriteQueue&) = delete;

    void add(Subscriber* subscriber)
    {
        m_queued.push_back(subscriber);
        if (!m_woken) {
            m_woken = true;
            m_wake();
        }
    }
    void remove(Subscriber* subscriber) { std::erase(m_queued, subscriber); }
    // Empties the queue; the next add() wakes the writer again.
    std::vector<Subscriber*> take()
    {
        m_woken = false;
        std::vector<Subscriber*> queued;
        queued.swap(m_queued);
        return queued;
    }
    bool isEmpty() const { return m_queued.empty(); }

    // When an event was published (steady clock, ns), so that the writer can record how long
    // it took to reach the kernel for every subscriber (the publish-to-send histogram).
    void notePublished(qint64 publishedNs) { m_publishTimes.push_back(publishedNs); }
    std::vector<qint64> takePublishTimes()
    {
        std::vector<qint64> times;
        times.swap(m_publishTimes);
        return times;
    }

private:
    std::function<void()> m_wake;
    std::vector<Subscriber*> m_queued;
    std::vector<qint64> m_publishTimes;
    bool m_woken = false;
};

} // namespace switchboard
