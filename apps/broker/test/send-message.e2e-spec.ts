/**
 * SEND_MESSAGE (10), SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320) against a real broker over
 * TCP: what gets stored, what the response carries, and every refusal with its code and remark.
 */
import {
  RemotingConnection,
  RequestCode,
  ResponseCode,
  createRequest,
  decodeOffsetMessageId,
  decodeStoredMessage,
  decodeStoredMessages,
  encodeBatchBody,
  encodeProperties,
  toExtFields,
} from '@flashsale/mq/protocol';
import { TIMEOUT, createTopic, sendHeader, sendMessage, waitForRoute } from './support/broker-client';
import { type TestCluster, startTestCluster } from './support/broker-harness';

describe('send message (e2e)', () => {
  let cluster: TestCluster;
  let connection: RemotingConnection;
  const topic = 'SendE2E';

  beforeAll(async () => {
    cluster = await startTestCluster();
    connection = await RemotingConnection.connect(cluster.brokers[0].addr);
    expect((await createTopic(connection, topic, 4)).code).toBe(ResponseCode.SUCCESS);
  });

  afterAll(async () => {
    connection?.close();
    await cluster?.stop();
  });

  async function viewById(offsetMsgId: string) {
    const { commitLogOffset } = decodeOffsetMessageId(offsetMsgId);
    const response = await connection.invoke(
      createRequest(RequestCode.VIEW_MESSAGE_BY_ID, { offset: String(commitLogOffset) }),
      TIMEOUT,
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const decoded = decodeStoredMessage(response.body!, 0);
    if (decoded.status !== 'OK') throw new Error(`record did not decode: ${decoded.status}`);
    return decoded.message;
  }

  it('stores a V1 send and answers msgId, queueId, queueOffset, MSG_REGION and TRACE_ON', async () => {
    const header = sendHeader(topic, {
      queueId: 1,
      properties: encodeProperties({ TAGS: 'TagA', KEYS: 'k1', WAIT: 'true' }),
    });
    const response = await sendMessage(connection, header, Buffer.from('hello v1'), RequestCode.SEND_MESSAGE);

    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.extFields.msgId).toMatch(/^[0-9A-F]{32}$/);
    expect(response.extFields.queueId).toBe('1');
    expect(response.extFields.queueOffset).toBe('0');
    expect(response.extFields.MSG_REGION).toBe('DefaultRegion');
    expect(response.extFields.TRACE_ON).toBe('true');
    expect(decodeOffsetMessageId(response.extFields.msgId).storeHost).toEqual({
      host: '127.0.0.1',
      port: cluster.brokers[0].config.listenPort,
    });

    const stored = await viewById(response.extFields.msgId);
    expect(stored.topic).toBe(topic);
    expect(stored.body.toString()).toBe('hello v1');
    expect(stored.properties).toEqual({ TAGS: 'TagA', KEYS: 'k1', CLUSTER: 'DefaultCluster' });
    expect(stored.bornHost.host).toBe('127.0.0.1');
  });

  it('stores V2 sends with consecutive queue offsets and accepts ali-ons style properties', async () => {
    const header = sendHeader(topic, { queueId: 2, properties: 'TAGS\u0001null\u0002KEYS\u0001x\u0002' });
    const first = await sendMessage(connection, header, Buffer.from('a'));
    const second = await sendMessage(connection, header, Buffer.from('b'));
    expect([first.code, second.code]).toEqual([ResponseCode.SUCCESS, ResponseCode.SUCCESS]);
    expect(Number(second.extFields.queueOffset)).toBe(Number(first.extFields.queueOffset) + 1);
    expect((await viewById(second.extFields.msgId)).properties.TAGS).toBe('null');
  });

  it('picks a random writable queue when queueId is negative', async () => {
    const response = await sendMessage(
      connection,
      sendHeader(topic, { queueId: -1 }),
      Buffer.from('any queue'),
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(Number(response.extFields.queueId)).toBeGreaterThanOrEqual(0);
    expect(Number(response.extFields.queueId)).toBeLessThan(4);
  });

  it('stores a batch contiguously and answers one msgId per message', async () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({
      flag: i,
      body: Buffer.from(`batch ${i}`),
      properties: { TAGS: 'TagB', KEYS: `batch-key-${i}` },
    }));
    const header = sendHeader(topic, {
      queueId: 3,
      batch: true,
      properties: encodeProperties({ WAIT: 'true' }),
    });
    const response = await sendMessage(
      connection,
      header,
      encodeBatchBody(messages),
      RequestCode.SEND_BATCH_MESSAGE,
    );

    expect(response.code).toBe(ResponseCode.SUCCESS);
    const ids = response.extFields.msgId.split(',');
    expect(ids).toHaveLength(10);
    const firstOffset = Number(response.extFields.queueOffset);
    for (let i = 0; i < ids.length; i++) {
      const stored = await viewById(ids[i]);
      expect(stored.body.toString()).toBe(`batch ${i}`);
      expect(stored.flag).toBe(i);
      expect(stored.queueOffset).toBe(firstOffset + i);
      expect(stored.properties).toEqual({ TAGS: 'TagB', KEYS: `batch-key-${i}`, CLUSTER: 'DefaultCluster' });
    }
  });

  it('refuses a batch with a delay level (13)', async () => {
    const body = encodeBatchBody([{ flag: 0, body: Buffer.from('x'), properties: { DELAY: '3' } }]);
    const response = await sendMessage(
      connection,
      sendHeader(topic, { batch: true }),
      body,
      RequestCode.SEND_BATCH_MESSAGE,
    );
    expect(response.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect(response.remark).toMatch(/delay/);
  });

  it('auto-creates an unknown topic from TBW102 with min(4, 8) queues and registers it', async () => {
    const response = await sendMessage(
      connection,
      sendHeader('AutoCreated', { queueId: 3 }),
      Buffer.from('new'),
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const config = cluster.brokers[0].controller.topicConfigManager.selectTopicConfig('AutoCreated');
    expect(config).toMatchObject({ readQueueNums: 4, writeQueueNums: 4, perm: 6 });
    const route = await waitForRoute(cluster.namesrvAddr, 'AutoCreated');
    expect(route.queueDatas[0]).toMatchObject({ writeQueueNums: 4, perm: 6 });
  });

  it('refuses a body larger than maxMessageSize with MESSAGE_ILLEGAL (13)', async () => {
    const body = Buffer.alloc(4 * 1024 * 1024 + 1, 1);
    const response = await sendMessage(connection, sendHeader(topic), body);
    expect(response.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect(response.remark).toMatch(/maxMessageSize/);
  });

  it('refuses an illegal topic name with SYSTEM_ERROR and an explaining remark', async () => {
    const response = await sendMessage(connection, sendHeader('bad topic!'), Buffer.from('x'));
    expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).toContain('The specified topic[bad topic!] contains illegal characters');
  });

  it('refuses sending to a broker-internal topic with NO_PERMISSION (16)', async () => {
    const response = await sendMessage(connection, sendHeader('SCHEDULE_TOPIC_XXXX'), Buffer.from('x'));
    expect(response.code).toBe(ResponseCode.NO_PERMISSION);
  });

  it('refuses a queueId beyond the topic queues with SYSTEM_ERROR (1)', async () => {
    const response = await sendMessage(connection, sendHeader(topic, { queueId: 4 }), Buffer.from('x'));
    expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).toMatch(/queueId\[4\] is illegal/);
  });

  it('answers REQUEST_CODE_NOT_SUPPORTED (3) to an unknown request code', async () => {
    const response = await connection.invoke(createRequest(9999), TIMEOUT);
    expect(response.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
  });

  it('answers SYSTEM_ERROR when a required header field is missing', async () => {
    const ext = toExtFields({ b: topic });
    const response = await connection.invoke(
      createRequest(RequestCode.SEND_MESSAGE_V2, ext, Buffer.from('x')),
      TIMEOUT,
    );
    expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
  });

  it('diverts a retry message that used up its retries to %DLQ%<group>', async () => {
    const group = 'dlq-group';
    const header = sendHeader(`%RETRY%${group}`, { reconsumeTimes: 16, maxReconsumeTimes: 16 });
    const response = await sendMessage(connection, header, Buffer.from('poison'));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const stored = await viewById(response.extFields.msgId);
    expect(stored.topic).toBe(`%DLQ%${group}`);
    expect(stored.reconsumeTimes).toBe(16);
  });

  it('queries stored messages by key through the index', async () => {
    const header = sendHeader(topic, { properties: encodeProperties({ TAGS: 'TagQ', KEYS: 'order-42' }) });
    const sent = await sendMessage(connection, header, Buffer.from('by key'));
    expect(sent.code).toBe(ResponseCode.SUCCESS);
    await cluster.brokers[0].controller.store.whenDispatched();
    const ext = toExtFields({
      topic,
      key: 'order-42',
      maxNum: 32,
      beginTimestamp: 0,
      endTimestamp: Date.now() + 1000,
    });
    const response = await connection.invoke(createRequest(RequestCode.QUERY_MESSAGE, ext), TIMEOUT);
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const found = decodeStoredMessages(response.body!);
    expect(found.map((m) => m.body.toString())).toEqual(['by key']);

    const missing = await connection.invoke(
      createRequest(RequestCode.QUERY_MESSAGE, { ...ext, key: 'no-such-key' }),
      TIMEOUT,
    );
    expect(missing.code).toBe(ResponseCode.QUERY_NOT_FOUND);
  });
});

describe('send message with autoCreateTopicEnable=false (e2e)', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({ brokerConfig: { autoCreateTopicEnable: false } });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('answers TOPIC_NOT_EXIST (17) for an unknown topic', async () => {
    const connection = await RemotingConnection.connect(cluster.brokers[0].addr);
    try {
      const response = await sendMessage(connection, sendHeader('NeverCreated'), Buffer.from('x'));
      expect(response.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
      expect(response.remark).toContain('NeverCreated');
    } finally {
      connection.close();
    }
  });
});
