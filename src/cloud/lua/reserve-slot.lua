-- Reserves a cloud call's slot under Alibaba's rate limit (rate-limiter.ts): GCRA without burst,
-- slots one interval apart on Redis's own clock. A call with a ClientToken whose slot is too far
-- away holds it as a ticket under that token, and takes it when it comes back.
--
-- KEYS: slot (the next free slot of one region and action, ms on Redis's clock),
--       ticket (the slot one call holds, by its ClientToken).
-- ARGV: intervalMs (between slots), maxWaitMs (the longest acceptable wait),
--       graceMs (how late a ticket may still be used), ticketed ('1' when the call may hold one).
-- Returns { 1, wait }: go after the wait; { 2, wait }: the slot is held as a ticket, come back
-- for it; { 0, wait }: nothing reserved.
local slotKey, ticketKey = KEYS[1], KEYS[2]
local interval, maxWait, grace = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local ticketed = ARGV[4] == '1'

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
if ticketed then
  local held = redis.call('GET', ticketKey)
  if held then
    local wait = tonumber(held) - now
    if wait > maxWait then return { 2, tostring(wait) } end
    redis.call('DEL', ticketKey)
    if wait >= -grace then return { 1, tostring(math.max(wait, 0)) } end
  end
end
local slot = math.max(tonumber(redis.call('GET', slotKey) or '0'), now)
local wait = slot - now
if wait > maxWait and not ticketed then return { 0, tostring(wait) } end
local after = slot + interval
redis.call('SET', slotKey, tostring(after), 'PX', math.ceil(after - now) + 1000)
if wait <= maxWait then return { 1, tostring(wait) } end
redis.call('SET', ticketKey, tostring(slot), 'PX', math.ceil(wait + grace) + 1000)
return { 2, tostring(wait) }
