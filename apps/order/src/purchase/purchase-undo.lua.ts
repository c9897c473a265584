/**
 * Compensation of an admitted purchase whose request message could not be sent: gives the units and
 * the buyer's allowance back — unless the purchase consumer already claimed the ticket, which proves
 * the message was stored after all (a send can fail on a lost reply after the broker stored it).
 */
export const PURCHASE_UNDO_LUA = `
--[[
  Undoes one admitted purchase, at most once, and only if its request was never consumed.

  Input:
    KEYS[1] stock key   integer: units left to sell
    KEYS[2] buyers key  hash: userId -> units bought
    KEYS[3] tickets key hash: ticket -> CLAIMED (by the purchase consumer) | VOIDED (by this script)

    ARGV[1] ticket
    ARGV[2] userId
    ARGV[3] quantity

  Output:
     1 - undone: the ticket is now VOIDED, stock and buyers[userId] given back
     0 - not undone: the ticket was already claimed (its order exists or is being created) or voided
]]
if redis.call('HSETNX', KEYS[3], ARGV[1], 'VOIDED') == 0 then
  return 0
end
redis.call('INCRBY', KEYS[1], ARGV[3])
local left = redis.call('HINCRBY', KEYS[2], ARGV[2], -tonumber(ARGV[3]))
if left <= 0 then
  redis.call('HDEL', KEYS[2], ARGV[2])
end
return 1
`;
