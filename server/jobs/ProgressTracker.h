#pragma once

// Carries a job's progress (0-100, fractions kept, and a message) from whatever thread the job runs
// in to the thread of a receiver, coalesced: however often the job reports, the receiver gets at
// most one update per interval (default 100 ms, so ~10 a second), always the latest one. report()
// never blocks on the receiver and never allocates a timer per call.

#include <QMutex>
#include <QObject>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace switchboard {

class ProgressTracker : public std::enable_shared_from_this<ProgressTracker> {
public:
    struct Update {
        double progress = 0;
        QString message;
    };
    using Deliver = std::function<void(const Update& update)>;

    // `deliver` runs in `receiver`'s thread, never after close() nor after the receiver is gone.
    // The receiver must outlive every report() call (the engine waits for its jobs).
    static std::shared_ptr<ProgressTracker>
    create(QObject* receiver, Deliver deliver,
           std::chrono::milliseconds interval = std::chrono::milliseconds(100));

    // Any thread. `progress` is clamped to 0-100 and never goes back; an empty message keeps
    // the last one.
    void report(double progress, const QString& message = {});
    // The receiver's thread: nothing more is delivered; returns the latest state reported.
    Update close();
    // Everything reported so far, delivered or not.
    double latestProgress() const;

private:
    ProgressTracker(QObject* receiver, Deliver deliver, std::chrono::milliseconds interval);
    void deliverPending(); // receiver's thread

    using Clock = std::chrono::steady_clock;
    QObject* const m_receiver;
    const Deliver m_deliver;
    const std::chrono::milliseconds m_interval;

    mutable QMutex m_mutex;
    Update m_latest;          // guarded by m_mutex
    bool m_pending = false;   // m_latest has not been delivered yet
    bool m_scheduled = false; // a delivery is on its way to the receiver's thread
    bool m_closed = false;
    Clock::time_point m_lastDelivery; // epoch: never delivered
};

} // namespace switchboard
