#include "DataDir.h"

#include "../config/HubConfig.h"

#include <QStandardPaths>

namespace switchboard {

QString resolveDataDir(const HubConfig& config)
{
    if (!config.dataDir.isEmpty())
        return config.dataDir;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

} // namespace switchboard
