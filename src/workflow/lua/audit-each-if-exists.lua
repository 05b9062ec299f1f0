-- Several refusals written in one round trip (store.ts), each only if its request exists: nothing
-- is written for an id no request has (a forged or mistyped one).
--
-- KEYS: stream (everyone's trail), then for each event its request's record and audit trail.
-- ARGV: the events' JSON, in the same order.
-- Returns 1 or 0 per event: recorded or not.
local stream = KEYS[1]
local recorded = {}
for i = 1, #ARGV do
  local record, audit = KEYS[2 * i], KEYS[2 * i + 1]
  if redis.call('EXISTS', record) == 1 then
    redis.call('RPUSH', audit, ARGV[i])
    redis.call('XADD', stream, '*', 'event', ARGV[i])
    recorded[i] = 1
  else
    recorded[i] = 0
  end
end
return recorded
