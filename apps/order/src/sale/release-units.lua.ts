/**
 * Gives an order's units back to the sale's Redis stock, at most once per order. The inventory service
 * applies the same rule (the shared `released` set of `flashSaleKeys`) when it restores Redis on
 * ORDER_CLOSED, so whichever service gives a unit back, it is given back once.
 */
export const RELEASE_UNITS_LUA = `
--[[
  Returns an order's units to the stock, once.

  Input:
    KEYS[1] released key  set: order ids whose units were already given back
    KEYS[2] stock key     integer: units left to sell

    ARGV[1] orderId
    ARGV[2] quantity

  Output:
     1 - given back now: stock incremented by quantity
     0 - already given back earlier: nothing changed
]]
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('INCRBY', KEYS[2], ARGV[2])
return 1
`;
