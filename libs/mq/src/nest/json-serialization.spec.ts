import { type MessageExt } from '../client';
import { JsonDeserializer } from './deserializers/json.deserializer';
import { JsonSerializer } from './serializers/json.serializer';

const message = (body: string | Buffer): MessageExt =>
  ({ topic: 'T', body: Buffer.isBuffer(body) ? body : Buffer.from(body) }) as MessageExt;

describe('JSON (de)serialization', () => {
  const serializer = new JsonSerializer();
  const deserializer = new JsonDeserializer();

  it.each([[{ orderId: 'o-1', n: 2 }], ['a string'], ['123'], [42], [true], [null], [[1, 2]]])(
    'round-trips %j',
    (value) => {
      const body = serializer.serialize(value);
      expect(deserializer.deserialize(message(body))).toEqual({ pattern: 'T', data: value });
    },
  );

  it('sends a Buffer as it is', () => {
    const buffer = Buffer.from([0, 1, 2]);
    expect(serializer.serialize(buffer)).toBe(buffer);
  });

  it.each([['plain text'], ['{"broken":'], ['']])('hands the non-JSON body %j over as a string', (body) => {
    expect(deserializer.deserialize(message(body)).data).toBe(body);
  });
});
