/**
 * Timer messages (the 5.x feature beyond delay levels) end to end: TIMER_DELIVER_MS at an arbitrary
 * time is delivered within the wheel's precision (default 1000 ms: at the time rounded down to the
 * second, never later than a few ms after it), a time beyond timerMaxDelaySec is refused with
 * MESSAGE_ILLEGAL (13), and a pending timer survives a broker restart without being delivered twice.
 */
import { freePort, tempDir, type TempDir } from '@flashsale/testing';
import {
  MessageConst,
  RemotingConnection,
  ResponseCode,
  createUniqueMessageId,
  encodeProperties,
} from '@flashsale/mq/protocol';
import { createTopic, sendHeader, sendMessage, waitForRoute } from './support/broker-client';
import {
  type BrokerProcess,
  type TestCluster,
  spawnBrokerProcess,
  startTestCluster,
} from './support/broker-harness';
import { awaitMessage, maxOffset, sleep } from './support/schedule-client';

jest.setTimeout(60_000);

const PRECISION_MILLIS = 1000;
/** Timer latency, store dispatch and the long-poll wake-up. */
const SLACK_MILLIS = 250;

function timerHeader(topic: string, queueId: number, properties: Record<string, string>) {
  return sendHeader(topic, { queueId, properties: encodeProperties({ TAGS: 'TagT', ...properties }) });
}

function expectWithinPrecision(deliveredAt: number, deliverAt: number): void {
  expect(deliveredAt).toBeGreaterThanOrEqual(deliverAt - PRECISION_MILLIS);
  expect(deliveredAt).toBeLessThanOrEqual(deliverAt + PRECISION_MILLIS + SLACK_MILLIS);
}

describe('timer messages (e2e)', () => {
  describe('on an in-process broker', () => {
    let cluster: TestCluster;
    let connection: RemotingConnection;

    beforeAll(async () => {
      cluster = await startTestCluster();
      connection = await RemotingConnection.connect(cluster.brokers[0].addr);
      expect((await createTopic(connection, 'TimerTopic', 4)).code).toBe(ResponseCode.SUCCESS);
    });

    afterAll(async () => {
      connection?.close();
      await cluster?.stop();
    });

    it('delivers TIMER_DELIVER_MS messages at random times 2–6 s ahead within the precision', async () => {
      const plans = [0, 1, 2].map((queueId) => ({
        queueId,
        deliverAt: Date.now() + 2000 + Math.floor(Math.random() * 4000),
        uniqKey: createUniqueMessageId(),
      }));
      for (const plan of plans) {
        const header = timerHeader('TimerTopic', plan.queueId, {
          [MessageConst.TIMER_DELIVER_MS]: String(plan.deliverAt),
          [MessageConst.UNIQ_KEY]: plan.uniqKey,
        });
        expect((await sendMessage(connection, header, Buffer.from(`t${plan.queueId}`))).code).toBe(
          ResponseCode.SUCCESS,
        );
      }
      const waiting = await awaitMessage(connection, 'rmq_sys_wheel_timer', { deadlineMillis: 2000 });
      expect(waiting.message.properties[MessageConst.REAL_TOPIC]).toBe('TimerTopic');
      expect(Number(waiting.message.properties[MessageConst.TIMER_OUT_MS]) % PRECISION_MILLIS).toBe(0);
      for (const plan of plans) expect(await maxOffset(connection, 'TimerTopic', plan.queueId)).toBe(0);

      const deliveries = await Promise.all(
        plans.map(async (plan) => {
          const own = await RemotingConnection.connect(cluster.brokers[0].addr);
          try {
            return await awaitMessage(own, 'TimerTopic', { queueId: plan.queueId, deadlineMillis: 10_000 });
          } finally {
            own.close();
          }
        }),
      );
      plans.forEach((plan, i) => {
        const { message, receivedAt } = deliveries[i];
        process.stdout.write(
          `timer: asked for +${plan.deliverAt - waiting.message.storeTimestamp} ms, delivered ${receivedAt - plan.deliverAt} ms vs the requested time (re-put ${message.storeTimestamp - plan.deliverAt} ms)\n`,
        );
        expectWithinPrecision(receivedAt, plan.deliverAt);
        expect(message.properties[MessageConst.UNIQ_KEY]).toBe(plan.uniqKey);
        expect(message.properties[MessageConst.TIMER_DELIVER_MS]).toBeUndefined();
        expect(message.body.toString()).toBe(`t${plan.queueId}`);
      });
    });

    it('refuses a timer beyond timerMaxDelaySec (3 days) with MESSAGE_ILLEGAL', async () => {
      const tooLate = Date.now() + 259_200_000 + 60_000;
      const response = await sendMessage(
        connection,
        timerHeader('TimerTopic', 0, { [MessageConst.TIMER_DELIVER_MS]: String(tooLate) }),
        Buffer.from('x'),
      );
      expect(response.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
      expect(response.remark).toMatch(/timerMaxDelaySec/);
    });

    it('stores a timer due within one precision step as a normal message, and lets a DELAY level win', async () => {
      const soon = timerHeader('TimerTopic', 3, { [MessageConst.TIMER_DELAY_MS]: '500' });
      expect((await sendMessage(connection, soon, Buffer.from('now'))).code).toBe(ResponseCode.SUCCESS);
      const now = await awaitMessage(connection, 'TimerTopic', { queueId: 3, deadlineMillis: 1000 });
      expect(now.message.body.toString()).toBe('now');

      const both = timerHeader('TimerTopic', 3, {
        [MessageConst.TIMER_DELAY_SEC]: '60',
        [MessageConst.DELAY]: '1',
      });
      expect((await sendMessage(connection, both, Buffer.from('level'))).code).toBe(ResponseCode.SUCCESS);
      const levelled = await awaitMessage(connection, 'TimerTopic', {
        queueId: 3,
        offset: 1,
        deadlineMillis: 5000,
      });
      expect(levelled.message.body.toString()).toBe('level');
      expect(levelled.message.properties[MessageConst.TIMER_DELAY_SEC]).toBeUndefined();
    });
  });

  describe('across a broker restart', () => {
    let cluster: TestCluster;
    let storeDir: TempDir;
    let broker: BrokerProcess | undefined;

    beforeAll(async () => {
      cluster = await startTestCluster({ brokers: 0 });
      storeDir = await tempDir('timer-restart-');
    });

    afterAll(async () => {
      await broker?.kill9();
      await cluster?.stop();
      await storeDir?.remove();
    });

    it('rebuilds the wheel from the timer queue, delivers on time, and does not deliver twice', async () => {
      const options = { storeDir: storeDir.path, namesrvAddr: cluster.namesrvAddr, port: await freePort() };
      broker = await spawnBrokerProcess(options);
      let connection = await RemotingConnection.connect(broker.addr);
      const early = Date.now() + 1500;
      const deliverAt = Date.now() + 4000 + Math.floor(Math.random() * 1000);
      try {
        expect((await createTopic(connection, 'TimerRestart', 2)).code).toBe(ResponseCode.SUCCESS);
        await waitForRoute(cluster.namesrvAddr, 'TimerRestart');
        const first = timerHeader('TimerRestart', 0, { [MessageConst.TIMER_DELIVER_MS]: String(early) });
        const second = timerHeader('TimerRestart', 1, { [MessageConst.TIMER_DELIVER_MS]: String(deliverAt) });
        expect((await sendMessage(connection, first, Buffer.from('early'))).code).toBe(ResponseCode.SUCCESS);
        expect((await sendMessage(connection, second, Buffer.from('late'))).code).toBe(ResponseCode.SUCCESS);
        // The early one is delivered before the restart; the late one is pending across it.
        await awaitMessage(connection, 'TimerRestart', { queueId: 0, deadlineMillis: 5000 });
      } finally {
        connection.close();
      }
      expect(await broker.stop()).toBe(0);
      broker = await spawnBrokerProcess(options);
      connection = await RemotingConnection.connect(broker.addr);
      try {
        const delivered = await awaitMessage(connection, 'TimerRestart', {
          queueId: 1,
          deadlineMillis: 10_000,
        });
        process.stdout.write(
          `timer across a restart: delivered ${delivered.receivedAt - deliverAt} ms vs the requested time\n`,
        );
        expectWithinPrecision(delivered.receivedAt, deliverAt);
        await sleep(1500);
        expect(await maxOffset(connection, 'TimerRestart', 0)).toBe(1);
        expect(await maxOffset(connection, 'TimerRestart', 1)).toBe(1);
      } finally {
        connection.close();
      }

      // A second restart after both deliveries re-reads the timer queue and delivers nothing again.
      expect(await broker.stop()).toBe(0);
      broker = await spawnBrokerProcess(options);
      connection = await RemotingConnection.connect(broker.addr);
      try {
        await sleep(1500);
        expect(await maxOffset(connection, 'TimerRestart', 0)).toBe(1);
        expect(await maxOffset(connection, 'TimerRestart', 1)).toBe(1);
      } finally {
        connection.close();
      }
    });
  });
});
