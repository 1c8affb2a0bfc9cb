#pragma once

// What the hub keeps for its operators (SPEC §13), wired together on the hub thread: the time
// series and their sampler, the alert rules at work, the hub's story in the log, and the
// routes that serve them. Also fills the console's snapshots with what is new: the latest
// sample of every series, the alerts' version, and the topic list while a panel watches it.

#include "alerts/AlertCenter.h"
#include "http/OperatorRoutes.h"
#include "monitor/HubStory.h"
#include "series/SeriesSampler.h"
#include "series/SeriesStore.h"

#include <QHash>
#include <QObject>

#include <optional>

namespace switchboard {

class Database;
class Endpoints;
class Hub;
class HubMetrics;
class HubMonitor;
class JobEngine;
class Subscribers;
class TokenVerifier;
class TopicPolicy;
struct HubConfig;
struct HubSnapshot;

class Operations : public QObject {
    Q_OBJECT

public:
    struct Parts {
        const HubConfig& config;
        Hub& hub;
        const HubMetrics& metrics;
        Subscribers& subscribers;
        JobEngine& jobs;
        HubMonitor& monitor;
        Database& database;
        const TopicPolicy& policy;
        const Endpoints& endpoints;
        const TokenVerifier& tokens;
        // The cluster as this node sees it, for the Redis and cluster series; empty alone.
        std::function<ClusterInfo()> cluster = {};
    };

    explicit Operations(Parts parts, QObject* parent = nullptr);
    ~Operations() override;

    // After the database is open: loads the alert rules and history, starts sampling.
    std::optional<QString> start();

    const OperatorContext& context() const { return m_context; }
    SeriesStore& series() { return m_series; }
    AlertCenter& alerts() { return m_alerts; }

    void fillSnapshot(HubSnapshot& snapshot);
    // Topic lists ride on the snapshots (at most once a second) while this is on.
    void setTopicListWatched(bool watched) { m_topicsWatched = watched; }

private:
    QHash<const void*, QString> m_dialects;
    SeriesStore m_series;
    SeriesSampler m_sampler;
    AlertCenter m_alerts;
    HubStory m_story;
    OperatorContext m_context;
    qint64 m_passedSampleMs = 0;
    quint64 m_passedAlertsVersion = 0;
    qint64 m_passedTopicsMs = 0;
    bool m_topicsWatched = false;
};

} // namespace switchboard
