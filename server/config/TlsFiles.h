#pragma once

// Reads the TLS certificate chain and private key (PEM) that --tls-cert and --tls-key name,
// into the server-side configuration every accepted socket is given.

#include <QSslConfiguration>
#include <QString>

#include <optional>
#include <variant>

namespace switchboard {

// The server configuration, or a one-line reason naming the setting at fault.
std::variant<QSslConfiguration, QString> loadTlsConfiguration(const QString& certificateFile,
                                                              const QString& keyFile);
// Only the reason, for the settings check at start-up.
std::optional<QString> tlsFilesProblem(const QString& certificateFile, const QString& keyFile);

} // namespace switchboard
