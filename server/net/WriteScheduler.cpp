#include "WriteScheduler.h"

#include "../hub/Hub.h"
#include "../hub/HubMetrics.h"
#include "Session.h"

namespace switchboard {

WriteScheduler::WriteScheduler(HubMetrics& metrics, int fanoutWorkers, QObject* parent)
    : QObject(parent)
    , m_metrics(metrics)
    // A queued call runs after the socket events already waiting in this pass, so everything
    // read in one pass is written in one go.
    , m_queue(
          [this] { QMetaObject::invokeMethod(this, &WriteScheduler::flush, Qt::QueuedConnection); })
    , m_pool(fanoutWorkers)
{}

void WriteScheduler::flushNow()
{
    flush();
}

void WriteScheduler::flush()
{
    // Sessions are only ever destroyed through deleteLater() (and leave the queue in their
    // subscriber's destructor), so every pointer taken here stays valid for the whole loop,
    // even when a write fails and its session starts closing.
    // The pass's frames live until this returns: every session has written its outbox, or
    // taken references to what the kernel did not take, by then.
    const WriteQueue::Pass pass = m_queue.take();
    m_direct.clear();
    for (Subscriber* subscriber : pass.subscribers) {
        subscriber->noteWritePass();
        Session& session = Session::of(*subscriber);
        if (session.beginFlush())
            m_direct.push_back(&session);
    }
    m_pool.writeAll(m_direct);
    for (Session* session : m_direct)
        session->endFlush();
    const qint64 now = Hub::steadyNowNs();
    for (qint64 published : m_queue.takePublishTimes())
        m_metrics.publishToSend.record(double(now - published) / 1e9);
}

} // namespace switchboard
