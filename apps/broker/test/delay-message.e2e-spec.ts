/**
 * Delayed messages end to end, with RocketMQ's real level table: a DELAY=2 (5 s) message waits in
 * SCHEDULE_TOPIC_XXXX queue 1, is not in its real topic before 5 s, and arrives shortly after — also
 * when the broker is stopped and restarted on the same store while the message is pending.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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
import { awaitMessage, maxOffset, pull, sleep } from './support/schedule-client';

jest.setTimeout(60_000);

const LEVEL = 2;
const LEVEL_DELAY_MILLIS = 5000;
/** Allowed lateness: the store dispatch, the task's timer and the long-poll wake-up together. */
const LATE_TOLERANCE_MILLIS = 1500;

function delayedHeader(topic: string, uniqKey: string) {
  return sendHeader(topic, {
    queueId: 1,
    properties: encodeProperties({ TAGS: 'TagD', KEYS: 'order-1', DELAY: String(LEVEL), UNIQ_KEY: uniqKey }),
  });
}

describe('delay messages (e2e)', () => {
  describe('on an in-process broker', () => {
    let cluster: TestCluster;
    let connection: RemotingConnection;

    beforeAll(async () => {
      cluster = await startTestCluster();
      connection = await RemotingConnection.connect(cluster.brokers[0].addr);
      expect((await createTopic(connection, 'DelayTopic', 4)).code).toBe(ResponseCode.SUCCESS);
    });

    afterAll(async () => {
      connection?.close();
      await cluster?.stop();
    });

    it('keeps a level-2 message in SCHEDULE_TOPIC_XXXX for 5 s, then delivers it to its real queue', async () => {
      const uniqKey = createUniqueMessageId();
      const sentAt = Date.now();
      const response = await sendMessage(
        connection,
        delayedHeader('DelayTopic', uniqKey),
        Buffer.from('later'),
      );
      expect(response.code).toBe(ResponseCode.SUCCESS);
      expect(response.extFields.queueId).toBe('1');

      const waiting = await awaitMessage(connection, 'SCHEDULE_TOPIC_XXXX', {
        queueId: LEVEL - 1,
        deadlineMillis: 2000,
      });
      expect(waiting.message.properties).toMatchObject({
        [MessageConst.REAL_TOPIC]: 'DelayTopic',
        [MessageConst.REAL_QID]: '1',
        [MessageConst.DELAY]: String(LEVEL),
        [MessageConst.UNIQ_KEY]: uniqKey,
      });
      expect(await maxOffset(connection, 'DelayTopic', 1)).toBe(0);

      const delivered = await awaitMessage(connection, 'DelayTopic', { queueId: 1, deadlineMillis: 10_000 });
      const measured = delivered.receivedAt - sentAt;
      const storeDelay = delivered.message.storeTimestamp - waiting.message.storeTimestamp;
      process.stdout.write(
        `delay level ${LEVEL}: consumer saw the message ${measured} ms after the send (re-put ${storeDelay} ms after the original store time)\n`,
      );
      expect(storeDelay).toBeGreaterThanOrEqual(LEVEL_DELAY_MILLIS);
      expect(measured).toBeGreaterThanOrEqual(LEVEL_DELAY_MILLIS);
      expect(measured).toBeLessThanOrEqual(LEVEL_DELAY_MILLIS + LATE_TOLERANCE_MILLIS);

      const message = delivered.message;
      expect(message.topic).toBe('DelayTopic');
      expect(message.queueId).toBe(1);
      expect(message.body.toString()).toBe('later');
      expect(message.bornTimestamp).toBe(waiting.message.bornTimestamp);
      expect(message.properties[MessageConst.DELAY]).toBeUndefined();
      expect(message.properties).toMatchObject({
        [MessageConst.UNIQ_KEY]: uniqKey,
        [MessageConst.KEYS]: 'order-1',
        [MessageConst.TAGS]: 'TagD',
        [MessageConst.REAL_TOPIC]: 'DelayTopic',
        [MessageConst.WAIT]: 'false',
      });
    });

    it('clamps a level above 18 to 18 (queue 17)', async () => {
      const header = sendHeader('DelayTopic', { properties: encodeProperties({ DELAY: '99' }) });
      expect((await sendMessage(connection, header, Buffer.from('x'))).code).toBe(ResponseCode.SUCCESS);
      const waiting = await awaitMessage(connection, 'SCHEDULE_TOPIC_XXXX', {
        queueId: 17,
        deadlineMillis: 2000,
      });
      expect(waiting.message.properties[MessageConst.DELAY]).toBe('18');
    });

    it('does not let producers write to SCHEDULE_TOPIC_XXXX or rmq_sys_wheel_timer directly', async () => {
      for (const topic of ['SCHEDULE_TOPIC_XXXX', 'rmq_sys_wheel_timer']) {
        const response = await sendMessage(connection, sendHeader(topic), Buffer.from('x'));
        expect(response.code).toBe(ResponseCode.NO_PERMISSION);
      }
      expect((await pull(connection, 'DelayTopic', { queueId: 0 })).messages).toHaveLength(0);
    });
  });

  describe('across a broker restart', () => {
    let cluster: TestCluster;
    let storeDir: TempDir;
    let broker: BrokerProcess | undefined;

    beforeAll(async () => {
      cluster = await startTestCluster({ brokers: 0 });
      storeDir = await tempDir('delay-restart-');
    });

    afterAll(async () => {
      await broker?.kill9();
      await cluster?.stop();
      await storeDir?.remove();
    });

    it('delivers a message that was pending while the broker was down, at its due time', async () => {
      const options = { storeDir: storeDir.path, namesrvAddr: cluster.namesrvAddr, port: await freePort() };
      broker = await spawnBrokerProcess(options);
      const uniqKey = createUniqueMessageId();
      let sentAt: number;
      let connection = await RemotingConnection.connect(broker.addr);
      try {
        expect((await createTopic(connection, 'DelayRestart', 2)).code).toBe(ResponseCode.SUCCESS);
        await waitForRoute(cluster.namesrvAddr, 'DelayRestart');
        sentAt = Date.now();
        const response = await sendMessage(
          connection,
          delayedHeader('DelayRestart', uniqKey),
          Buffer.from('r'),
        );
        expect(response.code).toBe(ResponseCode.SUCCESS);
      } finally {
        connection.close();
      }

      await sleep(1000);
      expect(await broker.stop()).toBe(0);
      const stoppedAfter = Date.now() - sentAt;
      broker = await spawnBrokerProcess(options);
      const restartedAfter = Date.now() - sentAt;
      connection = await RemotingConnection.connect(broker.addr);
      try {
        expect(await maxOffset(connection, 'DelayRestart', 1)).toBe(0);
        const delivered = await awaitMessage(connection, 'DelayRestart', {
          queueId: 1,
          deadlineMillis: 15_000,
        });
        const measured = delivered.receivedAt - sentAt;
        process.stdout.write(
          `delay level ${LEVEL} across a restart (stopped at +${stoppedAfter} ms, up again at +${restartedAfter} ms): delivered at +${measured} ms\n`,
        );
        expect(restartedAfter).toBeLessThan(LEVEL_DELAY_MILLIS);
        expect(measured).toBeGreaterThanOrEqual(LEVEL_DELAY_MILLIS);
        expect(measured).toBeLessThanOrEqual(LEVEL_DELAY_MILLIS + LATE_TOLERANCE_MILLIS);
        expect(delivered.message.properties[MessageConst.UNIQ_KEY]).toBe(uniqKey);
        expect(delivered.message.properties[MessageConst.DELAY]).toBeUndefined();
      } finally {
        connection.close();
      }

      // The delivery progress is persisted: level 2 has moved past its one message.
      expect(await broker.stop()).toBe(0);
      broker = undefined;
      const saved = JSON.parse(
        fs.readFileSync(path.join(storeDir.path, 'config', 'delayOffset.json'), 'utf8'),
      );
      expect(saved.offsetTable[String(LEVEL)]).toBe(1);
    });
  });
});
