import { crc32 } from 'node:zlib';
import { MessageFormatError } from './message-format-error';
import type { MessageRecord } from './message-record';
import {
  BLANK_MAGIC_CODE,
  MESSAGE_MAGIC_CODE,
  StoredMessageLayout,
  decodeStoredMessage,
  decodeStoredMessages,
  encodeBlankMarker,
  encodeStoredMessage,
  encodeStoredMessageInto,
  patchStoredMessage,
  storeTimestampOffset,
  storedMessageLength,
  storedMessageLengthOf,
} from './stored-message-codec';

const PROPERTIES =
  'KEYS\u0001order-42\u0002TAGS\u0001TagA\u0002UNIQ_KEY\u00017F0000010C6418B4AAC2117B0A2C0000';

function sampleMessage(overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    topic: 'TopicTest',
    queueId: 3,
    flag: 7,
    body: Buffer.from('Hello'),
    properties: { KEYS: 'order-42', TAGS: 'TagA', UNIQ_KEY: '7F0000010C6418B4AAC2117B0A2C0000' },
    sysFlag: 0,
    bornTimestamp: 1_700_000_000_123,
    bornHost: { host: '192.168.1.20', port: 51234 },
    storeTimestamp: 1_700_000_000_456,
    storeHost: { host: '10.0.0.5', port: 10911 },
    reconsumeTimes: 2,
    preparedTransactionOffset: 0,
    queueOffset: 41,
    commitLogOffset: 5_000_000_000,
    ...overrides,
  };
}

/** The expected record, written field by field from the documented v1 layout. */
function goldenRecord(): Buffer {
  const body = Buffer.from('Hello');
  const topic = Buffer.from('TopicTest');
  const props = Buffer.from(PROPERTIES);
  const size = 91 + body.length + topic.length + props.length;
  const b = Buffer.alloc(size);
  b.writeInt32BE(size, 0);
  b.writeInt32BE(-626843481, 4);
  b.writeInt32BE(crc32(body) & 0x7fffffff, 8);
  b.writeInt32BE(3, 12);
  b.writeInt32BE(7, 16);
  b.writeBigInt64BE(41n, 20);
  b.writeBigInt64BE(5_000_000_000n, 28);
  b.writeInt32BE(0, 36);
  b.writeBigInt64BE(1_700_000_000_123n, 40);
  b.set([192, 168, 1, 20], 48);
  b.writeInt32BE(51234, 52);
  b.writeBigInt64BE(1_700_000_000_456n, 56);
  b.set([10, 0, 0, 5], 64);
  b.writeInt32BE(10911, 68);
  b.writeInt32BE(2, 72);
  b.writeBigInt64BE(0n, 76);
  b.writeInt32BE(body.length, 84);
  body.copy(b, 88);
  let pos = 88 + body.length;
  b.writeInt8(topic.length, pos);
  topic.copy(b, pos + 1);
  pos += 1 + topic.length;
  b.writeInt16BE(props.length, pos);
  props.copy(b, pos + 2);
  return b;
}

function decodeOk(buf: Buffer, offset = 0, options?: Parameters<typeof decodeStoredMessage>[2]) {
  const result = decodeStoredMessage(buf, offset, options);
  if (result.status !== 'OK') throw new Error(`expected OK, got ${JSON.stringify(result)}`);
  return result;
}

describe('encodeStoredMessage', () => {
  it('writes the documented v1 layout byte for byte', () => {
    expect(encodeStoredMessage(sampleMessage()).toString('hex')).toBe(goldenRecord().toString('hex'));
  });

  it('computes the length as 91 + body + topic + properties, +12 per IPv6 host', () => {
    expect(storedMessageLength(5, 9, 10, 0)).toBe(115);
    expect(storedMessageLength(5, 9, 10, 0x10)).toBe(127);
    expect(storedMessageLength(5, 9, 10, 0x30)).toBe(139);
    expect(storedMessageLengthOf(sampleMessage())).toBe(goldenRecord().length);
  });

  it('measures topic and properties in UTF-8 bytes', () => {
    const message = sampleMessage({ topic: '订单', properties: { TAGS: '秒杀' } });
    const buf = encodeStoredMessage(message);
    expect(buf.length).toBe(91 + 5 + 6 + Buffer.byteLength('TAGS\u0001秒杀'));
    expect(decodeOk(buf).message.topic).toBe('订单');
    expect(decodeOk(buf).message.properties).toEqual({ TAGS: '秒杀' });
  });

  it('rejects a topic over 127 bytes and properties over 32767 bytes with a typed error', () => {
    expect(() => encodeStoredMessage(sampleMessage({ topic: 'T'.repeat(128) }))).toThrow(
      expect.objectContaining({ name: 'MessageFormatError', reason: 'TOPIC_TOO_LONG' }),
    );
    expect(encodeStoredMessage(sampleMessage({ topic: 'T'.repeat(127) })).length).toBeGreaterThan(0);
    const bigProps = { KEYS: 'k'.repeat(32767) };
    expect(() => encodeStoredMessage(sampleMessage({ properties: bigProps }))).toThrow(MessageFormatError);
  });

  it('encodes into a larger buffer at an offset and refuses to overflow it', () => {
    const golden = goldenRecord();
    const buf = Buffer.alloc(golden.length + 10);
    expect(encodeStoredMessageInto(buf, 10, sampleMessage(), PROPERTIES)).toBe(golden.length);
    expect(buf.subarray(10)).toEqual(golden);
    expect(() => encodeStoredMessageInto(Buffer.alloc(50), 0, sampleMessage())).toThrow(
      expect.objectContaining({ reason: 'BUFFER_TOO_SMALL' }),
    );
  });

  it('sets the IPv6 bits from the addresses and shifts STORETIMESTAMP', () => {
    const message = sampleMessage({
      sysFlag: 0x30,
      bornHost: { host: 'fe80::1:2', port: 40000 },
      storeHost: { host: '10.0.0.5', port: 10911 },
    });
    const buf = encodeStoredMessage(message);
    const sysFlag = buf.readInt32BE(StoredMessageLayout.SYS_FLAG);
    expect(sysFlag).toBe(0x10);
    expect(buf.length).toBe(goldenRecord().length + 12);
    expect(storeTimestampOffset(sysFlag)).toBe(68);
    expect(Number(buf.readBigInt64BE(storeTimestampOffset(sysFlag)))).toBe(1_700_000_000_456);
    const decoded = decodeOk(buf).message;
    expect(decoded.bornHost).toEqual({ host: 'fe80::1:2', port: 40000 });
    expect(decoded.storeHost).toEqual({ host: '10.0.0.5', port: 10911 });
  });

  it('stores an IPv4-mapped born host in the 4-byte form', () => {
    const buf = encodeStoredMessage(sampleMessage({ bornHost: { host: '::ffff:127.0.0.1', port: 1 } }));
    expect(buf.readInt32BE(StoredMessageLayout.SYS_FLAG)).toBe(0);
    expect(decodeOk(buf).message.bornHost).toEqual({ host: '127.0.0.1', port: 1 });
  });
});

describe('patchStoredMessage', () => {
  it('fills queue offset, physical offset and store timestamp in place', () => {
    const buf = encodeStoredMessage(sampleMessage({ queueOffset: 0, commitLogOffset: 0, storeTimestamp: 0 }));
    patchStoredMessage(buf, 0, 41, 5_000_000_000, 1_700_000_000_456);
    expect(buf).toEqual(goldenRecord());
  });

  it('finds the store timestamp behind an IPv6 born host', () => {
    const message = sampleMessage({ bornHost: { host: '2001:db8::7', port: 9 } });
    const buf = encodeStoredMessage({ ...message, storeTimestamp: 0 });
    patchStoredMessage(buf, 0, message.queueOffset, message.commitLogOffset, 1_700_000_000_456);
    expect(buf).toEqual(encodeStoredMessage(message));
  });
});

describe('decodeStoredMessage', () => {
  it('decodes the golden record back to the message', () => {
    const golden = goldenRecord();
    const result = decodeOk(golden);
    expect(result.size).toBe(golden.length);
    expect(result.message).toEqual({
      ...sampleMessage(),
      storeSize: golden.length,
      bodyCRC: crc32(Buffer.from('Hello')) & 0x7fffffff,
    });
  });

  it('decodes a record in the middle of a buffer', () => {
    const golden = goldenRecord();
    const buf = Buffer.concat([Buffer.from('garbage!'), golden, Buffer.from('more')]);
    expect(decodeOk(buf, 8).message.queueOffset).toBe(41);
  });

  it('leaves the body empty when readBody is false', () => {
    const result = decodeOk(goldenRecord(), 0, { readBody: false });
    expect(result.message.body.length).toBe(0);
    expect(result.message.properties.TAGS).toBe('TagA');
  });

  it('reports every truncation of a valid record as INCOMPLETE', () => {
    const golden = goldenRecord();
    for (let length = 0; length < golden.length; length++) {
      expect(decodeStoredMessage(golden.subarray(0, length))).toEqual({ status: 'INCOMPLETE' });
    }
  });

  it('reports a flipped body byte as CORRUPT only when checking the CRC', () => {
    const buf = goldenRecord();
    buf[88] ^= 0x01;
    expect(decodeStoredMessage(buf, 0, { checkCRC: true })).toEqual({
      status: 'CORRUPT',
      reason: 'BODY_CRC_MISMATCH',
    });
    expect(decodeStoredMessage(buf).status).toBe('OK');
    expect(decodeStoredMessage(goldenRecord(), 0, { checkCRC: true }).status).toBe('OK');
  });

  it('reads the blank end-of-file marker', () => {
    const buf = Buffer.alloc(64);
    expect(encodeBlankMarker(buf, 0, 64)).toBe(8);
    expect(buf.readInt32BE(4)).toBe(BLANK_MAGIC_CODE);
    expect(buf.readUInt32BE(4)).toBe(0xcbd43194);
    expect(decodeStoredMessage(buf)).toEqual({ status: 'BLANK', size: 64 });
  });

  it('reports bad magic, disagreeing sizes and negative lengths as CORRUPT', () => {
    const zeros = Buffer.alloc(200);
    expect(decodeStoredMessage(zeros)).toEqual({ status: 'CORRUPT', reason: 'BAD_MAGIC' });

    const tooBig = Buffer.concat([goldenRecord(), Buffer.alloc(4)]);
    tooBig.writeInt32BE(tooBig.length, 0);
    expect(decodeStoredMessage(tooBig)).toEqual({ status: 'CORRUPT', reason: 'LENGTH_MISMATCH' });

    const tooSmall = goldenRecord();
    tooSmall.writeInt32BE(60, 0);
    expect(decodeStoredMessage(tooSmall)).toEqual({ status: 'CORRUPT', reason: 'BAD_TOTAL_SIZE' });

    const negativeBody = goldenRecord();
    negativeBody.writeInt32BE(-5, StoredMessageLayout.BODY_LENGTH);
    expect(decodeStoredMessage(negativeBody)).toEqual({ status: 'CORRUPT', reason: 'NEGATIVE_LENGTH' });

    const longBody = goldenRecord();
    longBody.writeInt32BE(1000, StoredMessageLayout.BODY_LENGTH);
    expect(decodeStoredMessage(longBody)).toEqual({ status: 'CORRUPT', reason: 'LENGTH_MISMATCH' });

    expect(decodeStoredMessage(goldenRecord(), -1)).toEqual({ status: 'CORRUPT', reason: 'BAD_OFFSET' });
  });

  it('never throws, whatever the bytes', () => {
    const golden = goldenRecord();
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 5000; i++) {
      const buf = Buffer.from(golden);
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++) buf[Math.floor(random() * buf.length)] = Math.floor(random() * 256);
      if (random() < 0.5) buf.writeInt32BE(MESSAGE_MAGIC_CODE, 4);
      const cut = random() < 0.3 ? Math.floor(random() * buf.length) : buf.length;
      expect(() => decodeStoredMessage(buf.subarray(0, cut), 0, { checkCRC: random() < 0.5 })).not.toThrow();
    }
  });
});

describe('decodeStoredMessages', () => {
  it('decodes back-to-back records as in a pull response body', () => {
    const first = encodeStoredMessage(sampleMessage({ queueOffset: 1, commitLogOffset: 0 }));
    const second = encodeStoredMessage(
      sampleMessage({ queueOffset: 2, commitLogOffset: first.length, body: Buffer.from('World!') }),
    );
    const messages = decodeStoredMessages(Buffer.concat([first, second]));
    expect(messages.map((m) => [m.queueOffset, m.commitLogOffset, m.body.toString()])).toEqual([
      [1, 0, 'Hello'],
      [2, first.length, 'World!'],
    ]);
  });

  it('stops at the first record that does not decode', () => {
    const record = goldenRecord();
    const torn = record.subarray(0, 30);
    expect(decodeStoredMessages(Buffer.concat([record, record, torn]))).toHaveLength(2);
    expect(decodeStoredMessages(Buffer.concat([record, Buffer.alloc(100), record]))).toHaveLength(1);
    expect(decodeStoredMessages(Buffer.alloc(0))).toEqual([]);
  });
});
