/** A fixed one-second window counter per user, checked before the gate so floods cost one INCR. */
export const RATE_LIMIT_LUA = `
--[[
  Counts one request in the current window.

  Input:
    KEYS[1] counter key (one per user and window)

    ARGV[1] window length in ms (the key's time to live)

  Output: the number of requests in this window, this one included
]]
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count
`;
