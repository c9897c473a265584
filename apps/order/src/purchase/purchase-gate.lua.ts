// Lua sources live in .ts files so that the build (which compiles .ts only) ships them with the code.

/**
 * The purchase gate's admission script. Redis runs it atomically, so no two buyers can both see the
 * last unit.
 */
export const PURCHASE_GATE_LUA = `
--[[
  Admits one purchase in a flash sale, or says why not.

  Input:
    KEYS[1] meta key   hash: startsAt, endsAt (epoch ms), perUserLimit, sku
    KEYS[2] stock key  integer: units left to sell
    KEYS[3] buyers key hash: userId -> units bought in this sale

    ARGV[1] userId
    ARGV[2] quantity   positive integer
    ARGV[3] now        epoch ms (the caller's clock)

  Output: { code, stock left (after the purchase if admitted), sku }
     1 - admitted: stock decremented by quantity, buyers[userId] incremented by quantity
    -1 - no such sale (no meta hash)
    -2 - the sale has not started (now < startsAt)
    -3 - the sale has ended (now >= endsAt)
    -4 - quantity alone is above perUserLimit (a bad request, not a lost race)
    -5 - already bought: bought + quantity would pass perUserLimit
    -6 - sold out: fewer than quantity units left
]]
local meta = redis.call('HMGET', KEYS[1], 'startsAt', 'endsAt', 'perUserLimit', 'sku')
if not meta[1] then
  return { -1, 0, '' }
end
local now = tonumber(ARGV[3])
local quantity = tonumber(ARGV[2])
local sku = meta[4] or ''
local stock = tonumber(redis.call('GET', KEYS[2]) or '0')

if now < tonumber(meta[1]) then
  return { -2, stock, sku }
end
if now >= tonumber(meta[2]) then
  return { -3, stock, sku }
end
local limit = tonumber(meta[3])
if quantity > limit then
  return { -4, stock, sku }
end
local bought = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if bought + quantity > limit then
  return { -5, stock, sku }
end
if stock < quantity then
  return { -6, stock, sku }
end

stock = redis.call('DECRBY', KEYS[2], quantity)
redis.call('HINCRBY', KEYS[3], ARGV[1], quantity)
return { 1, stock, sku }
`;
