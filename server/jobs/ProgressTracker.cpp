#include "ProgressTracker.h"

#include <QMetaObject>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace switchboard {

std::shared_ptr<ProgressTracker> ProgressTracker::create(QObject* receiver, Deliver deliver,
                                                         std::chrono::milliseconds interval)
{
    return std::shared_ptr<ProgressTracker>(
        new ProgressTracker(receiver, std::move(deliver), interval));
}

ProgressTracker::ProgressTracker(QObject* receiver, Deliver deliver,
                                 std::chrono::milliseconds interval)
    : m_receiver(receiver)
    , m_deliver(std::move(deliver))
    , m_interval(interval)
{}

void ProgressTracker::report(double progress, const QString& message)
{
    std::chrono::milliseconds delay{0};
    {
        const QMutexLocker lock(&m_mutex);
        if (m_closed)
            return;
        const double percent = std::isfinite(progress) ? std::clamp(progress, 0.0, 100.0) : 0.0;
        m_latest.progress = std::max(m_latest.progress, percent);
        if (!message.isEmpty())
            m_latest.message = message;
        m_pending = true;
        if (m_scheduled)
            return; // the delivery on its way will carry this value
        m_scheduled = true;
        const auto sinceLast =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_lastDelivery);
        delay = std::max(std::chrono::milliseconds(0), m_interval - sinceLast);
    }
    // The timer must be started in the receiver's thread: hop there first.
    QObject* receiver = m_receiver;
    std::weak_ptr<ProgressTracker> weak = weak_from_this();
    QMetaObject::invokeMethod(
        receiver,
        [receiver, weak, delay] {
            QTimer::singleShot(delay, receiver, [weak] {
                if (const std::shared_ptr<ProgressTracker> tracker = weak.lock())
                    tracker->deliverPending();
            });
        },
        Qt::QueuedConnection);
}

void ProgressTracker::deliverPending()
{
    Update update;
    {
        const QMutexLocker lock(&m_mutex);
        m_scheduled = false;
        if (m_closed || !m_pending)
            return;
        m_pending = false;
        m_lastDelivery = Clock::now();
        update = m_latest;
    }
    m_deliver(update);
}

ProgressTracker::Update ProgressTracker::close()
{
    const QMutexLocker lock(&m_mutex);
    m_closed = true;
    return m_latest;
}

double ProgressTracker::latestProgress() const
{
    const QMutexLocker lock(&m_mutex);
    return m_latest.progress;
}

} // namespace switchboard
