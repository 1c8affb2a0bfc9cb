#pragma once

// Where one Redis instance is: `redis://[user:password@]host[:port][/db]` (SPEC §12), or the
// seeds' REDIS_HOST and REDIS_PORT.

#include <QString>

#include <variant>

namespace switchboard {

struct RedisUrl {
    QString host;
    quint16 port = 6379;
    QString user;
    QString password;
    int database = 0;

    // The URL as given, or a one-line reason it is not one ("--redis: ...").
    static std::variant<RedisUrl, QString> parse(const QString& text);
    // host:port[/db], for logs and the console: never the password.
    QString display() const;

    friend bool operator==(const RedisUrl&, const RedisUrl&) = default;
};

} // namespace switchboard
