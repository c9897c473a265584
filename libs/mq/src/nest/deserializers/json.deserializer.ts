import { type IncomingEvent } from '@nestjs/microservices';
import { type MessageExt } from '../../client';
import { type RocketMQDeserializer } from '../interfaces/rocketmq-options.interface';

/**
 * The default deserializer of RocketMQServer: pattern = the message's topic, data = the body parsed
 * as JSON.
 *
 * A body that is not JSON (a producer outside Nest sent plain text, or the JSON is malformed) is
 * delivered as its UTF-8 string instead of failing the message: retrying cannot make it parse, so a
 * failure here would only walk the message through 16 retries into the DLQ. The handler decides —
 * a handler (or a validation pipe) that rejects the string sends it down that path on purpose. The
 * raw bytes are always in `ctx.getMessage().body`.
 */
export class JsonDeserializer implements RocketMQDeserializer {
  deserialize(message: MessageExt): IncomingEvent {
    return { pattern: message.topic, data: parseBody(message.body) };
  }
}

export function parseBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
