import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

/**
 * A Lua script run with EVALSHA, falling back to EVAL when the server does not have it cached yet (a
 * fresh or restarted Redis): the body crosses the network once, not with every purchase.
 *
 * Lua scripts are how the gate stays atomic: Redis runs a script start to finish with no other
 * command in between, so "check the window, the limit and the stock, then decrement" cannot
 * interleave with another buyer's check.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(
    readonly name: string,
    private readonly source: string,
    private readonly numberOfKeys: number,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run<T>(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<T> {
    if (keys.length !== this.numberOfKeys) {
      throw new Error(`${this.name} takes ${this.numberOfKeys} keys, got ${keys.length}`);
    }
    try {
      return (await redis.evalsha(this.sha, this.numberOfKeys, ...keys, ...args)) as T;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await redis.eval(this.source, this.numberOfKeys, ...keys, ...args)) as T;
    }
  }
}
