#include "RedisValue.h"

#include <hiredis/hiredis.h>

namespace switchboard {

RedisValue RedisValue::from(const redisReply* reply)
{
    RedisValue value;
    if (!reply)
        return lost("no reply");
    switch (reply->type) {
    case REDIS_REPLY_INTEGER:
        value.type = Type::Integer;
        value.integer = reply->integer;
        break;
    case REDIS_REPLY_STRING:
        value.type = Type::String;
        value.string = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_STATUS:
        value.type = Type::Status;
        value.string = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ERROR:
        value.type = Type::Error;
        value.string = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ARRAY:
        value.type = Type::Array;
        value.elements.reserve(reply->elements);
        for (std::size_t i = 0; i < reply->elements; ++i)
            value.elements.push_back(from(reply->element[i]));
        break;
    default:
        value.type = Type::Nil;
        break;
    }
    return value;
}

RedisValue RedisValue::lost(const QByteArray& reason)
{
    RedisValue value;
    value.type = Type::Error;
    value.string = QByteArray("CONNECTION ").append(reason);
    return value;
}

qint64 RedisValue::toInteger() const
{
    if (type == Type::Integer)
        return integer;
    return string.toLongLong();
}

const RedisValue& RedisValue::at(std::size_t index) const
{
    static const RedisValue nil;
    return index < elements.size() ? elements[index] : nil;
}

} // namespace switchboard
