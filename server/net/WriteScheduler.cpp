#include "WriteScheduler.h"

#include "../monitor/HubMetrics.h"
#include "Session.h"

#include <chrono>

namespace switchboard {

WriteScheduler::WriteScheduler(HubMetrics& metrics, int fanoutWorkers, QObject* parent)
    : QObject(parent)
    , m_metrics(metrics)
    , m_pool(fanoutWorkers)
{}

qint64 WriteScheduler::steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void WriteScheduler::schedule(Session* session)
{
    m_dirty.push_back(session);
    if (!m_posted) {
        m_posted = true;
        // A queued call runs after the socket events already waiting in this pass, so
        // everything read in one pass is written in one go.
        QMetaObject::invokeMethod(this, &WriteScheduler::flush, Qt::QueuedConnection);
    }
}

void WriteScheduler::cancel(Session* session)
{
    std::erase(m_dirty, session);
}

void WriteScheduler::notePublished(qint64 publishedNs)
{
    m_publishTimes.push_back(publishedNs);
}

void WriteScheduler::flushNow()
{
    flush();
}

void WriteScheduler::flush()
{
    m_posted = false;
    // Sessions are only ever destroyed through deleteLater() (and cancel themselves in
    // their destructor), so every pointer taken here stays valid for the whole loop, even
    // when a write fails and its session starts closing.
    std::vector<Session*> dirty;
    dirty.swap(m_dirty);
    m_direct.clear();
    for (Session* session : dirty) {
        session->clearScheduled();
        if (session->beginFlush())
            m_direct.push_back(session);
    }
    m_pool.writeAll(m_direct);
    for (Session* session : m_direct)
        session->endFlush();
    const qint64 now = steadyNowNs();
    for (qint64 published : m_publishTimes)
        m_metrics.publishToSend.record(double(now - published) / 1e9);
    m_publishTimes.clear();
}

} // namespace switchboard
