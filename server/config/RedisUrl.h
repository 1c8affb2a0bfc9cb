#pragma once

// Where one Redis instance is: `redis://[user:password@]host[:port][/db]` (SPEC §12), or the
// seeds' REDIS_HOST and REDIS_PORT.

#include <QString>

#include <variant>
#include <vector>

namespace switchboard {

struct RedisUrl {
    QString host;
    quint16 port = 6379;
    QString user;
    QString password;
    int database = 0;

    // The URL as given, or a one-line reason it is not one ("--redis: ...").
    static std::variant<RedisUrl, QString> parse(const QString& text);
    // A comma-separated list (`--redis a,b`): every URL once, or why it is not one.
    static std::variant<std::vector<RedisUrl>, QString> parseList(const QString& text);
    // host:port[/db], for logs and the console: never the password.
    QString display() const;
    // The whole URL, password included, that parse() reads back: for the settings form and
    // the settings file the operator keeps, never for logs.
    QString toString() const;

    friend bool operator==(const RedisUrl&, const RedisUrl&) = default;
};

} // namespace switchboard
