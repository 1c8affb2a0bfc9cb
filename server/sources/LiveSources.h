#pragma once

// The hub's built-in producers of events (SPEC §6), made from the settings: the log bridge,
// system metrics, and with --demo the simulated trading book. Owned by HubCore, created and
// destroyed in the hub thread, after the Hub they publish to and before it goes.

#include <memory>

namespace switchboard {

class DemoTrading;
class RiskAlerts;
class Hub;
class LogBridge;
class SystemMetrics;
struct HubConfig;

class LiveSources {
public:
    LiveSources(const HubConfig& config, Hub& hub);
    ~LiveSources();
    LiveSources(const LiveSources&) = delete;
    LiveSources& operator=(const LiveSources&) = delete;

    SystemMetrics& systemMetrics() { return *m_systemMetrics; }
    DemoTrading* demoTrading() { return m_demoTrading.get(); } // null without --demo

private:
    // Declared first, so destroyed last: what the others log while they stop still goes out.
    std::unique_ptr<LogBridge> m_logBridge;
    std::unique_ptr<SystemMetrics> m_systemMetrics;
    std::unique_ptr<RiskAlerts> m_riskAlerts;
    std::unique_ptr<DemoTrading> m_demoTrading;
};

} // namespace switchboard
