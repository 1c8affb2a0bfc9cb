#pragma once

// The subscribers that were given frames since their transport last wrote, in the order they
// got their first one. The hub fills it during a pass of the event loop; the transport's
// writer (net/WriteScheduler) empties it once per pass, so a burst of publishes reaches each
// client in one system call. `wake` is called once per pass, when the first subscriber of the
// pass is queued: the writer schedules itself there.
//
// The queue also holds the frames of the pass: a subscriber's outbox points at them instead
// of taking a reference of its own. A reference is an atomic increment and decrement per
// delivery: ~10 ns, 4 % of the hub thread's time at 2.5 M deliveries/s.
// The writer lets the frames go at the end of its pass, once every outbox is written or its
// transport took references to what the kernel did not take.

#include <QByteArray>
#include <QtGlobal>

#include <deque>
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
    // A writer's pass: the subscribers queued since the last one, and the frames their outboxes
    // point at, which live as long as the pass does.
    struct Pass {
        std::vector<Subscriber*> subscribers;
        std::deque<QByteArray> frames;
    };
    // Empties the queue; the next add() wakes the writer again. Frames held from here on
    // belong to the next pass, even while the writer is still busy with this one.
    Pass take()
    {
        m_woken = false;
        Pass pass;
        pass.subscribers.swap(m_queued);
        pass.frames.swap(m_frames);
        return pass;
    }
    bool isEmpty() const { return m_queued.empty(); }

    // A frame held for the next pass (see Pass): what subscribers queue.
    class Frame {
    public:
        const QByteArray& bytes() const { return *m_bytes; }

    private:
        friend class WriteQueue;
        explicit Frame(const QByteArray* bytes)
            : m_bytes(bytes)
        {}
        const QByteArray* m_bytes;
    };
    Frame hold(QByteArray frame)
    {
        m_frames.push_back(std::move(frame)); // a deque: earlier frames do not move
        return Frame(&m_frames.back());
    }

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
    std::deque<QByteArray> m_frames;
    bool m_woken = false;
};

} // namespace switchboard
