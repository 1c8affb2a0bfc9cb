#include "LiveSources.h"

#include "DemoTrading.h"
#include "LogBridge.h"
#include "RiskAlerts.h"
#include "SystemMetrics.h"

#include "../config/HubConfig.h"
#include "../hub/Hub.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace switchboard {

LiveSources::LiveSources(const HubConfig& config, Hub& hub)
{
    m_logBridge = std::make_unique<LogBridge>(
        [&hub](const QJsonObject& entry) { hub.publish(u"logs"_s, u"system_log"_s, entry); });

    SystemMetrics::Options metrics;
    metrics.interval = config.metricsInterval;
    metrics.diskAlertPercent = config.diskAlertPercent;
    metrics.diskPath = config.dataDir;
    m_systemMetrics =
        std::make_unique<SystemMetrics>(hub, SystemProbe::forThisPlatform(), std::move(metrics));

    m_riskAlerts = std::make_unique<RiskAlerts>(hub);

    if (config.demo) {
        const quint64 seed =
            config.demoSeed ? *config.demoSeed : QRandomGenerator::system()->generate64();
        m_demoTrading = std::make_unique<DemoTrading>(hub, seed, config.demoInterval);
    }
}

LiveSources::~LiveSources() = default;

} // namespace switchboard
