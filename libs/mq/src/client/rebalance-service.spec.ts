import { type SubscriptionData } from '../protocol';
import { silentClientLogger } from './client-logger';
import { type MessageQueue, messageQueueKey } from './message';
import { type MQClientInstance } from './mq-client-instance';
import { RebalanceService } from './rebalance-service';

const TOPIC = 'RebalanceTopic';
const QUEUES: MessageQueue[] = [0, 1, 2, 3].map((queueId) => ({
  topic: TOPIC,
  brokerName: 'broker-a',
  queueId,
}));

/** The parts of a client instance a clustering rebalance uses: one broker, one member (us). */
function fakeInstance(): MQClientInstance {
  const fake = {
    clientId: 'client-1',
    routes: {
      getSubscribeQueues: () => QUEUES,
      getRoute: () => ({ brokerDatas: [{ brokerName: 'broker-a' }] }),
      findAnyAddr: () => '127.0.0.1:10911',
    },
    api: { getConsumerIdList: () => Promise.resolve(['client-1']) },
    updateTopicRoute: () => Promise.resolve(),
    sendHeartbeatToAllBrokers: () => Promise.resolve(),
  };
  return fake as unknown as MQClientInstance;
}

describe('RebalanceService', () => {
  let service: RebalanceService | undefined;

  afterEach(() => service?.stop());

  it('retries a queue whose start offset could not be read well before the next interval', async () => {
    const failOnce = new Set([messageQueueKey(QUEUES[2])]);
    const started: string[] = [];
    service = new RebalanceService({
      group: 'cg',
      messageModel: 'CLUSTERING',
      instance: fakeInstance(),
      subscriptions: new Map([[TOPIC, {} as SubscriptionData]]),
      allocate: (_id, all) => [...all],
      interval: 60_000,
      logger: silentClientLogger,
      // Queue 2's first offset query fails (a timeout, say); it answers the second time.
      computePullFromWhere: (mq) => Promise.resolve(failOnce.delete(messageQueueKey(mq)) ? -1 : 0),
      removeQueue: () => Promise.resolve(),
      startQueue: (mq) => started.push(messageQueueKey(mq)),
    });

    await service.start();
    expect(service.ownedQueues).toHaveLength(3);

    const startedAt = Date.now();
    while (service.ownedQueues.length < 4 && Date.now() - startedAt < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(service.ownedQueues).toHaveLength(4);
    expect(started).toContain(messageQueueKey(QUEUES[2]));
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it('retries soon when the member list could not be read', async () => {
    const instance = fakeInstance();
    let calls = 0;
    (instance.api as unknown as { getConsumerIdList: () => Promise<string[]> }).getConsumerIdList = () =>
      ++calls === 1 ? Promise.reject(new Error('timeout')) : Promise.resolve(['client-1']);
    service = new RebalanceService({
      group: 'cg',
      messageModel: 'CLUSTERING',
      instance,
      subscriptions: new Map([[TOPIC, {} as SubscriptionData]]),
      allocate: (_id, all) => [...all],
      interval: 60_000,
      logger: silentClientLogger,
      computePullFromWhere: () => Promise.resolve(0),
      removeQueue: () => Promise.resolve(),
      startQueue: () => undefined,
    });

    await service.start();
    expect(service.ownedQueues).toHaveLength(0);
    const startedAt = Date.now();
    while (service.ownedQueues.length < 4 && Date.now() - startedAt < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(service.ownedQueues).toHaveLength(4);
  });
});
