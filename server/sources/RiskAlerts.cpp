#include "RiskAlerts.h"

#include "SystemAlert.h"

#include "../hub/Event.h"
#include "../hub/Hub.h"
#include "../wire/Json.h"

using namespace Qt::StringLiterals;

namespace switchboard {

namespace {

const QString tradingTopic = u"trading"_s;
const QString hardStop = u"hard_stop"_s;

// A fraction as publishers send it: a JSON number, or a decimal string (as 001's money
// fields are).
double number(const QJsonValue& value)
{
    return value.isDouble() ? value.toDouble() : value.toString().toDouble();
}

QString percent(const QJsonValue& fraction)
{
    return QString::number(number(fraction) * 100.0, 'f', 1);
}

} // namespace

RiskAlerts::RiskAlerts(Hub& hub)
    : m_hub(hub)
{
    m_hub.setTap(tradingTopic, [this](const Event& event) { onTrading(event); });
}

RiskAlerts::~RiskAlerts()
{
    m_hub.setTap(tradingTopic, {});
}

void RiskAlerts::onTrading(const Event& event)
{
    if (event.name != QLatin1String("risk_status_update"))
        return;
    const QJsonObject data = event.data.object();
    const QString status = data.value(u"status"_s).toString();
    const bool entered = status == hardStop && m_status != hardStop;
    m_status = status;
    if (!entered)
        return;
    QJsonObject alert{
        {u"alert_type"_s, u"risk_hard_stop"_s},
        {u"severity"_s, u"critical"_s},
        {u"message"_s,
         data.contains(u"drawdown_pct"_s)
             ? u"Trading hard stop: drawdown %1 %, daily loss %2 %"_s.arg(
                   percent(data.value(u"drawdown_pct"_s)), percent(data.value(u"daily_loss_pct"_s)))
             : u"Trading hard stop"_s},
        {u"timestamp"_s, Json::isoNow()},
    };
    for (const QString& field : {u"drawdown_pct"_s, u"daily_loss_pct"_s}) {
        if (data.contains(field))
            alert.insert(field, number(data.value(field)));
    }
    if (data.contains(u"message"_s))
        alert.insert(u"details"_s, data.value(u"message"_s));
    publishSystemAlert(m_hub, alert);
}

} // namespace switchboard
