#include "Operations.h"

#include "auth/TokenVerifier.h"
#include "config/HubConfig.h"
#include "hub/EventEncoder.h"
#include "monitor/HubMonitor.h"
#include "monitor/HubSnapshot.h"
#include "protocol/Endpoints.h"
#include "protocol/dialects/Dialect.h"

#include <QDateTime>

namespace switchboard {

namespace {

QHash<const void*, QString> dialectNames(const Endpoints& endpoints)
{
    QHash<const void*, QString> names;
    for (const Endpoint& endpoint : endpoints.all()) {
        const EventEncoder* encoder = endpoint.dialect;
        names.insert(encoder, QString(endpoint.dialect->name()));
    }
    return names;
}

} // namespace

Operations::Operations(Parts parts, QObject* parent)
    : QObject(parent)
    , m_dialects(dialectNames(parts.endpoints))
    , m_sampler(m_series,
                SeriesSampler::Sources{parts.hub, parts.metrics, parts.subscribers, parts.jobs,
                                       parts.monitor.jobTally(), parts.config.dataDir,
                                       parts.cluster},
                SystemProbe::forThisPlatform())
    , m_alerts(parts.hub, m_series, parts.database)
    , m_story(
          parts.jobs, parts.subscribers, [&tokens = parts.tokens] { return tokens.refusedCount(); },
          parts.config.refusedSignInsReportInterval)
    , m_context{parts.config.authMode, parts.hub, parts.subscribers, parts.policy, parts.endpoints,
                parts.monitor,         m_series,  m_sampler,         m_alerts,     m_dialects}
{
    parts.monitor.setDialectNames(m_dialects);
    connect(&m_sampler, &SeriesSampler::sampled, &m_alerts, &AlertCenter::evaluate);
}

Operations::~Operations() = default;

std::optional<QString> Operations::start()
{
    if (auto error = m_alerts.start())
        return error;
    m_sampler.start();
    return std::nullopt;
}

void Operations::fillSnapshot(HubSnapshot& snapshot)
{
    if (m_sampler.lastSampleMs() > m_passedSampleMs) {
        m_passedSampleMs = m_sampler.lastSampleMs();
        snapshot.seriesSampleMs = m_passedSampleMs;
        snapshot.seriesSample = m_sampler.lastSample();
    }
    snapshot.alertsVersion = m_alerts.version();
    snapshot.alertsFiring = m_alerts.firingCount();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_topicsWatched && now - m_passedTopicsMs >= 1000) {
        m_passedTopicsMs = now;
        snapshot.topicList = topicsJson(m_context, now);
        snapshot.topicListIncluded = true;
    }
}

} // namespace switchboard
