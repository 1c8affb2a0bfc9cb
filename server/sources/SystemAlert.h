#pragma once

// A `system_alert` (disk nearly full, a risk hard stop) goes to two topics: `status`, where
// document 000's clients of /ws/status read it, and `alerts`, which every 002 connection and
// the console watch without also paying for the status samples.

#include "../hub/Hub.h"

#include <QJsonObject>

namespace switchboard {

inline void publishSystemAlert(Hub& hub, const QJsonObject& alert)
{
    hub.publish(QStringLiteral("status"), QStringLiteral("system_alert"), alert);
    hub.publish(QStringLiteral("alerts"), QStringLiteral("system_alert"), alert);
}

} // namespace switchboard
