#pragma once

// Builds the hub's settings for both executables from the command line, the environment, an
// INI file and the defaults (highest precedence first), with --help, --version and one-line
// errors that name the setting.

#include "config/HubConfig.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace switchboard {

// What the program does next: run with `config`, or write `output` and exit with `exitCode`.
// `output` belongs on stdout when exitCode is 0 (--help, --version) and on stderr otherwise
// (one line naming the bad setting).
struct ConfigLoadResult {
    enum class Kind { Run, Exit };

    Kind kind = Kind::Run;
    HubConfig config;
    int exitCode = 0;
    QString output;
};

class ConfigLoader {
    Q_DECLARE_TR_FUNCTIONS(ConfigLoader)

public:
    // The exit code of every bad setting, as the spec promises.
    static constexpr int BadSettingExitCode = 2;

    // `programName` starts every error line and the --version line ("switchboard-server");
    // `description` is the sentence under the usage line of --help.
    ConfigLoader(QString programName, QString description);

    // `arguments` as QCoreApplication::arguments() gives them: the first is the program.
    // `environment` is passed in rather than read so tests can run every case in-process.
    ConfigLoadResult load(const QStringList& arguments,
                          const QProcessEnvironment& environment) const;

private:
    ConfigLoadResult exitWithError(const QString& message) const;
    QString helpText() const;

    QString m_programName;
    QString m_description;
};

} // namespace switchboard
