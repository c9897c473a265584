/**
 * JSON bodies (heartbeat, route, lock batch, …): RocketMQ puts these structures in the body of a
 * command, not in its header, encoded with fastjson.
 */
import { JsonBodyError, parseLenientJson, stringifyFastjson } from './fastjson';

/** STANDARD for 4.9.4+ peers and every Java body but route/cluster info; FASTJSON for older readers. */
export type JsonDialect = 'STANDARD' | 'FASTJSON';

export function encodeJsonBody(value: unknown, dialect: JsonDialect = 'STANDARD'): Buffer {
  const text = dialect === 'FASTJSON' ? stringifyFastjson(value) : JSON.stringify(value);
  return Buffer.from(text, 'utf8');
}

/**
 * Parses a body in either dialect. The result is not validated against `T`: callers check the fields
 * they depend on, as a Java peer's fastjson would only fail on those.
 */
export function decodeJsonBody<T>(body: Buffer | undefined): T {
  if (!body || body.length === 0) throw new JsonBodyError('expected a JSON body but the command has none');
  return parseLenientJson(body.toString('utf8')) as T;
}
