-- One user's stored 004 notifications (SPEC §6.5, §12 "Registries"), shared by every node.
-- KEYS[1]  the user's notifications: a hash, id -> the notification (JSON)
-- KEYS[2]  their order: a sorted set of ids scored by when they were created (ms)
-- KEYS[3]  the ids read: a set
-- ARGV[1]  'add' (ARGV[2]: how many to keep; ARGV[3..]: id, created at, notification, ...),
--          'unread', or 'read' (ARGV[2]: the id)
-- Returns for 'add' the number kept, for 'unread' the unread notifications oldest first, for
-- 'read' 1 when the user has that notification, else 0.
local op = ARGV[1]
if op == 'add' then
    for i = 3, #ARGV, 3 do
        redis.call('hset', KEYS[1], ARGV[i], ARGV[i + 2])
        redis.call('zadd', KEYS[2], tonumber(ARGV[i + 1]), ARGV[i])
        redis.call('srem', KEYS[3], ARGV[i]) -- stored again: unread again
    end
    local excess = redis.call('zcard', KEYS[2]) - tonumber(ARGV[2])
    if excess > 0 then
        for _, id in ipairs(redis.call('zrange', KEYS[2], 0, excess - 1)) do
            redis.call('hdel', KEYS[1], id)
            redis.call('srem', KEYS[3], id)
        end
        redis.call('zremrangebyrank', KEYS[2], 0, excess - 1)
    end
    return redis.call('zcard', KEYS[2])
elseif op == 'unread' then
    local unread = {}
    for _, id in ipairs(redis.call('zrange', KEYS[2], 0, -1)) do
        if redis.call('sismember', KEYS[3], id) == 0 then
            local notification = redis.call('hget', KEYS[1], id)
            if notification then
                unread[#unread + 1] = notification
            end
        end
    end
    return unread
elseif op == 'read' then
    if redis.call('hexists', KEYS[1], ARGV[2]) == 0 then
        return 0
    end
    redis.call('sadd', KEYS[3], ARGV[2])
    return 1
end
return redis.error_reply('unknown operation')
