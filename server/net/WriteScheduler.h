#pragma once

// Batches outbound writes: sessions that received frames during this pass of the event
// loop are flushed once, together, when the loop comes back round. Under load many
// publishes land between two passes and each client gets them in a single system call.

#include "FanoutPool.h"

#include <QObject>

#include <vector>

namespace switchboard {

class HubMetrics;
class Session;

class WriteScheduler : public QObject {
    Q_OBJECT

public:
    WriteScheduler(HubMetrics& metrics, int fanoutWorkers, QObject* parent = nullptr);

    void schedule(Session* session);
    void cancel(Session* session);
    // Remembers when an event was published so that the flush can record how long it took
    // to reach the kernel for every subscriber.
    void notePublished(qint64 publishedNs);
    // Writes everything now (used before shutdown).
    void flushNow();

    static qint64 steadyNowNs();

private:
    void flush();

    HubMetrics& m_metrics;
    std::vector<Session*> m_dirty;
    std::vector<Session*> m_direct; // reused between flushes
    FanoutPool m_pool;
    std::vector<qint64> m_publishTimes;
    bool m_posted = false;
};

} // namespace switchboard
