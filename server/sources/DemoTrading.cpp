#include "DemoTrading.h"

#include "../hub/Hub.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace switchboard {
namespace {
Q_LOGGING_CATEGORY(lcDemo, "switchboard.demo")
}

DemoTrading::DemoTrading(Hub& hub, quint64 seed, std::chrono::milliseconds interval,
                         QObject* parent)
    : QObject(parent)
    , m_hub(hub)
    , m_model(seed)
{
    connect(&m_timer, &QTimer::timeout, this, &DemoTrading::tick);
    m_timer.start(interval);
    // The seed is what it takes to play the same book again.
    qCInfo(lcDemo, "demo trading feed started (seed %llu; --demo-seed %llu plays it again)",
           static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
}

void DemoTrading::tick()
{
    const DemoTradingModel::Step step = m_model.step();
    for (const TradingUpdate& update : step.updates)
        m_hub.publish(u"trading"_s, update.event, update.data);
    // Entering a hard stop raises a system_alert through RiskAlerts, as for any publisher.
}

} // namespace switchboard
