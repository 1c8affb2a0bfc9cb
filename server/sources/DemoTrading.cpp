#include "DemoTrading.h"

#include "SystemAlert.h"

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
    if (step.hardStopEntered) {
        const QString drawdown = QString::number(m_model.drawdown() * 100.0, 'f', 1);
        const QString dailyLoss = QString::number(m_model.dailyLoss() * 100.0, 'f', 1);
        publishSystemAlert(
            m_hub, QJsonObject{
                       {u"alert_type"_s, u"risk_hard_stop"_s},
                       {u"severity"_s, u"critical"_s},
                       {u"message"_s, u"Trading hard stop: drawdown %1 %, daily loss %2 %"_s.arg(
                                          drawdown, dailyLoss)},
                       {u"drawdown_pct"_s, m_model.drawdown()},
                       {u"daily_loss_pct"_s, m_model.dailyLoss()},
                   });
    }
}

} // namespace switchboard
