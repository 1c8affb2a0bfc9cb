-- Who is in one room, for every node (SPEC §12 "Presence and rooms"), as Centrifugo keeps
-- presence: a hash of the room's connections and a sorted set of when each entry expires. Every
-- node refreshes its own entries well before they expire; the entries of a node that died are
-- not refreshed, and whichever call comes after their time removes them and returns them, so
-- that one node can tell the room.
-- KEYS[1]  the room's hash: connection id -> {"node":..,"info":{..}}
-- KEYS[2]  the room's expiry times: connection id scored by when its entry expires (ms)
-- ARGV[1]  'set' (ARGV[3..]: connection id, entry, ...), 'remove' (ARGV[3..]: connection ids),
--          'list', or 'purge' (ARGV[3..]: names of nodes known gone)
-- ARGV[2]  how long an entry lives unrefreshed (ms)
-- Returns {gone, entries}: the entries removed because they expired or their node is gone
-- (connection id, entry, ...), and for 'list' every entry left (connection id, entry, ...).
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lifetime = tonumber(ARGV[2])
local gone = {}

local function drop(id)
    local entry = redis.call('hget', KEYS[1], id)
    if entry then
        gone[#gone + 1] = id
        gone[#gone + 1] = entry
        redis.call('hdel', KEYS[1], id)
    end
    redis.call('zrem', KEYS[2], id)
end

for _, id in ipairs(redis.call('zrangebyscore', KEYS[2], '-inf', now)) do
    drop(id)
end

local op = ARGV[1]
if op == 'set' then
    for i = 3, #ARGV, 2 do
        redis.call('hset', KEYS[1], ARGV[i], ARGV[i + 1])
        redis.call('zadd', KEYS[2], now + lifetime, ARGV[i])
    end
elseif op == 'remove' then
    for i = 3, #ARGV do
        redis.call('hdel', KEYS[1], ARGV[i])
        redis.call('zrem', KEYS[2], ARGV[i])
    end
elseif op == 'purge' then
    local dead = {}
    for i = 3, #ARGV do
        dead[ARGV[i]] = true
    end
    local all = redis.call('hgetall', KEYS[1])
    for i = 1, #all, 2 do
        local ok, entry = pcall(cjson.decode, all[i + 1])
        if not ok or type(entry) ~= 'table' or dead[entry.node] then
            drop(all[i])
        end
    end
end

-- A room nobody refreshes goes away with its last entry.
if redis.call('zcard', KEYS[2]) == 0 then
    redis.call('del', KEYS[1], KEYS[2])
elseif op == 'set' then
    redis.call('pexpire', KEYS[1], lifetime * 2)
    redis.call('pexpire', KEYS[2], lifetime * 2)
end

local entries = {}
if op == 'list' then
    entries = redis.call('hgetall', KEYS[1])
end
return {gone, entries}
