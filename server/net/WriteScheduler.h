#pragma once

// Drains the hub's write queue: the subscribers that received frames during this pass of the
// event loop are flushed once, together, when the loop comes back round. Under load many
// publishes land between two passes and each client gets them in a single system call. The
// kernel writes of one flush are spread over the FanoutPool's threads.

#include "../hub/WriteQueue.h"
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

    // The queue the hub's subscribers put themselves in; every subscriber in it belongs to a
    // Session.
    WriteQueue& queue() { return m_queue; }
    // Writes everything now (used before shutdown).
    void flushNow();

private:
    void flush();

    HubMetrics& m_metrics;
    WriteQueue m_queue;
    std::vector<Session*> m_direct; // reused between flushes
    FanoutPool m_pool;
};

} // namespace switchboard
