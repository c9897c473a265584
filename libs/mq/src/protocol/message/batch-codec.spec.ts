import { decodeBatchBody, encodeBatchBody, type BatchMessage } from './batch-codec';
import { MessageFormatError } from './message-format-error';

const MESSAGES: BatchMessage[] = [
  { flag: 0, body: Buffer.from('Hello'), properties: { TAGS: 'TagA', UNIQ_KEY: 'ID1' } },
  { flag: 9, body: Buffer.alloc(0), properties: {} },
  { flag: -1, body: Buffer.from('秒杀'), properties: { KEYS: 'a b' } },
];

describe('batch body', () => {
  it('writes TOTALSIZE, zero MAGIC and BODYCRC, FLAG, body and properties per message', () => {
    const buf = encodeBatchBody([MESSAGES[0]]);
    const props = Buffer.from('TAGS\u0001TagA\u0002UNIQ_KEY\u0001ID1');
    const expected = Buffer.alloc(22 + 5 + props.length);
    expected.writeInt32BE(expected.length, 0);
    expected.writeInt32BE(0, 4);
    expected.writeInt32BE(0, 8);
    expected.writeInt32BE(0, 12);
    expected.writeInt32BE(5, 16);
    expected.write('Hello', 20);
    expected.writeInt16BE(props.length, 25);
    props.copy(expected, 27);
    expect(buf).toEqual(expected);
  });

  it('round-trips several messages', () => {
    const decoded = decodeBatchBody(encodeBatchBody(MESSAGES));
    expect(decoded).toEqual(MESSAGES);
  });

  it('decodes an empty body to no messages', () => {
    expect(decodeBatchBody(Buffer.alloc(0))).toEqual([]);
  });

  it('throws MALFORMED_BATCH for every truncation and for lying lengths', () => {
    const buf = encodeBatchBody(MESSAGES);
    const boundaries = new Set<number>([0]);
    for (let pos = 0; pos < buf.length; pos += buf.readInt32BE(pos)) boundaries.add(pos);
    for (let length = 1; length < buf.length; length++) {
      if (boundaries.has(length)) continue;
      expect(() => decodeBatchBody(buf.subarray(0, length))).toThrow(MessageFormatError);
    }
    const lying = Buffer.from(buf);
    lying.writeInt32BE(1000, 16);
    expect(() => decodeBatchBody(lying)).toThrow(expect.objectContaining({ reason: 'MALFORMED_BATCH' }));
  });
});
