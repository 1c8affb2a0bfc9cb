#pragma once

// One Redis reply as a value (RESP2: nil, integer, simple string, bulk string, error, array),
// copied out of hiredis's reply, which it frees when the callback returns. A connection that
// went away before the reply came is an error value too (lost()).

#include <QByteArray>

#include <vector>

struct redisReply;

namespace switchboard {

struct RedisValue {
    enum class Type { Nil, Integer, String, Status, Error, Array };

    Type type = Type::Nil;
    qint64 integer = 0;
    QByteArray string; // String, Status and Error
    std::vector<RedisValue> elements;

    static RedisValue from(const redisReply* reply);
    // The connection was lost (or could not be used) before a reply came.
    static RedisValue lost(const QByteArray& reason);

    bool isError() const { return type == Type::Error; }
    bool isNil() const { return type == Type::Nil; }
    bool isArray() const { return type == Type::Array; }
    // An integer, or a string that holds one.
    qint64 toInteger() const;
    const RedisValue& at(std::size_t index) const;
};

} // namespace switchboard
