/**
 * PULL_MESSAGE and the offset requests over real TCP against a real store (rocketmq-facts.md §2.4,
 * §2.5, §2.10): every store status row, tag filtering on the broker, the pre-checks, and consumer
 * offsets committed by flag and by UPDATE_CONSUMER_OFFSET.
 */
import {
  decodeStoredMessages,
  javaStringHashCode,
  PullSysFlag,
  RequestCode,
  ResponseCode,
  createRequest,
  toExtFields,
} from '@flashsale/mq/protocol';
import { QUERY_OFFSET_NOT_FOUND_REMARK } from '../src/processors/consumer-offset.processor';
import { ConsumeSideHarness, decodePullBody, pullHeaderOf } from './consume-side.harness';

const HOURS_100 = 100 * 3600 * 1000;

describe('PULL_MESSAGE over TCP', () => {
  let broker: ConsumeSideHarness;

  beforeEach(async () => {
    broker = await ConsumeSideHarness.start();
    broker.createTopic('T', 4);
  });

  afterEach(async () => {
    await broker.close();
  });

  it('FOUND: returns the stored records back to back with all four header fields', async () => {
    const bodies = ['a', 'b', 'c', 'd', 'e'];
    for (const body of bodies) await broker.put('T', 0, 'TagA', body);

    const response = await broker.pull({ topic: 'T', queueOffset: 0 });
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(pullHeaderOf(response)).toEqual({
      suggestWhichBrokerId: 0,
      nextBeginOffset: 5,
      minOffset: 0,
      maxOffset: 5,
    });
    const messages = decodePullBody(response.body);
    expect(messages.map((m) => m.body.toString())).toEqual(bodies);
    expect(messages.map((m) => m.queueOffset)).toEqual([0, 1, 2, 3, 4]);
    expect(decodeStoredMessages(response.body!)).toHaveLength(5);
    expect(messages[0]).toMatchObject({ topic: 'T', queueId: 0, properties: { TAGS: 'TagA' } });
  });

  it('FOUND: honours maxMsgNums and continues from nextBeginOffset', async () => {
    for (let i = 0; i < 5; i++) await broker.put('T', 0, 'TagA', `m${i}`);
    const first = await broker.pull({ topic: 'T', maxMsgNums: 2 });
    expect(decodePullBody(first.body).map((m) => m.body.toString())).toEqual(['m0', 'm1']);
    expect(pullHeaderOf(first).nextBeginOffset).toBe(2);
    const second = await broker.pull({ topic: 'T', queueOffset: 2, maxMsgNums: 32 });
    expect(decodePullBody(second.body).map((m) => m.body.toString())).toEqual(['m2', 'm3', 'm4']);
  });

  it('OFFSET_OVERFLOW_ONE → 19 at the end of the queue, OFFSET_OVERFLOW_BADLY → 21 beyond it', async () => {
    for (let i = 0; i < 3; i++) await broker.put('T', 0, 'TagA');
    const atEnd = await broker.pull({ topic: 'T', queueOffset: 3 });
    expect(atEnd.code).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(pullHeaderOf(atEnd)).toEqual({
      suggestWhichBrokerId: 0,
      nextBeginOffset: 3,
      minOffset: 0,
      maxOffset: 3,
    });
    expect(atEnd.body).toBeUndefined();

    const beyond = await broker.pull({ topic: 'T', queueOffset: 9 });
    expect(beyond.code).toBe(ResponseCode.PULL_OFFSET_MOVED);
    expect(pullHeaderOf(beyond)).toEqual({
      suggestWhichBrokerId: 0,
      nextBeginOffset: 3,
      minOffset: 0,
      maxOffset: 3,
    });
  });

  it('NO_MATCHED_LOGIC_QUEUE → 19 at offset 0 and 21 (next 0) elsewhere', async () => {
    const atZero = await broker.pull({ topic: 'T', queueId: 2, queueOffset: 0 });
    expect(atZero.code).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(pullHeaderOf(atZero)).toEqual({
      suggestWhichBrokerId: 0,
      nextBeginOffset: 0,
      minOffset: 0,
      maxOffset: 0,
    });
    const atSeven = await broker.pull({ topic: 'T', queueId: 2, queueOffset: 7 });
    expect(atSeven.code).toBe(ResponseCode.PULL_OFFSET_MOVED);
    expect(pullHeaderOf(atSeven).nextBeginOffset).toBe(0);
  });

  it('filters by tag hash on the broker: only matching records, nextBeginOffset past the skipped ones', async () => {
    const tags = ['TagA', 'TagB', 'TagC', 'TagB', undefined, 'TagA', 'TagC'];
    for (const [i, tag] of tags.entries()) await broker.put('T', 0, tag, `m${i}`);

    const response = await broker.pull({ topic: 'T', subscription: 'TagB || TagC' });
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const messages = decodePullBody(response.body);
    expect(messages.map((m) => m.properties.TAGS)).toEqual(['TagB', 'TagC', 'TagB', 'TagC']);
    expect(messages.map((m) => m.queueOffset)).toEqual([1, 2, 3, 6]);
    expect(pullHeaderOf(response).nextBeginOffset).toBe(7);

    // NO_MATCHED_MESSAGE → 20: the consumer skips ahead without receiving anything.
    const none = await broker.pull({ topic: 'T', subscription: 'TagZ' });
    expect(none.code).toBe(ResponseCode.PULL_RETRY_IMMEDIATELY);
    expect(pullHeaderOf(none)).toEqual({
      suggestWhichBrokerId: 0,
      nextBeginOffset: 7,
      minOffset: 0,
      maxOffset: 7,
    });
    expect(none.body).toBeUndefined();
  });

  it('takes the subscription from the heartbeat when the SUBSCRIPTION flag is not set', async () => {
    for (const tag of ['TagA', 'TagB', 'TagA']) await broker.put('T', 0, tag);
    const noSubscription = await broker.pull({
      topic: 'T',
      sysFlag: 0,
      subscription: undefined,
      subVersion: 100,
    });
    expect(noSubscription.code).toBe(ResponseCode.SUBSCRIPTION_NOT_EXIST);

    broker.subscriptions.set('g@T', {
      classFilterMode: false,
      topic: 'T',
      subString: 'TagB',
      tagsSet: ['TagB'],
      codeSet: [javaStringHashCode('TagB')],
      subVersion: 100,
    });
    const found = await broker.pull({ topic: 'T', sysFlag: 0, subscription: undefined, subVersion: 100 });
    expect(found.code).toBe(ResponseCode.SUCCESS);
    expect(decodePullBody(found.body).map((m) => m.properties.TAGS)).toEqual(['TagB']);

    const newer = await broker.pull({ topic: 'T', sysFlag: 0, subscription: undefined, subVersion: 101 });
    expect(newer.code).toBe(ResponseCode.SUBSCRIPTION_NOT_LATEST);
  });

  it('rejects pulls the pre-checks forbid, with RocketMQ codes', async () => {
    expect((await broker.pull({ topic: 'Missing' })).code).toBe(ResponseCode.TOPIC_NOT_EXIST);

    broker.createTopic('WriteOnly', 4, 2);
    expect((await broker.pull({ topic: 'WriteOnly' })).code).toBe(ResponseCode.NO_PERMISSION);

    const badQueue = await broker.pull({ topic: 'T', queueId: 4 });
    expect(badQueue.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(badQueue.remark).toContain('queueId[4] is illegal');
    expect((await broker.pull({ topic: 'T', queueId: -1 })).code).toBe(ResponseCode.SYSTEM_ERROR);

    expect((await broker.pull({ topic: 'T', subscription: ' || ' })).code).toBe(
      ResponseCode.SUBSCRIPTION_PARSE_FAILED,
    );
    const sql = await broker.pull({ topic: 'T', subscription: 'a > 1', expressionType: 'SQL92' });
    expect(sql.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(sql.remark).toContain('SQL92');

    broker.brokerConfig.brokerPermission = 2;
    expect((await broker.pull({ topic: 'T' })).code).toBe(ResponseCode.NO_PERMISSION);
    broker.brokerConfig.brokerPermission = 6;

    const missingField = await broker.invoke(RequestCode.PULL_MESSAGE, { topic: 'T', consumerGroup: 'g' });
    expect(missingField.code).toBe(ResponseCode.SYSTEM_ERROR);
  });

  it('commits the offset carried by a pull with COMMIT_OFFSET, and only then', async () => {
    await broker.put('T', 1, 'TagA');
    const query = () =>
      broker.invoke(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: 'g', topic: 'T', queueId: 1 });

    await broker.pull({ topic: 'T', queueId: 1, commitOffset: 42 });
    expect(broker.consumeSide.consumerOffsetManager.queryOffset('g', 'T', 1)).toBe(-1);

    const sysFlag = PullSysFlag.SUBSCRIPTION | PullSysFlag.COMMIT_OFFSET | PullSysFlag.SUSPEND;
    const response = await broker.pull({ topic: 'T', queueId: 1, sysFlag, commitOffset: 1 });
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const answer = await query();
    expect(answer.code).toBe(ResponseCode.SUCCESS);
    expect(answer.extFields.offset).toBe('1');
  });
});

describe('consumer offsets and queue offsets over TCP', () => {
  let broker: ConsumeSideHarness;

  beforeEach(async () => {
    broker = await ConsumeSideHarness.start();
    broker.createTopic('T', 4);
  });

  afterEach(async () => {
    await broker.close();
  });

  const query = (queueId: number, group = 'g') =>
    broker.invoke(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: group, topic: 'T', queueId });

  it('UPDATE_CONSUMER_OFFSET answers when not flagged oneway, stays silent when it is, and stores both', async () => {
    const update = await broker.invoke(RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup: 'g',
      topic: 'T',
      queueId: 0,
      commitOffset: 17,
    });
    expect(update.code).toBe(ResponseCode.SUCCESS);
    expect((await query(0)).extFields.offset).toBe('17');

    const oneway = createRequest(
      RequestCode.UPDATE_CONSUMER_OFFSET,
      toExtFields({ consumerGroup: 'g', topic: 'T', queueId: 1, commitOffset: 23 }),
    );
    broker.client.invokeOneway(oneway);
    const answer = await query(1); // same connection, so the oneway request was handled first
    expect(answer.extFields.offset).toBe('23');
  });

  it('QUERY_CONSUMER_OFFSET: young queue → 0; an empty queue counts as young', async () => {
    for (let i = 0; i < 3; i++) await broker.put('T', 0, 'TagA');
    const young = await query(0, 'new-group');
    expect(young.code).toBe(ResponseCode.SUCCESS);
    expect(young.extFields.offset).toBe('0');
    const empty = await query(3, 'new-group');
    expect(empty.code).toBe(ResponseCode.SUCCESS);
    expect(empty.extFields.offset).toBe('0');
  });

  it('GET_MAX_OFFSET, GET_MIN_OFFSET, GET_EARLIEST_MSG_STORETIME and SEARCH_OFFSET_BY_TIMESTAMP', async () => {
    const stored: number[] = [];
    for (let i = 0; i < 4; i++) {
      stored.push((await broker.put('T', 2, 'TagA')).appendResult!.storeTimestamp);
      await new Promise((r) => setTimeout(r, 15));
    }
    const ask = (code: number, extra: object = {}) =>
      broker.invoke(code, { topic: 'T', queueId: 2, ...extra });

    expect((await ask(RequestCode.GET_MAX_OFFSET)).extFields.offset).toBe('4');
    expect((await ask(RequestCode.GET_MIN_OFFSET)).extFields.offset).toBe('0');
    expect((await ask(RequestCode.GET_EARLIEST_MSG_STORETIME)).extFields.timestamp).toBe(String(stored[0]));
    const search = await ask(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, { timestamp: stored[2] });
    expect(search.code).toBe(ResponseCode.SUCCESS);
    expect(search.extFields.offset).toBe('2');
    const unknown = await broker.invoke(RequestCode.GET_MAX_OFFSET, { topic: 'Nope', queueId: 0 });
    expect(unknown.extFields.offset).toBe('0');
  });
});

describe('a pull and an offset query after retention deleted the queue head', () => {
  let broker: ConsumeSideHarness;

  beforeAll(async () => {
    broker = await ConsumeSideHarness.start();
    broker.createTopic('Old', 1);
    // ~150-byte records in 64 KiB CommitLog segments: 900 messages fill a few segments.
    for (let i = 0; i < 900; i++) await broker.store.putMessage(makeRecord(i));
    await broker.store.whenDispatched();
  });

  afterAll(async () => {
    await broker.close();
  });

  function makeRecord(i: number) {
    return {
      topic: 'Old',
      queueId: 0,
      flag: 0,
      body: Buffer.from(`old message ${i}`.padEnd(64, '.')),
      properties: { TAGS: 'TagA' },
      sysFlag: 0,
      bornTimestamp: Date.now(),
      bornHost: { host: '10.0.0.1', port: 50000 },
      storeTimestamp: 0,
      storeHost: { host: '127.0.0.1', port: 10911 },
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
      queueOffset: 0,
      commitLogOffset: 0,
    };
  }

  it('OFFSET_TOO_SMALL → 21 with nextBeginOffset = min; a new group gets QUERY_NOT_FOUND', async () => {
    // Only flushed segments may go; the async flush runs every 20 ms in these tests.
    let deleted = 0;
    for (let tries = 0; deleted === 0 && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      deleted = broker.store.deleteExpiredFiles(Date.now() + HOURS_100);
    }
    expect(deleted).toBeGreaterThan(0);
    const min = broker.store.getMinOffsetInQueue('Old', 0);
    expect(min).toBeGreaterThan(0);

    const response = await broker.pull({ topic: 'Old', queueOffset: 0 });
    expect(response.code).toBe(ResponseCode.PULL_OFFSET_MOVED);
    expect(pullHeaderOf(response)).toEqual({
      suggestWhichBrokerId: 0,
      nextBeginOffset: min,
      minOffset: min,
      maxOffset: 900,
    });

    const queried = await broker.invoke(RequestCode.QUERY_CONSUMER_OFFSET, {
      consumerGroup: 'late',
      topic: 'Old',
      queueId: 0,
    });
    expect(queried.code).toBe(ResponseCode.QUERY_NOT_FOUND);
    expect(queried.remark).toBe(QUERY_OFFSET_NOT_FOUND_REMARK);
  });
});

describe('subscription group checks', () => {
  let broker: ConsumeSideHarness;

  beforeEach(async () => {
    broker = await ConsumeSideHarness.start({ withGroupChecks: true });
    broker.createTopic('T', 1);
  });

  afterEach(async () => {
    await broker.close();
  });

  it('answers 26 for an unknown group and 16 for a group whose consumption is disabled', async () => {
    expect((await broker.pull({ topic: 'T' })).code).toBe(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
    broker.groups.set('g', { consumeEnable: false });
    expect((await broker.pull({ topic: 'T' })).code).toBe(ResponseCode.NO_PERMISSION);
    broker.groups.set('g', { consumeEnable: true });
    expect((await broker.pull({ topic: 'T' })).code).toBe(ResponseCode.PULL_NOT_FOUND);
  });
});
