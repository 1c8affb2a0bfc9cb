#pragma once

// The JWT secret's home: the operating system's keychain, through QtKeychain (the Secret
// Service on Linux, the Keychain on macOS, the Credential Store on Windows). The secret is
// generated on first use and read back on every later start (the console's Settings can
// replace it with a new one); it is never written anywhere else. When no keychain can be reached
// the caller gets the reason and decides (the hub refuses to start rather than fall back to a
// plain-text file).

#include <QByteArray>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

class QObject;

namespace switchboard {

class SecretStore {
public:
    // `service` names the keychain entry's owner ("Switchboard").
    explicit SecretStore(QString service);

    struct Result {
        QByteArray secret; // empty on failure
        QString error;     // why the keychain could not be used
        bool created = false;
    };

    // The stored JWT secret, or a new random one stored now. Blocks (running a local event
    // loop) until the keychain answers or `timeout` passes.
    Result jwtSecret(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    // Removes the stored secret (tests, and operators rotating the key).
    std::optional<QString> forgetJwtSecret() const;

    // A new random secret of the kind made at first start: 32 random bytes as base64 text.
    static QByteArray generateJwtSecret();

    // Stores `secret` in place of the stored one without blocking the caller's event loop:
    // `done` is called later in `context`'s thread with nothing once the keychain has it, or
    // with the reason it has not (the keychain refused, or did not answer within `timeout`).
    // Not called if `context` is destroyed first.
    using Done = std::function<void(const std::optional<QString>& error)>;
    void replaceJwtSecret(const QByteArray& secret, QObject* context, Done done,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    static inline const QString JwtSecretKey = QStringLiteral("jwt-secret");

private:
    QString m_service;
};

} // namespace switchboard
