#include "config/HubConfig.h"

#include <QDir>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace switchboard {

QString authModeName(AuthMode mode)
{
    // These are also the values --auth accepts, so they are never translated.
    switch (mode) {
    case AuthMode::Required:
        return u"required"_s;
    case AuthMode::Optional:
        return u"optional"_s;
    case AuthMode::Off:
        return u"off"_s;
    }
    Q_UNREACHABLE();
    return {};
}

HubConfig withResolvedDirectories(HubConfig config)
{
    if (config.dataDir.isEmpty())
        config.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (config.entitiesDir.isEmpty())
        config.entitiesDir = QDir(config.dataDir).filePath(QStringLiteral("entities"));
    return config;
}

} // namespace switchboard
