#pragma once

// `switchboard-server token issue --sub alice --role admin --tenant acme --ttl 24h` (SPEC §1):
// prints a JWT signed with what the hub verifies with: JWT_SECRET_KEY, else the secret in the
// OS keychain (HS256), or with --jwt-private-key FILE (RS256, for hubs run with
// --jwt-public-key).

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace switchboard {

struct TokenCommandResult {
    int exitCode = 0;
    QString output; // stdout on success, one line for stderr otherwise
};

// True when the command line asks for the token command (its first argument is "token").
bool isTokenCommand(const QStringList& arguments);
// `arguments` as QCoreApplication::arguments() gives them: program, "token", "issue", ...
TokenCommandResult runTokenCommand(const QStringList& arguments,
                                   const QProcessEnvironment& environment,
                                   const QString& keychainService);

} // namespace switchboard
