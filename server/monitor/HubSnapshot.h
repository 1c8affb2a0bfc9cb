#pragma once

// Value types the hub hands to its observers (the console, tests) at most ten times a
// second. They hold copies, never pointers into hub state, so they cross threads freely.

#include "../store/JobRecord.h"

#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <optional>

namespace switchboard {

// One client connection as the Connections panel shows it.
struct ConnectionInfo {
    QString id;
    QString user;
    QString role;
    QString tenant;
    QString remoteAddress;
    QString endpoint;
    QDateTime since;
    quint64 messagesIn = 0;
    quint64 messagesOut = 0;
    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    QStringList topics;
    QString dialect;           // "native", "calculations", ... (the endpoint's document)
    qint64 outboundBytes = 0;  // queued for the client and not yet taken by the kernel
    qint64 outboundCap = 0;    // past this it is closed with 1013
    qint64 tokenExpiresAt = 0; // the token's exp, ms since the epoch; 0: no token
};

// Hub-wide totals since start.
struct HubCounters {
    quint64 connectionsTotal = 0; // accepted WebSocket sessions since start
    quint64 messagesIn = 0;
    quint64 messagesOut = 0;
    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    quint64 published = 0;            // events published to topics
    quint64 droppedSlowConsumers = 0; // sessions closed with 1013 for not reading
    quint64 rejectedConnections = 0;  // refused upgrades and over-limit sockets
};

// One event of a topic the observer watches (HubHost::watchTopics), as a copy: the data
// object is implicitly shared with the hub's history, never mutated, so it crosses threads.
struct TopicEvent {
    QString topic;
    quint64 seq = 0;
    QString event;          // "job_progress", "equity_update", ...
    qint64 timestampMs = 0; // wall clock, ms since the epoch (the event's "ts")
    QJsonObject data;
};

// The cluster as this node sees it (SPEC §12), when the hub is one node of several.
struct ClusterNodeInfo {
    QString name;
    QString address;
    int connections = 0;
    double messagesInPerSecond = 0;
    double messagesOutPerSecond = 0;
    QDateTime startedAt;
    QDateTime lastSeen;
    bool self = false;
};
struct RedisShardInfo {
    QString url; // host:port[/db], never the password
    bool up = false;
    QString problem;
    quint64 reconnects = 0;
};
struct ClusterInfo {
    QString nodeName;
    QList<ClusterNodeInfo> nodes; // this node first
    QList<RedisShardInfo> shards;
    bool degraded() const
    {
        return std::any_of(shards.cbegin(), shards.cend(),
                           [](const RedisShardInfo& shard) { return !shard.up; });
    }
};

// A coalesced delta: what changed since the previous snapshot. The first snapshot after
// a subscriber attaches is full (`full == true`) and lists every connection in `upserted`.
struct HubSnapshot {
    bool full = false;
    QDateTime startedAt;
    QString listenAddress; // "0.0.0.0:8000"
    bool tls = false;
    QString authMode;
    int activeConnections = 0;
    int topics = 0;
    HubCounters counters;
    double messagesInPerSecond = 0;
    double messagesOutPerSecond = 0;
    QList<ConnectionInfo> upserted; // new or changed connections
    QStringList removed;            // ids of closed connections

    // Events of the watched topics published since the previous snapshot, in publish order
    // per topic. A topic that published more than the monitor passes on per snapshot (or
    // whose history no longer holds them) delivers its newest events; `eventsSkipped` counts
    // the rest.
    QList<TopicEvent> events;
    quint64 eventsSkipped = 0;

    // The job list (active jobs and the kept finished ones, newest first), present when
    // `jobsChanged` is set: in a full snapshot and whenever any job changed since the last.
    bool jobsChanged = false;
    QList<JobRecord> jobs;

    // The newest sample of every time series (SPEC §13), when one was taken since the
    // previous snapshot (seriesSampleMs is then set): what the console's charts append to the
    // history they asked for (HubHost::series).
    qint64 seriesSampleMs = 0;
    QHash<QString, double> seriesSample;
    // Bumped whenever the alert rules or alerts change: ask HubHost::alerts() again.
    quint64 alertsVersion = 0;
    int alertsFiring = 0;
    // Every snapshot of a node of a cluster carries it; a hub on its own leaves it empty.
    std::optional<ClusterInfo> cluster;
    // GET /api/v1/topics, at most once a second while a panel watches the topic list.
    bool topicListIncluded = false;
    QJsonArray topicList;
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::HubSnapshot)
