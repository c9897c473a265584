import { inflateSync } from 'node:zlib';
import {
  MessageConst,
  SEND_MESSAGE_V2_FIELD_NAMES,
  decodeProperties,
  encodeStoredMessage,
  decodeStoredMessages,
  sendMessageHeaderToV2,
} from '../protocol';
import { MQClientError } from './client-errors';
import {
  compressBodyIfLarge,
  encodeMessageProperties,
  toMessageExt,
  validateMessage,
} from './message-encoding';
import { buildSubscriptionData, matchesTags } from './subscription';

describe('encodeMessageProperties', () => {
  it('writes user properties, TAGS, space-joined KEYS, DELAY, WAIT and UNIQ_KEY', () => {
    const text = encodeMessageProperties(
      {
        topic: 'T',
        body: 'x',
        tags: 'TagA',
        keys: ['k1', 'k2'],
        delayTimeLevel: 3,
        properties: { a: '1', empty: '' },
      },
      'UNIQ',
    );
    expect(decodeProperties(text)).toEqual({
      a: '1',
      [MessageConst.TAGS]: 'TagA',
      [MessageConst.KEYS]: 'k1 k2',
      [MessageConst.DELAY]: '3',
      [MessageConst.WAIT]: 'true',
      [MessageConst.UNIQ_KEY]: 'UNIQ',
    });
    expect(text.endsWith(MessageConst.PROPERTY_SEPARATOR)).toBe(false);
  });

  it('leaves out what the message does not have', () => {
    expect(decodeProperties(encodeMessageProperties({ topic: 'T', body: 'x', keys: 'single' }, 'U'))).toEqual(
      {
        KEYS: 'single',
        WAIT: 'true',
        UNIQ_KEY: 'U',
      },
    );
  });
});

describe('compressBodyIfLarge', () => {
  it('deflates bodies at or above the threshold and flags them as zlib (0x301)', () => {
    const body = Buffer.alloc(4096, 'a');
    const { body: compressed, sysFlag } = compressBodyIfLarge(body, 4096);
    expect(sysFlag).toBe(0x301);
    expect(compressed.length).toBeLessThan(body.length);
    expect(inflateSync(compressed).equals(body)).toBe(true);
  });

  it('leaves smaller bodies alone', () => {
    const body = Buffer.alloc(4095, 'a');
    expect(compressBodyIfLarge(body, 4096)).toEqual({ body, sysFlag: 0 });
  });

  it('round-trips through a stored record into MessageExt', () => {
    const original = Buffer.from('x'.repeat(10_000));
    const { body, sysFlag } = compressBodyIfLarge(original, 4096);
    const record = encodeStoredMessage({
      topic: '%RETRY%g',
      queueId: 1,
      flag: 0,
      body,
      properties: { TAGS: 'T1', KEYS: 'a b', UNIQ_KEY: 'ID1', RETRY_TOPIC: 'Orders' },
      sysFlag,
      bornTimestamp: 1,
      bornHost: { host: '127.0.0.1', port: 1 },
      storeTimestamp: 2,
      storeHost: { host: '127.0.0.1', port: 10911 },
      reconsumeTimes: 2,
      preparedTransactionOffset: 0,
      queueOffset: 7,
      commitLogOffset: 4096,
    });
    const [decoded] = decodeStoredMessages(record);
    const message = toMessageExt(decoded, 'broker-a', '%RETRY%g');
    expect(message.body.equals(original)).toBe(true);
    expect(message.topic).toBe('Orders');
    expect(message.tags).toBe('T1');
    expect(message.keys).toEqual(['a', 'b']);
    expect(message.msgId).toBe('ID1');
    expect(message.offsetMsgId).toBe('7F00000100002A9F0000000000001000');
    expect(message.reconsumeTimes).toBe(2);
  });
});

describe('validateMessage', () => {
  it('rejects bad topics, empty and oversized bodies and bad delay levels', () => {
    const check =
      (message: Parameters<typeof validateMessage>[0], body = Buffer.from('x')) =>
      () =>
        validateMessage(message, body, 10);
    expect(check({ topic: 'a b', body: '' })).toThrow(MQClientError);
    expect(check({ topic: 'x'.repeat(128), body: '' })).toThrow(MQClientError);
    expect(check({ topic: 'ok', body: '' }, Buffer.alloc(0))).toThrow(/empty/);
    expect(check({ topic: 'ok', body: '' }, Buffer.alloc(11))).toThrow(/maxMessageSize/);
    expect(check({ topic: 'ok', body: '', delayTimeLevel: 19 })).toThrow(/delayTimeLevel/);
    expect(check({ topic: '%RETRY%ok|x_y-z', body: '', delayTimeLevel: 18 })).not.toThrow();
  });
});

describe('the producer header', () => {
  it('uses the V2 short names the protocol defines', () => {
    // The producer writes the V2 letters literally for speed; this keeps them in step with the protocol.
    expect(SEND_MESSAGE_V2_FIELD_NAMES).toMatchObject({
      producerGroup: 'a',
      topic: 'b',
      defaultTopic: 'c',
      defaultTopicQueueNums: 'd',
      queueId: 'e',
      sysFlag: 'f',
      bornTimestamp: 'g',
      flag: 'h',
      properties: 'i',
      reconsumeTimes: 'j',
      unitMode: 'k',
      batch: 'm',
    });
    const ext = sendMessageHeaderToV2({
      producerGroup: 'g',
      topic: 't',
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      queueId: 1,
      sysFlag: 0,
      bornTimestamp: 5,
      flag: 0,
    });
    expect(Object.keys(ext).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });
});

describe('subscriptions', () => {
  it("parses 'TagA || TagB' into tags and Java hash codes", () => {
    const sub = buildSubscriptionData('T', ' TagA || TagB ||TagA');
    expect(sub.subString).toBe('TagA || TagB ||TagA');
    expect(sub.tagsSet).toEqual(['TagA', 'TagB']);
    expect(sub.codeSet).toEqual([2598919, 2598920]);
    expect(matchesTags(sub, 'TagA')).toBe(true);
    expect(matchesTags(sub, 'TagC')).toBe(false);
    expect(matchesTags(sub, undefined)).toBe(false);
  });

  it("treats '*' and empty as everything", () => {
    for (const expression of ['*', '', undefined]) {
      const sub = buildSubscriptionData('T', expression);
      expect(sub.subString).toBe('*');
      expect(sub.tagsSet).toEqual([]);
      expect(matchesTags(sub, undefined)).toBe(true);
    }
  });
});
