import { type RocketMQSerializer } from '../interfaces/rocketmq-options.interface';

/**
 * The default body serializer of RocketMQClient: JSON for every value (so a string arrives as a
 * string, not as whatever it happens to parse to); a Buffer is sent as it is, for binary payloads.
 */
export class JsonSerializer implements RocketMQSerializer {
  serialize(value: unknown): Buffer | string {
    if (Buffer.isBuffer(value)) return value;
    return JSON.stringify(value);
  }
}
