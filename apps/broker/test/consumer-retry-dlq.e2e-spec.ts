/**
 * Consumption retry and the dead-letter queue end to end, with the raw client playing a consumer that
 * always fails: pull → CONSUMER_SEND_MSG_BACK, again and again. The broker runs the real level table
 * scaled by 0.01 (delayLevelScale), so the retry ladder 10 s, 30 s, 1 m ... becomes 100, 300, 600 ms.
 *
 * Checked: each hop comes back from %RETRY%<group> with reconsumeTimes 1, 2, 3 after at least the
 * scaled delay of level 3 + n; after retryMaxTimes (3, set with UPDATE_AND_CREATE_SUBSCRIPTIONGROUP)
 * the message is in %DLQ%<group> with its UNIQ_KEY, keys, properties and RETRY_TOPIC; the DLQ is
 * write-only for consumers but readable by the tools group and by key; a resend is consumed.
 */
import {
  MessageConst,
  type MessageRecord,
  RemotingConnection,
  RequestCode,
  ResponseCode,
  createRequest,
  createUniqueMessageId,
  encodeJsonBody,
  encodeProperties,
  toExtFields,
} from '@flashsale/mq/protocol';
import { DelayLevelTable } from '../src/schedule/delay-level-table';
import { TIMEOUT, createTopic, sendHeader, sendMessage } from './support/broker-client';
import { type TestCluster, startTestCluster } from './support/broker-harness';
import { awaitMessage, decodeRecords, pull, sendBack, sleep } from './support/schedule-client';

jest.setTimeout(60_000);

const SCALE = 0.01;
const TABLE = DelayLevelTable.parse(undefined, SCALE);
const TOPIC = 'RetryTopic';
const GROUP = 'always-failing-group';
const MAX_RETRIES = 3;

describe('consumer retry and DLQ (e2e)', () => {
  let cluster: TestCluster;
  let connection: RemotingConnection;

  beforeAll(async () => {
    cluster = await startTestCluster({ brokerConfig: { delayLevelScale: SCALE } });
    connection = await RemotingConnection.connect(cluster.brokers[0].addr);
    expect((await createTopic(connection, TOPIC, 1)).code).toBe(ResponseCode.SUCCESS);
    const groupConfig = { groupName: GROUP, retryMaxTimes: MAX_RETRIES, consumeEnable: true };
    const response = await connection.invoke(
      createRequest(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, encodeJsonBody(groupConfig)),
      TIMEOUT,
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
  });

  afterAll(async () => {
    connection?.close();
    await cluster?.stop();
  });

  it('retries with growing delays, then parks the message in %DLQ%<group> with its identity', async () => {
    const uniqKey = createUniqueMessageId();
    const header = sendHeader(TOPIC, {
      properties: encodeProperties({ TAGS: 'TagR', KEYS: 'biz-42', UNIQ_KEY: uniqKey, color: 'blue' }),
    });
    expect((await sendMessage(connection, header, Buffer.from('poison'))).code).toBe(ResponseCode.SUCCESS);

    let consumed: MessageRecord = (
      await awaitMessage(connection, TOPIC, { group: GROUP, deadlineMillis: 2000 })
    ).message;
    for (let hop = 1; hop <= MAX_RETRIES; hop++) {
      const sentBackAt = Date.now();
      const back = await sendBack(connection, {
        offset: consumed.commitLogOffset,
        group: GROUP,
        originMsgId: uniqKey,
        originTopic: TOPIC,
      });
      expect(back.code).toBe(ResponseCode.SUCCESS);
      const retried = await awaitMessage(connection, `%RETRY%${GROUP}`, {
        group: GROUP,
        offset: hop - 1,
        deadlineMillis: 5000,
      });
      const expectedDelay = TABLE.delayMillisOf(3 + hop - 1);
      const measured = retried.receivedAt - sentBackAt;
      process.stdout.write(
        `retry hop ${hop}: level ${3 + hop - 1} (${expectedDelay} ms scaled) came back after ${measured} ms\n`,
      );
      expect(measured).toBeGreaterThanOrEqual(expectedDelay);
      // The first hop may also wait for the delivery tasks, which start 1 s after boot as in RocketMQ.
      expect(measured).toBeLessThanOrEqual(expectedDelay + 1500);
      consumed = retried.message;
      expect(consumed.reconsumeTimes).toBe(hop);
      expect(consumed.body.toString()).toBe('poison');
      expect(consumed.properties).toMatchObject({
        [MessageConst.RETRY_TOPIC]: TOPIC,
        [MessageConst.ORIGIN_MESSAGE_ID]: uniqKey,
        [MessageConst.UNIQ_KEY]: uniqKey,
        [MessageConst.KEYS]: 'biz-42',
        color: 'blue',
      });
      expect(consumed.properties[MessageConst.DELAY]).toBeUndefined();
    }

    // reconsumeTimes 3 ≥ retryMaxTimes 3: the next send-back goes to the DLQ, undelayed.
    expect(
      (await sendBack(connection, { offset: consumed.commitLogOffset, group: GROUP, originMsgId: uniqKey }))
        .code,
    ).toBe(ResponseCode.SUCCESS);
    const dlqTopic = `%DLQ%${GROUP}`;
    expect(cluster.brokers[0].controller.topicConfigManager.selectTopicConfig(dlqTopic)).toMatchObject({
      readQueueNums: 1,
      writeQueueNums: 1,
      perm: 2,
    });

    const refused = await pull(connection, dlqTopic, { group: GROUP });
    expect(refused.code).toBe(ResponseCode.NO_PERMISSION);

    const dead = (await awaitMessage(connection, dlqTopic, { group: 'TOOLS_CONSUMER', deadlineMillis: 2000 }))
      .message;
    expect(dead.reconsumeTimes).toBe(MAX_RETRIES + 1);
    expect(dead.body.toString()).toBe('poison');
    expect(dead.properties).toMatchObject({
      [MessageConst.UNIQ_KEY]: uniqKey,
      [MessageConst.RETRY_TOPIC]: TOPIC,
      [MessageConst.ORIGIN_MESSAGE_ID]: uniqKey,
      [MessageConst.KEYS]: 'biz-42',
      [MessageConst.TAGS]: 'TagR',
      color: 'blue',
    });
    expect(dead.properties[MessageConst.DELAY]).toBeUndefined();

    // Findable by business key and by its unique key through the index.
    for (const key of ['biz-42', uniqKey]) {
      const found = await queryByKey(connection, dlqTopic, key);
      expect(found.map((m) => m.properties[MessageConst.UNIQ_KEY])).toContain(uniqKey);
    }

    // Resend to the original topic (what the console does): a normal consumer gets it again.
    const { DELAY: _d, REAL_TOPIC: _t, REAL_QID: _q, WAIT: _w, ...keep } = dead.properties;
    const resend = sendHeader(dead.properties[MessageConst.RETRY_TOPIC], {
      properties: encodeProperties(keep),
    });
    expect((await sendMessage(connection, resend, dead.body)).code).toBe(ResponseCode.SUCCESS);
    const again = await awaitMessage(connection, TOPIC, { group: GROUP, offset: 1, deadlineMillis: 2000 });
    expect(again.message.properties[MessageConst.UNIQ_KEY]).toBe(uniqKey);
    expect(again.message.body.toString()).toBe('poison');
  });

  it('honours the header maxReconsumeTimes and a negative delay level (straight to the DLQ)', async () => {
    const group = 'header-max-group';
    expect((await sendMessage(connection, sendHeader(TOPIC), Buffer.from('h'))).code).toBe(
      ResponseCode.SUCCESS,
    );
    const first = (await pull(connection, TOPIC, { group, offset: 2 })).messages[0];
    expect(first.body.toString()).toBe('h');
    // maxReconsumeTimes 0 from the header beats the group's 16: the first failure is already final.
    expect(
      (await sendBack(connection, { offset: first.commitLogOffset, group, maxReconsumeTimes: 0 })).code,
    ).toBe(ResponseCode.SUCCESS);
    const dead = await awaitMessage(connection, `%DLQ%${group}`, {
      group: 'TOOLS_CONSUMER',
      deadlineMillis: 2000,
    });
    expect(dead.message.reconsumeTimes).toBe(1);

    expect((await sendBack(connection, { offset: first.commitLogOffset, group, delayLevel: -1 })).code).toBe(
      ResponseCode.SUCCESS,
    );
    const second = await awaitMessage(connection, `%DLQ%${group}`, {
      group: 'TOOLS_CONSUMER',
      offset: 1,
      deadlineMillis: 2000,
    });
    expect(second.message.properties[MessageConst.RETRY_TOPIC]).toBe(TOPIC);
  });

  it('answers SYSTEM_ERROR for an offset that holds no message', async () => {
    const response = await sendBack(connection, { offset: 123_456_789, group: GROUP });
    expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).toBe('look message by offset failed, 123456789');
  });

  it('treats the client fallback (a SEND to %RETRY%<group>) the same way: delayed below the limit, DLQ at it', async () => {
    const group = 'fallback-group';
    const retryTopic = `%RETRY%${group}`;
    const properties = { RETRY_TOPIC: TOPIC, ORIGIN_MESSAGE_ID: 'origin-1', DELAY: '4' };
    const below = sendHeader(retryTopic, {
      reconsumeTimes: 1,
      maxReconsumeTimes: 2,
      properties: encodeProperties(properties),
    });
    // The first send to an unknown %RETRY% topic needs it to exist, as after a heartbeat.
    cluster.brokers[0].controller.topicConfigManager.createTopicInSendMessageBackMethod(retryTopic, 1, 6, 0);
    const sentAt = Date.now();
    expect((await sendMessage(connection, below, Buffer.from('f1'))).code).toBe(ResponseCode.SUCCESS);
    const retried = await awaitMessage(connection, retryTopic, { group, deadlineMillis: 3000 });
    expect(retried.receivedAt - sentAt).toBeGreaterThanOrEqual(TABLE.delayMillisOf(4));
    expect(retried.message.reconsumeTimes).toBe(1);

    const atLimit = sendHeader(retryTopic, {
      reconsumeTimes: 2,
      maxReconsumeTimes: 2,
      properties: encodeProperties(properties),
    });
    expect((await sendMessage(connection, atLimit, Buffer.from('f2'))).code).toBe(ResponseCode.SUCCESS);
    const dead = await awaitMessage(connection, `%DLQ%${group}`, {
      group: 'TOOLS_CONSUMER',
      deadlineMillis: 2000,
    });
    expect(dead.message.body.toString()).toBe('f2');
    expect(dead.message.properties[MessageConst.DELAY]).toBeUndefined();
  });
});

async function queryByKey(
  connection: RemotingConnection,
  topic: string,
  key: string,
): Promise<MessageRecord[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const header = { topic, key, maxNum: 32, beginTimestamp: 0, endTimestamp: Date.now() + 60_000 };
    const response = await connection.invoke(
      createRequest(RequestCode.QUERY_MESSAGE, toExtFields(header)),
      TIMEOUT,
    );
    if (response.code === ResponseCode.SUCCESS) return decodeRecords(response.body);
    await sleep(20);
  }
  return [];
}
