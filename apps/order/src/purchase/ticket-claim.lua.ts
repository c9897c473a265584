/**
 * The purchase consumer's claim on a ticket before it creates the order: the other half of the
 * handshake with PURCHASE_UNDO_LUA, so that a request is either turned into an order or undone,
 * never both.
 */
export const TICKET_CLAIM_LUA = `
--[[
  Claims a ticket for order creation, unless the gate has voided it.

  Input:
    KEYS[1] tickets key hash: ticket -> CLAIMED | VOIDED

    ARGV[1] ticket

  Output:
     1 - claimed (now, or by an earlier delivery of the same request): go ahead
     0 - voided: the gate gave the units back, the request must be dropped
]]
if redis.call('HSETNX', KEYS[1], ARGV[1], 'CLAIMED') == 1 then
  return 1
end
if redis.call('HGET', KEYS[1], ARGV[1]) == 'CLAIMED' then
  return 1
end
return 0
`;
