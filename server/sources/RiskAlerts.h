#pragma once

// Raises a `system_alert` when the trading book enters a hard stop (SPEC §6.2), whoever
// reports it: the demo feed or a service publishing risk_status_update on `trading`. Only the
// transition into hard_stop alerts; staying there, or soft pauses, do not.

#include <QString>

namespace switchboard {

class Hub;
struct Event;

class RiskAlerts {
public:
    explicit RiskAlerts(Hub& hub);
    ~RiskAlerts();
    RiskAlerts(const RiskAlerts&) = delete;
    RiskAlerts& operator=(const RiskAlerts&) = delete;

private:
    void onTrading(const Event& event);

    Hub& m_hub;
    QString m_status; // the last risk status seen
};

} // namespace switchboard
