-- Who is in one room, for every node (SPEC §12 "Presence and rooms"), as Centrifugo keeps
-- presence: a hash of the room's connections and a sorted set of when each entry expires. Every
-- node refreshes its own entries well before they expire; the entries of a node that died are
-- not refreshed, and whichever call comes after their time removes them and returns them, so
-- that one node can tell the room.
-- A room may belong to an owner (004: a tenant): the first 'join' into the empty room claims
-- it, a 'join' of another owner is refused while anybody is in it, and the claim goes with the
-- room's last entry (left, purged, or expired with its node).
-- KEYS[1]  the room's hash: connection id -> {"node":..,"info":{..}}
-- KEYS[2]  the room's expiry times: connection id scored by when its entry expires (ms)
-- KEYS[3]  the room's owner
-- ARGV[1]  'set' (ARGV[4..]: connection id, entry, ...), 'join' (the same, with an owner),
--          'remove' (ARGV[4..]: connection ids), 'list', 'owner' (nothing but the owner), or
--          'purge' (ARGV[4..]: names of nodes known gone)
-- ARGV[2]  how long an entry lives unrefreshed (ms)
-- ARGV[3]  the owner of the room for 'join' and 'set' (a 'set' claims an unclaimed room: a
--          refresh after Redis lost its data); empty for a room nobody owns
-- Returns {gone, entries, owner}: the entries removed because they expired or their node is
-- gone (connection id, entry, ...), for 'list' every entry left (connection id, entry, ...), and
-- the room's owner after the call ('' when nobody owns it). A 'join' whose owner is not the
-- one returned was refused and wrote nothing.
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lifetime = tonumber(ARGV[2])
local owner = ARGV[3]
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
if op == 'join' then
    -- An empty room is nobody's, whatever a claim outliving its entries says.
    if redis.call('zcard', KEYS[2]) == 0 then
        redis.call('del', KEYS[3])
    end
    local current = redis.call('get', KEYS[3])
    if current and current ~= owner then
        return {gone, {}, current}
    end
    redis.call('set', KEYS[3], owner)
    op = 'set'
elseif op == 'set' and owner ~= '' then
    redis.call('set', KEYS[3], owner, 'NX')
end

if op == 'set' then
    for i = 4, #ARGV, 2 do
        redis.call('hset', KEYS[1], ARGV[i], ARGV[i + 1])
        redis.call('zadd', KEYS[2], now + lifetime, ARGV[i])
    end
elseif op == 'remove' then
    for i = 4, #ARGV do
        redis.call('hdel', KEYS[1], ARGV[i])
        redis.call('zrem', KEYS[2], ARGV[i])
    end
elseif op == 'purge' then
    local dead = {}
    for i = 4, #ARGV do
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

-- A room nobody refreshes goes away with its last entry, and its claim with it.
if redis.call('zcard', KEYS[2]) == 0 then
    redis.call('del', KEYS[1], KEYS[2], KEYS[3])
elseif op == 'set' then
    redis.call('pexpire', KEYS[1], lifetime * 2)
    redis.call('pexpire', KEYS[2], lifetime * 2)
    redis.call('pexpire', KEYS[3], lifetime * 2)
end

local entries = {}
if op == 'list' then
    entries = redis.call('hgetall', KEYS[1])
end
return {gone, entries, redis.call('get', KEYS[3]) or ''}
