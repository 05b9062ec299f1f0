-- Refused actions, several in one round trip (store.ts), each counted per person, request, action
-- and reason in a tally that lasts one interval: the first refusal of an interval is recorded in
-- its request's audit trail (only on a request that exists: nothing is written for an id no request
-- has) and is the one answered; every later one within the interval only raises the count that
-- event carries, so a burst of clicks leaves one event however long it is.
--
-- KEYS: stream (everyone's trail), then for each refusal its request's record, its audit trail and
--       its tally.
-- ARGV: interval (ms), then for each refusal its event (JSON), its time (ms) and 'audit' (record it
--       where the request exists) or 'count' (count it only).
-- Returns for each refusal { first (1 or 0), times counted in this interval, and for a first one
-- the interval before it: times counted, when it began (0, 0 when none is known) }.
--
-- A tally is a hash: until (the interval's end), times, since (its first refusal's time), and where
-- that refusal was recorded: index (its place in the audit trail) and event (its JSON, to which
-- the count is added). It lives two intervals, so that the next one can say what this one held.
local stream = KEYS[1]
local interval = tonumber(ARGV[1])
local answers = {}
for i = 1, (#ARGV - 1) / 3 do
  local record, audit, tally = KEYS[3 * i - 1], KEYS[3 * i], KEYS[3 * i + 1]
  local event, at, mode = ARGV[3 * i - 1], tonumber(ARGV[3 * i]), ARGV[3 * i + 1]
  local kept = redis.call('HMGET', tally, 'until', 'times', 'since', 'index', 'event')
  if kept[1] and at < tonumber(kept[1]) then
    local times = redis.call('HINCRBY', tally, 'times', 1)
    local index = tonumber(kept[4])
    if index and index < redis.call('LLEN', audit) then
      -- The event as first written, with the count and the latest time added as its last fields.
      local counted = string.sub(kept[5], 1, -2) .. ',"times":' .. times .. ',"lastAt":' .. at .. '}'
      redis.call('LSET', audit, index, counted)
    end
    answers[i] = { 0, times, 0, 0 }
  else
    local before = { tonumber(kept[2]) or 0, tonumber(kept[3]) or 0 }
    redis.call('DEL', tally)
    redis.call('HSET', tally, 'until', at + interval, 'times', 1, 'since', at)
    if mode == 'audit' and redis.call('EXISTS', record) == 1 then
      local index = redis.call('RPUSH', audit, event) - 1
      -- Everyone's trail points at the request's event, which holds the count as it grows.
      redis.call('XADD', stream, '*', 'event', event, 'trail', index)
      redis.call('HSET', tally, 'index', index, 'event', event)
    end
    redis.call('PEXPIRE', tally, 2 * interval)
    answers[i] = { 1, 1, before[1], before[2] }
  end
end
return answers
