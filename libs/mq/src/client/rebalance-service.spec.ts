import { type SubscriptionData } from '../protocol';
import { silentClientLogger } from './client-logger';
import { type MessageQueue, messageQueueKey } from './message';
import { type MQClientInstance } from './mq-client-instance';
import { type RebalanceOptions, RebalanceService } from './rebalance-service';

const TOPIC = 'RebalanceTopic';
const QUEUES: MessageQueue[] = [0, 1, 2, 3].map((queueId) => ({
  topic: TOPIC,
  brokerName: 'broker-a',
  queueId,
}));

/** The parts of a client instance a clustering rebalance uses: one broker, one member (us). */
function fakeInstance(getConsumerIdList = () => Promise.resolve(['client-1'])): MQClientInstance {
  const fake = {
    clientId: 'client-1',
    routes: {
      getSubscribeQueues: () => QUEUES,
      getRoute: () => ({ brokerDatas: [{ brokerName: 'broker-a' }] }),
      findAnyAddr: () => '127.0.0.1:10911',
    },
    api: { getConsumerIdList },
    updateTopicRoute: () => Promise.resolve(),
    sendHeartbeatToAllBrokers: () => Promise.resolve(),
  };
  return fake as unknown as MQClientInstance;
}

/** A clustering rebalance of TOPIC that takes every queue, with a 60 s interval nothing here waits for. */
function rebalanceService(overrides: Partial<RebalanceOptions>): RebalanceService {
  return new RebalanceService({
    group: 'cg',
    messageModel: 'CLUSTERING',
    instance: fakeInstance(),
    subscriptions: new Map([[TOPIC, {} as SubscriptionData]]),
    allocate: (_id, all) => [...all],
    interval: 60_000,
    logger: silentClientLogger,
    computePullFromWhere: () => Promise.resolve(0),
    removeQueue: () => Promise.resolve(),
    startQueue: () => undefined,
    ...overrides,
  });
}

/** Polls until the service owns `count` queues or `timeoutMs` passes; returns the time it took. */
async function waitUntilOwns(service: RebalanceService, count: number, timeoutMs = 5_000): Promise<number> {
  const startedAt = Date.now();
  while (service.ownedQueues.length < count && Date.now() - startedAt < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - startedAt;
}

describe('RebalanceService', () => {
  let service: RebalanceService | undefined;

  afterEach(() => service?.stop());

  it('retries a queue whose start offset could not be read well before the next interval', async () => {
    const failOnce = new Set([messageQueueKey(QUEUES[2])]);
    const started: string[] = [];
    service = rebalanceService({
      // Queue 2's first offset query fails (a timeout, say); it answers the second time.
      computePullFromWhere: (mq) => Promise.resolve(failOnce.delete(messageQueueKey(mq)) ? -1 : 0),
      startQueue: (mq) => started.push(messageQueueKey(mq)),
    });

    await service.start();
    expect(service.ownedQueues).toHaveLength(3);

    const waited = await waitUntilOwns(service, 4);
    expect(service.ownedQueues).toHaveLength(4);
    expect(started).toContain(messageQueueKey(QUEUES[2]));
    expect(waited).toBeLessThan(5_000);
  });

  it('retries soon when the member list could not be read', async () => {
    let calls = 0;
    service = rebalanceService({
      instance: fakeInstance(() =>
        ++calls === 1 ? Promise.reject(new Error('timeout')) : Promise.resolve(['client-1']),
      ),
    });

    await service.start();
    expect(service.ownedQueues).toHaveLength(0);
    await waitUntilOwns(service, 4);
    expect(service.ownedQueues).toHaveLength(4);
  });
});
