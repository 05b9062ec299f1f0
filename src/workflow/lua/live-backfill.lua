-- A resource the bot created, put in the live index (the health sweep's list) when its request
-- still speaks for it: the cloud id's index names that request, so no deletion has taken the id
-- since (store.ts, backfillLive). Kept from the commit's own rule: a record written since the last
-- version already holds its place, and this adds only what is missing.
--
-- KEYS: byResource (the cloud id's index), live.
-- ARGV: requestId, liveScore.
local byResource, live = KEYS[1], KEYS[2]
local id, score = ARGV[1], ARGV[2]
if redis.call('GET', byResource) == id then
  return redis.call('ZADD', live, 'NX', score, id)
end
return 0
