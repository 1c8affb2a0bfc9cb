-- Writes one cell of a 004 sheet if its version allows it (SPEC §6.5, §12): a compare-and-set
-- that runs atomically, so two nodes can never both accept the same version.
-- KEYS[1]  the sheet's hash: a field per cell, {"version":N,"formula":..,"updated_at":..,
--          "updated_by":..,"value":..} (the version first, where this script finds it)
-- KEYS[2]  the room's sheets, a list in the order they were first written
-- ARGV[1]  the sheet id
-- ARGV[2]  the cell id
-- ARGV[3]  the version the writer sent, or '' for none (last writer wins)
-- ARGV[4]  the cell without its version, a JSON object: {"formula":..,...}
-- ARGV[5]  the most sheets a room holds
-- ARGV[6]  the most cells a sheet holds
-- Returns {'written', cell} | {'conflict', current cell} | {'sheets'} | {'cells'}.
local current = redis.call('hget', KEYS[1], ARGV[2])
local stored = 0
local newSheet = false
if current then
    stored = tonumber(string.match(current, '^{"version":(%d+)'))
elseif redis.call('exists', KEYS[1]) == 0 then
    if redis.call('llen', KEYS[2]) >= tonumber(ARGV[5]) then
        return {'sheets'}
    end
    newSheet = true
elseif redis.call('hlen', KEYS[1]) >= tonumber(ARGV[6]) then
    return {'cells'}
end
local sent = tonumber(ARGV[3])
if sent and sent < stored then
    return {'conflict', current}
end
local version = stored
if sent and sent > version then
    version = sent
end
-- Versions stay below 2^53, exact in Lua's numbers; %.0f prints them whole.
local cell = '{"version":' .. string.format('%.0f', version + 1) .. ',' .. string.sub(ARGV[4], 2)
redis.call('hset', KEYS[1], ARGV[2], cell)
if newSheet then
    redis.call('rpush', KEYS[2], ARGV[1])
end
return {'written', cell}
