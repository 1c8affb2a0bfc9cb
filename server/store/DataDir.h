#pragma once

// Where the hub keeps its files (database, reports, uploads): --data-dir, or else the
// platform's AppDataLocation.

#include <QString>

namespace switchboard {

struct HubConfig;

QString resolveDataDir(const HubConfig& config);

} // namespace switchboard
