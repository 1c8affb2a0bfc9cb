#pragma once

// The --demo feed (SPEC §6.4): plays a DemoTradingModel on a timer in the hub thread and
// publishes each step on `trading`, so a new user sees a live console at once. A hard stop
// also raises a system_alert on `status`, as SPEC §6.2 asks.

#include "DemoTradingModel.h"

#include <QObject>
#include <QTimer>

#include <chrono>

namespace switchboard {

class Hub;

class DemoTrading : public QObject {
    Q_OBJECT

public:
    DemoTrading(Hub& hub, quint64 seed, std::chrono::milliseconds interval,
                QObject* parent = nullptr);

    const DemoTradingModel& model() const { return m_model; }

private:
    void tick();

    Hub& m_hub;
    DemoTradingModel m_model;
    QTimer m_timer;
};

} // namespace switchboard
