-- Numbers a publication in its topic, keeps it in the topic's history and sends it to every
-- node that watches the topic, in one step: a script runs atomically, so the seq order is the
-- order every node receives them in.
-- KEYS[1]  the topic's meta hash {e: epoch, s: newest seq}
-- KEYS[2]  the topic's history, a stream whose entry ids are the seqs
-- ARGV[1]  the publication's body
-- ARGV[2]  the channel the nodes watching the topic subscribe to
-- ARGV[3]  how many publications the history keeps
-- ARGV[4]  seconds the history is kept after the topic's last publication
-- ARGV[5]  seconds the meta is kept after it (a topic unused that long starts a new epoch)
-- ARGV[6]  the epoch to start with when the topic has none (new, or its meta was lost)
-- Returns {seq, epoch}; the channel gets "seq:epoch:body".
local epoch = redis.call('hget', KEYS[1], 'e')
if not epoch then
    epoch = ARGV[6]
    redis.call('hset', KEYS[1], 'e', epoch)
end
local seq = redis.call('hincrby', KEYS[1], 's', 1)
redis.call('expire', KEYS[1], ARGV[5])
if seq == 1 then
    -- A new numbering: a history left from an earlier one (its meta lost) must not mix in.
    redis.call('del', KEYS[2])
end
redis.call('xadd', KEYS[2], 'MAXLEN', '~', ARGV[3], seq .. '-0', 'd', ARGV[1])
redis.call('expire', KEYS[2], ARGV[4])
redis.call('publish', ARGV[2], seq .. ':' .. epoch .. ':' .. ARGV[1])
return {seq, epoch}
