#pragma once

// A Lua script the cluster runs in Redis (cluster/lua/*.lua, embedded), with the SHA-1 that
// EVALSHA names it by.

#include <QByteArray>
#include <QString>

namespace switchboard {

struct RedisScript {
    QByteArray source;
    QByteArray sha1; // hex

    // The embedded script :/cluster/<name>.
    static RedisScript load(const QString& name);
};

} // namespace switchboard
