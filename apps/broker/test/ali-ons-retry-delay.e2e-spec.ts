/**
 * Delay levels and consumption retry with ali-ons, an independent RocketMQ client: a message sent
 * with `delayTimeLevel = 1` reaches the ali-ons consumer only after level 1's delay, and a message
 * whose handler throws comes back — through CONSUMER_SEND_MSG_BACK, SCHEDULE_TOPIC_XXXX and
 * %RETRY%<group> — with reconsumeTimes 1, under its original topic (ali-ons restores msg.topic from
 * RETRY_TOPIC, which our broker must set).
 *
 * The broker runs a custom level table, "1s 2s 1s": level 1 = 1 s for the delayed send, and level
 * 3 (the first retry, 3 + reconsumeTimes) = 1 s instead of RocketMQ's 10 s, to keep the test short.
 */
import { Consumer, Message, Producer } from 'ali-ons';
import { RemotingConnection, ResponseCode } from '@flashsale/mq/protocol';
import { createTopic, waitForRoute } from './support/broker-client';
import { type TestCluster, startTestCluster } from './support/broker-harness';

jest.setTimeout(60_000);

const TOPIC = 'OnsRetryDelay';
const GROUP = 'ons-retry-delay-group';
const LEVEL_1_MILLIS = 1000;
const FIRST_RETRY_MILLIS = 1000;

const quiet = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
const SHORT_INTERVALS = {
  heartbeatBrokerInterval: 1000,
  pollNameServerInteval: 1000,
  rebalanceInterval: 1000,
  persistConsumerOffsetInterval: 1000,
};

interface Delivery {
  key: string | undefined;
  topic: string;
  reconsumeTimes: number;
  retryTopic: string | undefined;
  body: string;
  at: number;
}

describe('ali-ons: delay levels and consumption retry (e2e)', () => {
  let cluster: TestCluster;
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  const deliveries: Delivery[] = [];
  const waiters: Array<() => void> = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ brokerConfig: { messageDelayLevel: '1s 2s 1s' } });
    const connection = await RemotingConnection.connect(cluster.brokers[0].addr);
    try {
      expect((await createTopic(connection, TOPIC, 2)).code).toBe(ResponseCode.SUCCESS);
    } finally {
      connection.close();
    }
    await waitForRoute(cluster.namesrvAddr, TOPIC);

    consumer = new Consumer({
      nameSrv: cluster.namesrvAddr,
      httpclient: {},
      consumerGroup: GROUP,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      logger: quiet,
      ...SHORT_INTERVALS,
    });
    consumer.on('error', () => undefined); // the thrown handler error and the late %RETRY% route
    consumer.subscribe(TOPIC, '*', async (msg) => {
      deliveries.push({
        key: msg.keys,
        topic: msg.topic,
        reconsumeTimes: msg.reconsumeTimes,
        retryTopic: msg.retryTopic,
        body: msg.body.toString(),
        at: Date.now(),
      });
      for (const wake of waiters.splice(0)) wake();
      if (msg.keys === 'fail-once' && msg.reconsumeTimes === 0) throw new Error('simulated consume failure');
    });
    await consumer.ready();

    producer = new Producer({
      nameSrv: cluster.namesrvAddr,
      httpclient: {},
      producerGroup: 'ons-retry-delay-producer',
      logger: quiet,
      ...SHORT_INTERVALS,
    });
    producer.on('error', () => undefined);
    await producer.ready();
  });

  afterAll(async () => {
    await consumer?.close();
    await producer?.close();
    await Producer.defaultProducer?.close();
    await cluster?.stop();
  });

  async function waitFor(accept: (d: Delivery) => boolean, timeoutMillis: number): Promise<Delivery> {
    const deadline = Date.now() + timeoutMillis;
    for (;;) {
      const found = deliveries.find(accept);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching delivery; got ${JSON.stringify(deliveries)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  it('delivers a delayTimeLevel=1 message after the level-1 delay', async () => {
    const msg = new Message(TOPIC, 'TagD', 'delayed');
    msg.keys = ['delayed-1'];
    msg.delayTimeLevel = 1;
    const sentAt = Date.now();
    expect((await producer!.send(msg)).sendStatus).toBe('SEND_OK');
    const delivery = await waitFor((d) => d.key === 'delayed-1', 15_000);
    process.stdout.write(
      `ali-ons: delay level 1 (${LEVEL_1_MILLIS} ms) consumed after ${delivery.at - sentAt} ms\n`,
    );
    expect(delivery.at - sentAt).toBeGreaterThanOrEqual(LEVEL_1_MILLIS);
    expect(delivery.topic).toBe(TOPIC);
    expect(delivery.reconsumeTimes).toBe(0);
  });

  it('redelivers a message whose handler threw, from %RETRY%<group>, with reconsumeTimes 1 and its topic', async () => {
    const msg = new Message(TOPIC, 'TagR', 'fails once');
    msg.keys = ['fail-once'];
    expect((await producer!.send(msg)).sendStatus).toBe('SEND_OK');
    const first = await waitFor((d) => d.key === 'fail-once' && d.reconsumeTimes === 0, 15_000);
    const retry = await waitFor((d) => d.key === 'fail-once' && d.reconsumeTimes === 1, 15_000);
    process.stdout.write(
      `ali-ons: first retry (level 3 = ${FIRST_RETRY_MILLIS} ms) arrived ${retry.at - first.at} ms after the failure\n`,
    );
    expect(retry.at - first.at).toBeGreaterThanOrEqual(FIRST_RETRY_MILLIS);
    expect(retry.topic).toBe(TOPIC);
    expect(retry.retryTopic).toBe(TOPIC);
    expect(retry.body).toBe('fails once');
    // The handler succeeded the second time: no third delivery.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(deliveries.filter((d) => d.key === 'fail-once')).toHaveLength(2);
  });
});
