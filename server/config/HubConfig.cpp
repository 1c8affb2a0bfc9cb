#include "config/HubConfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

#include <algorithm>

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

std::optional<QString> nodeNameProblem(const QString& name)
{
    if (name.isEmpty() || name.size() > 100 ||
        std::any_of(name.cbegin(), name.cend(),
                    [](QChar ch) { return ch.isSpace() || !ch.isPrint(); }))
        return QCoreApplication::translate("HubConfig", "\"%1\" is not a node name (1 to 100 "
                                                        "printable characters, no spaces)")
            .arg(name.left(200));
    return std::nullopt;
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
