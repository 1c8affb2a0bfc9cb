#pragma once

// The Settings dock's settings to a file and back (SPEC §13's export): an INI file with the
// long options of --help as keys, the same format `--config FILE` reads, so a file written by
// the console also configures switchboard-server. Secrets are never written (the JWT secret
// lives in the keychain or JWT_SECRET_KEY); reading goes through ConfigLoader, so a bad value
// is refused with the same one-line error the programs give.

#include "config/HubConfig.h"

#include <QString>

#include <variant>

namespace switchboard {

class SettingsFile {
public:
    static std::optional<QString> write(const HubConfig& config, const QString& path);
    // The settings of the file laid over `base` (what the file does not set stays), or why not.
    static std::variant<HubConfig, QString> read(const QString& path, const HubConfig& base);
};

} // namespace switchboard
