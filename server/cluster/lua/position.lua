-- Where a topic stands: its epoch, its newest seq, and the newest of the publications after a
-- seq, so that a node can fill its history, or deliver what it missed.
-- KEYS[1]  the topic's meta hash {e: epoch, s: newest seq}
-- KEYS[2]  the topic's history stream
-- ARGV[1]  the seq after which publications are wanted
-- ARGV[2]  at most this many (the newest)
-- ARGV[3]  seconds the meta is kept
-- ARGV[4]  the epoch to start with when the topic has none
-- Returns {seq, epoch, entries}: entries newest first, each {id "seq-0", {"d", body}}.
local meta = redis.call('hmget', KEYS[1], 'e', 's')
local epoch = meta[1]
local top = tonumber(meta[2]) or 0
if not epoch then
    epoch = ARGV[4]
    redis.call('hset', KEYS[1], 'e', epoch)
    top = 0
end
redis.call('expire', KEYS[1], ARGV[3])
local since = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local entries = {}
if top > since and limit > 0 then
    entries = redis.call('xrevrange', KEYS[2], '+', (since + 1) .. '-0', 'COUNT', limit)
end
return {top, epoch, entries}
