-- An action that changed nothing (a refused click, a skipped duplicate) in a request's audit
-- trail and in everyone's (store.ts).
--
-- KEYS: audit (the request's trail), stream (everyone's).
-- ARGV: event (JSON).
local audit, stream = KEYS[1], KEYS[2]
local event = ARGV[1]
redis.call('RPUSH', audit, event)
redis.call('XADD', stream, '*', 'event', event)
return 1
