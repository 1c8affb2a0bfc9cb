#pragma once

// Counters the hub thread keeps while it works; read by HubMonitor (snapshots, stats) and
// the /metrics route. Only ever touched on the hub thread, so plain integers suffice.

#include "Histogram.h"

#include <QtGlobal>

namespace switchboard {

class HubMetrics {
public:
    quint64 connectionsTotal = 0;
    quint64 messagesIn = 0;
    quint64 messagesOut = 0;
    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    quint64 published = 0;
    quint64 eventEncodings = 0; // one per event and dialect with subscribers
    quint64 droppedSlowConsumers = 0;
    quint64 rejectedConnections = 0;
    quint64 httpRequests = 0;
    Histogram publishToSend; // seconds from Hub::publish to the last subscriber's write
    Histogram redisPublish;  // seconds a cluster node waits for Redis to number a publication
};

} // namespace switchboard
