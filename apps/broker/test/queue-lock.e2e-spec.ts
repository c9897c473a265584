/**
 * LOCK_BATCH_MQ (41) / UNLOCK_BATCH_MQ (42) against a real broker over TCP (rocketmq-facts.md §2.9,
 * §9.6): one client per (group, queue); renewals keep a lock, silence lets it expire; unlocking frees
 * it at once; a closed connection does not.
 */
import {
  type LockBatchRequestBody,
  type MessageQueue,
  type RemotingCommand,
  RemotingConnection,
  RequestCode,
  ResponseCode,
  createRequest,
  encodeJsonBody,
} from '@flashsale/mq/protocol';
import { TIMEOUT } from './support/broker-client';
import { type TestCluster, startTestCluster } from './support/broker-harness';
import { sleep } from './support/transaction-client';

const LOCK_LIVE_TIME = 1000;

describe('queue locks for orderly consumers (e2e)', () => {
  let cluster: TestCluster;
  let clientA: RemotingConnection;
  let clientB: RemotingConnection;
  let brokerName: string;
  let testNo = 0;
  let group = '';

  beforeAll(async () => {
    cluster = await startTestCluster({ brokerConfig: { rebalanceLockMaxLiveTime: LOCK_LIVE_TIME } });
    brokerName = cluster.brokers[0].config.brokerName;
    clientA = await RemotingConnection.connect(cluster.brokers[0].addr);
    clientB = await RemotingConnection.connect(cluster.brokers[0].addr);
  });

  beforeEach(() => {
    group = `orderly-group-${++testNo}`;
  });

  afterAll(async () => {
    clientA?.close();
    clientB?.close();
    await cluster?.stop();
  });

  function queues(...ids: number[]): MessageQueue[] {
    return ids.map((queueId) => ({ topic: 'OrderTopic', brokerName, queueId }));
  }

  function body(clientId: string, mqSet: MessageQueue[]): LockBatchRequestBody {
    return { consumerGroup: group, clientId, mqSet };
  }

  async function lock(connection: RemotingConnection, clientId: string, mqSet: MessageQueue[]) {
    const response = await connection.invoke(
      createRequest(RequestCode.LOCK_BATCH_MQ, {}, encodeJsonBody(body(clientId, mqSet))),
      TIMEOUT,
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const parsed = JSON.parse(response.body!.toString()) as { lockOKMQSet: MessageQueue[] };
    return parsed.lockOKMQSet.map((mq) => mq.queueId).sort((a, b) => a - b);
  }

  function unlock(
    connection: RemotingConnection,
    clientId: string,
    mqSet: MessageQueue[],
  ): Promise<RemotingCommand> {
    return connection.invoke(
      createRequest(RequestCode.UNLOCK_BATCH_MQ, {}, encodeJsonBody(body(clientId, mqSet))),
      TIMEOUT,
    );
  }

  it('grants free queues, refuses queues held by another client, and answers {"lockOKMQSet":[...]}', async () => {
    const response = await clientA.invoke(
      createRequest(RequestCode.LOCK_BATCH_MQ, {}, encodeJsonBody(body('A', queues(0, 1, 2, 3)))),
      TIMEOUT,
    );
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(JSON.parse(response.body!.toString())).toEqual({ lockOKMQSet: queues(0, 1, 2, 3) });

    expect(await lock(clientB, 'B', queues(0, 1, 2, 3))).toEqual([]);
    expect(await lock(clientA, 'A', queues(0, 1, 2, 3))).toEqual([0, 1, 2, 3]); // renewal
  });

  it('grants the free part of a request that overlaps another client', async () => {
    expect(await lock(clientA, 'A', queues(0, 1))).toEqual([0, 1]);
    expect(await lock(clientB, 'B', queues(0, 1, 2, 3))).toEqual([2, 3]);
    // The same queue in another group is a different lock.
    group = `${group}-other`;
    expect(await lock(clientB, 'B', queues(0, 1))).toEqual([0, 1]);
  });

  it('keeps a renewed lock and hands an expired one to the next client', async () => {
    expect(await lock(clientA, 'A', queues(0, 1, 2, 3))).toEqual([0, 1, 2, 3]);
    await sleep(LOCK_LIVE_TIME / 2);
    expect(await lock(clientA, 'A', queues(0, 1, 2, 3))).toEqual([0, 1, 2, 3]);
    await sleep(LOCK_LIVE_TIME / 2 + 100); // past the first lock's lifetime, not the renewal's
    expect(await lock(clientB, 'B', queues(0, 1, 2, 3))).toEqual([]);

    await sleep(LOCK_LIVE_TIME); // A stops renewing
    expect(await lock(clientB, 'B', queues(0, 1, 2, 3))).toEqual([0, 1, 2, 3]);
    expect(await lock(clientA, 'A', queues(0))).toEqual([]);
  });

  it('frees queues at once on UNLOCK_BATCH_MQ, but only the caller’s own', async () => {
    expect(await lock(clientA, 'A', queues(0, 1, 2, 3))).toEqual([0, 1, 2, 3]);

    const foreign = await unlock(clientB, 'B', queues(0, 1));
    expect(foreign.code).toBe(ResponseCode.SUCCESS);
    expect(await lock(clientB, 'B', queues(0, 1))).toEqual([]);

    const own = await unlock(clientA, 'A', queues(0, 1));
    expect(own.code).toBe(ResponseCode.SUCCESS);
    expect(own.body).toBeUndefined();
    expect(await lock(clientB, 'B', queues(0, 1, 2, 3))).toEqual([0, 1]);

    // Oneway, as clients send it on shutdown: no answer, the queues are free all the same.
    clientA.invokeOneway(
      createRequest(RequestCode.UNLOCK_BATCH_MQ, {}, encodeJsonBody(body('A', queues(2, 3)))),
    );
    await sleep(100);
    expect(await lock(clientB, 'B', queues(2, 3))).toEqual([2, 3]);
  });

  it('keeps the locks of a client whose connection closed until they expire', async () => {
    const crashing = await RemotingConnection.connect(cluster.brokers[0].addr);
    expect(await lock(crashing, 'C', queues(0, 1))).toEqual([0, 1]);
    crashing.close();
    await sleep(100);
    expect(await lock(clientB, 'B', queues(0, 1))).toEqual([]);
    await sleep(LOCK_LIVE_TIME);
    expect(await lock(clientB, 'B', queues(0, 1))).toEqual([0, 1]);
  });

  it('refuses a body without consumerGroup, clientId or mqSet', async () => {
    const response = await clientA.invoke(
      createRequest(RequestCode.LOCK_BATCH_MQ, {}, encodeJsonBody({ clientId: 'A', mqSet: [] })),
      TIMEOUT,
    );
    expect(response.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(response.remark).toBe('consumerGroup is missing');
  });
});
