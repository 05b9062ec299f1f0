-- The request store's one write (store.ts): a request record replaced only if it still has the
-- version the writer read, with its audit event, its indexes and the claims on its unique values,
-- all or nothing.
--
-- KEYS: record, audit (the request's trail), stream (everyone's), active, pending, channel,
--       byResource (the cloud id's index), updated, requester (the person's requests),
--       tunnelsDown, live (resources the bot created and did not delete), then the request's
--       claim keys.
-- ARGV: expectedVersion ('0': a create), data (the record's JSON), version, event (JSON),
--       active ('1' or '0'), pendingScore, channelScore, requestId, resourceId, updatedScore,
--       claims ('take', 'release' or 'keep'), requesterScore, requesterKeep (how many of a
--       person's requests the index keeps), tunnelsDownScore. An empty score or id: nothing to
--       index (an empty tunnelsDownScore takes the request out of that index), liveScore (the
--       same for live), takeover ('1': a deletion or an adoption that succeeded, which takes the
--       cloud id from whichever request held it; otherwise a request indexes the id only where no
--       other request holds it, and is live or down only while it holds it).
-- Returns 1 on success, 0 on a lost race, or the id of the request holding a claim.
local record, audit, stream, active, pending, channel, byResource, updated =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local requester, tunnelsDown, live = KEYS[9], KEYS[10], KEYS[11]
local firstClaim = 12
local expectedVersion, data, version, event = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local isActive, pendingScore, channelScore, id = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local resourceId, updatedScore, claims = ARGV[9], ARGV[10], ARGV[11]
local requesterScore, requesterKeep, tunnelsDownScore = ARGV[12], tonumber(ARGV[13]), ARGV[14]
local liveScore, takeover = ARGV[15], ARGV[16]

local current = redis.call('HGET', record, 'version')
if expectedVersion == '0' then
  if current then return 0 end
elseif current ~= expectedVersion then
  return 0
end
if claims == 'take' then
  for i = firstClaim, #KEYS do
    local holder = redis.call('GET', KEYS[i])
    if holder and holder ~= id then return holder end
  end
  for i = firstClaim, #KEYS do redis.call('SET', KEYS[i], id) end
elseif claims == 'release' then
  for i = firstClaim, #KEYS do
    if redis.call('GET', KEYS[i]) == id then redis.call('DEL', KEYS[i]) end
  end
end
redis.call('HSET', record, 'data', data, 'version', version)
redis.call('RPUSH', audit, event)
redis.call('XADD', stream, '*', 'event', event)
if isActive == '1' then redis.call('SADD', active, id) else redis.call('SREM', active, id) end
if pendingScore ~= '' then redis.call('ZADD', pending, pendingScore, id) else redis.call('ZREM', pending, id) end
if channelScore ~= '' then redis.call('ZADD', channel, channelScore, id) end
if requesterScore ~= '' then
  redis.call('ZADD', requester, requesterScore, id)
  redis.call('ZREMRANGEBYRANK', requester, 0, -requesterKeep - 1)
end
local holds = false
if resourceId ~= '' then
  local previous = redis.call('GET', byResource)
  if not previous or previous == id or takeover == '1' then
    -- The cloud id passes to another request (a deletion or an adoption that succeeded): the one
    -- that held it no longer speaks for it, and its tunnels are no longer down anywhere.
    if previous and previous ~= id then
      redis.call('ZREM', tunnelsDown, previous)
      redis.call('ZREM', live, previous)
    end
    redis.call('SET', byResource, id)
    holds = true
  end
  -- Otherwise a late write of a request that no longer holds the id (a health look landing after
  -- the bot deleted the resource) changes nothing of who speaks for it.
end
if tunnelsDownScore ~= '' and holds then
  redis.call('ZADD', tunnelsDown, tunnelsDownScore, id)
else
  redis.call('ZREM', tunnelsDown, id)
end
if liveScore ~= '' and holds then
  redis.call('ZADD', live, liveScore, id)
else
  redis.call('ZREM', live, id)
end
redis.call('ZADD', updated, updatedScore, id)
return 1
