/**
 * The acceptance test of the protocol: ali-ons, a RocketMQ remoting client written by others, against
 * our NameServer and broker. If an independent client can route, send, heartbeat, rebalance, pull,
 * filter by tag and commit offsets here, the wire protocol is real.
 *
 * Flow: create the topic (ali-ons cannot auto-create) → wait for its route → 1,000 sends with tags
 * and unique keys → a '*' consumer group gets all of them → a 'TagA || TagB' group gets exactly
 * those → every message is readable through our broker by offset msgId and by key.
 */
import { Consumer, type ConsumerOptions, Message, Producer } from 'ali-ons';
import {
  type MessageRecord,
  RemotingConnection,
  RequestCode,
  PullSysFlag,
  ResponseCode,
  createRequest,
  decodeOffsetMessageId,
  decodeStoredMessage,
  decodeStoredMessages,
  toExtFields,
} from '@flashsale/mq/protocol';
import { TIMEOUT, createTopic, waitForRoute } from './support/broker-client';
import { type TestCluster, startTestCluster } from './support/broker-harness';

jest.setTimeout(120_000);

const TOPIC = 'OnsConformance';
const QUEUES = 8;
const COUNT = 1000;
const TAGS = ['TagA', 'TagB', 'TagC'];

const quiet = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/**
 * ali-ons runs its periodic tasks as `await sleep(interval)` loops that close() cannot cancel; short
 * intervals let the last sleep end soon after the test instead of holding Jest for 30 s.
 */
const SHORT_INTERVALS = {
  heartbeatBrokerInterval: 1000,
  pollNameServerInteval: 1000,
  rebalanceInterval: 1000,
  persistConsumerOffsetInterval: 1000,
};

interface Sent {
  key: string;
  tag: string;
  body: string;
  offsetMsgId: string;
}

interface Received {
  tag: string | undefined;
  keys: string | undefined;
  body: string;
  msgId: string;
}

describe('ali-ons conformance (e2e)', () => {
  let cluster: TestCluster;
  let producer: Producer | undefined;
  const consumers: Consumer[] = [];
  const clientErrors: Error[] = [];
  const sent: Sent[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster();
    const connection = await RemotingConnection.connect(cluster.brokers[0].addr);
    try {
      expect((await createTopic(connection, TOPIC, QUEUES)).code).toBe(ResponseCode.SUCCESS);
    } finally {
      connection.close();
    }
    await waitForRoute(cluster.namesrvAddr, TOPIC, (route) => route.queueDatas[0]?.writeQueueNums === QUEUES);
  });

  afterAll(async () => {
    for (const consumer of consumers) await consumer.close();
    await producer?.close();
    await Producer.defaultProducer?.close();
    await cluster?.stop();
  });

  function consumerOptions(consumerGroup: string): ConsumerOptions {
    return {
      nameSrv: cluster.namesrvAddr,
      httpclient: {},
      consumerGroup,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      logger: quiet,
      ...SHORT_INTERVALS,
    };
  }

  async function consumeUntil(
    group: string,
    subExpression: string,
    expected: number,
  ): Promise<Map<string, Received>> {
    const received = new Map<string, Received>();
    const consumer = new Consumer(consumerOptions(group));
    consumer.on('error', (err: Error) => clientErrors.push(err));
    consumers.push(consumer);
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    consumer.subscribe(TOPIC, subExpression, async (msg) => {
      const record: Received = { tag: msg.tags, keys: msg.keys, body: msg.body.toString(), msgId: msg.msgId };
      received.set(record.keys ?? `no-key-${msg.msgId}`, record);
      if (received.size >= expected) done();
    });
    await consumer.ready();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${group} got ${received.size} of ${expected}`)), 60_000);
    });
    try {
      await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return received;
  }

  it('sends 1,000 messages with tags and keys through the ali-ons producer', async () => {
    producer = new Producer({
      nameSrv: cluster.namesrvAddr,
      httpclient: {},
      producerGroup: 'ons-conformance-producer',
      logger: quiet,
      ...SHORT_INTERVALS,
    });
    producer.on('error', (err: Error) => clientErrors.push(err));
    await producer.ready();
    // The hidden CLIENT_INNER_PRODUCER reports the client's errors (e.g. a route not there yet).
    Producer.defaultProducer?.on('error', (err: Error) => clientErrors.push(err));
    for (let i = 0; i < COUNT; i += 50) {
      const batch = Array.from({ length: Math.min(50, COUNT - i) }, (_, j) => i + j);
      const results = await Promise.all(
        batch.map(async (n) => {
          const tag = TAGS[n % TAGS.length];
          const msg = new Message(TOPIC, tag, `body-${n}-${'x'.repeat(n % 97)}`);
          msg.keys = [`key-${n}`];
          const result = await producer!.send(msg);
          return { n, tag, result };
        }),
      );
      for (const { n, tag, result } of results) {
        expect(result.sendStatus).toBe('SEND_OK');
        sent.push({
          key: `key-${n}`,
          tag,
          body: `body-${n}-${'x'.repeat(n % 97)}`,
          offsetMsgId: result.msgId,
        });
      }
    }
    expect(sent).toHaveLength(COUNT);
    expect(new Set(sent.map((s) => s.offsetMsgId)).size).toBe(COUNT);
  });

  it("delivers all 1,000 to a clustering consumer subscribed to '*', with bodies, tags and keys intact", async () => {
    const received = await consumeUntil('ons-conformance-all', '*', COUNT);
    expect(received.size).toBe(COUNT);
    for (const message of sent) {
      const got = received.get(message.key);
      expect(got).toEqual({
        tag: message.tag,
        keys: message.key,
        body: message.body,
        msgId: message.offsetMsgId,
      });
    }
  });

  it("delivers exactly the TagA and TagB messages to a group subscribed to 'TagA || TagB'", async () => {
    const wanted = sent.filter((s) => s.tag !== 'TagC');
    const received = await consumeUntil('ons-conformance-ab', 'TagA || TagB', wanted.length);
    // Give stray TagC deliveries, if the filter leaked, a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([...received.values()].filter((r) => r.tag === 'TagC')).toEqual([]);
    expect([...received.keys()].sort()).toEqual(wanted.map((s) => s.key).sort());
  });

  it('filters tags on the broker: a raw pull with TagA || TagB returns no TagC record', async () => {
    const connection = await RemotingConnection.connect(cluster.brokers[0].addr);
    try {
      let pulled = 0;
      for (let queueId = 0; queueId < QUEUES; queueId++) {
        const header = toExtFields({
          consumerGroup: 'raw-filter-check',
          topic: TOPIC,
          queueId,
          queueOffset: 0,
          maxMsgNums: 32,
          sysFlag: PullSysFlag.SUBSCRIPTION,
          commitOffset: 0,
          suspendTimeoutMillis: 0,
          subscription: 'TagA || TagB',
          subVersion: 0,
        });
        const response = await connection.invoke(createRequest(RequestCode.PULL_MESSAGE, header), TIMEOUT);
        expect(response.code).toBe(ResponseCode.SUCCESS);
        const records = decodeStoredMessages(response.body!);
        expect(records.map((r) => r.properties.TAGS).filter((tag) => tag === 'TagC')).toEqual([]);
        pulled += records.length;
      }
      expect(pulled).toBeGreaterThan(0);
    } finally {
      connection.close();
    }
  });

  it('has every message readable by offset msgId (VIEW_MESSAGE_BY_ID) and by key (QUERY_MESSAGE)', async () => {
    const connection = await RemotingConnection.connect(cluster.brokers[0].addr);
    try {
      for (const message of sent) {
        const { storeHost, commitLogOffset } = decodeOffsetMessageId(message.offsetMsgId);
        expect(`${storeHost.host}:${storeHost.port}`).toBe(cluster.brokers[0].addr);
        const byId = await connection.invoke(
          createRequest(RequestCode.VIEW_MESSAGE_BY_ID, { offset: String(commitLogOffset) }),
          TIMEOUT,
        );
        expect(byId.code).toBe(ResponseCode.SUCCESS);
        const decoded = decodeStoredMessage(byId.body!, 0);
        if (decoded.status !== 'OK')
          throw new Error(`VIEW_MESSAGE_BY_ID returned a bad record: ${decoded.status}`);
        expectSame(decoded.message, message);

        const query = toExtFields({
          topic: TOPIC,
          key: message.key,
          maxNum: 32,
          beginTimestamp: 0,
          endTimestamp: Date.now(),
        });
        const byKey = await connection.invoke(createRequest(RequestCode.QUERY_MESSAGE, query), TIMEOUT);
        expect(byKey.code).toBe(ResponseCode.SUCCESS);
        const found = decodeStoredMessages(byKey.body!);
        expect(found).toHaveLength(1);
        expectSame(found[0], message);
      }
    } finally {
      connection.close();
    }
  });

  function expectSame(record: MessageRecord, message: Sent): void {
    expect(record.topic).toBe(TOPIC);
    expect(record.body.toString()).toBe(message.body);
    expect(record.properties.TAGS).toBe(message.tag);
    expect(record.properties.KEYS).toBe(message.key);
  }

  it('raised no client-side errors beyond the retry-topic route appearing late', () => {
    const unexpected = clientErrors.filter((err) => !/%RETRY%|route/i.test(err.message));
    expect(unexpected.map((err) => err.message)).toEqual([]);
  });
});
