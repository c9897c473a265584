/**
 * RocketMQ 的事务消息如何实现的？和本地事务怎么保证一致性？ (How are transactional messages implemented,
 * and how do they stay consistent with the local transaction?) — proved against the real broker:
 * commit → delivered exactly once; rollback → never delivered; a producer that answers UNKNOW (or
 * throws) and then dies is checked back through ANOTHER producer of the same group, whose
 * checkLocalTransaction decides; a half message nobody resolves is discarded after transactionCheckMax
 * checks and never delivered.
 *
 * The broker checks every 200 ms, half messages older than 300 ms, at most 3 times.
 */
import {
  AdminClient,
  MQClientInstance,
  MessageConst,
  PushConsumer,
  TransactionProducer,
  type LocalTransactionState,
  type MessageExt,
  type TransactionListener,
} from '@flashsale/mq';
import {
  type TestCluster,
  sleep,
  startTestCluster,
  uniqueName,
  waitFor,
} from './support/client-test-helpers';

const CHECK_INTERVAL = 200;
const CHECK_MAX = 3;

let cluster: TestCluster;
let admin: AdminClient;
const producers: TransactionProducer[] = [];
const consumers: PushConsumer[] = [];

beforeAll(async () => {
  cluster = await startTestCluster({
    brokerConfig: {
      transactionCheckInterval: CHECK_INTERVAL,
      transactionTimeOut: 300,
      transactionCheckMax: CHECK_MAX,
    },
  });
  admin = new AdminClient({ nameServer: cluster.namesrvAddr });
});

afterEach(async () => {
  for (const consumer of consumers.splice(0)) await consumer.shutdown();
  for (const producer of producers.splice(0)) await producer.shutdown();
});

afterAll(async () => {
  admin.close();
  await cluster.stop();
});

async function startProducer(
  group: string,
  instanceName: string,
  listener: TransactionListener<string>,
): Promise<TransactionProducer> {
  const producer = new TransactionProducer({
    nameServer: cluster.namesrvAddr,
    producerGroup: group,
    instanceName,
    transactionListener: listener as TransactionListener<never>,
  });
  producers.push(producer);
  await producer.start();
  return producer;
}

async function startConsumer(topic: string, received: MessageExt[]): Promise<void> {
  const consumer = new PushConsumer({
    nameServer: cluster.namesrvAddr,
    consumerGroup: uniqueName('cg'),
    instanceName: uniqueName('ci'),
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener((messages) => {
    received.push(...messages);
    return 'CONSUME_SUCCESS';
  });
  consumers.push(consumer);
  await consumer.start();
}

/** A crash: the client's connections close without UNREGISTER_CLIENT, nothing is flushed. */
function crash(instanceName: string): void {
  MQClientInstance.getOrCreate({ nameServer: cluster.namesrvAddr, instanceName }).shutdown();
}

const bodies = (received: MessageExt[]) => received.map((message) => message.body.toString());

describe('TransactionProducer against the real broker', () => {
  it('commit: the message is delivered once; rollback: never', async () => {
    const topic = uniqueName('TxOrder');
    const received: MessageExt[] = [];
    await startConsumer(topic, received);
    const checks: string[] = [];
    const producer = await startProducer(uniqueName('txpg'), uniqueName('p'), {
      executeLocalTransaction: (_message, arg) => (arg === 'ok' ? 'COMMIT_MESSAGE' : 'ROLLBACK_MESSAGE'),
      checkLocalTransaction: (message) => {
        checks.push(message.msgId);
        return 'UNKNOW';
      },
    });

    const committed = await producer.sendMessageInTransaction(
      { topic, body: 'order-1 created', keys: 'order-1' },
      'ok',
    );
    const rolledBack = await producer.sendMessageInTransaction(
      { topic, body: 'order-2 created', keys: 'order-2' },
      'fail',
    );
    expect(committed.localTransactionState).toBe('COMMIT_MESSAGE');
    expect(committed.sendResult.sendStatus).toBe('SEND_OK');
    expect(committed.transactionId).toBe(committed.sendResult.msgId);
    // The half message is parked in the half topic, not in the target topic.
    expect(committed.sendResult.messageQueue.topic).toBe(topic);
    expect(rolledBack.localTransactionState).toBe('ROLLBACK_MESSAGE');

    await waitFor(() => received.length >= 1, 'the committed message');
    // Several check intervals later: still one delivery, no rollback leak, no check-back needed.
    await sleep(CHECK_INTERVAL * 5);
    expect(bodies(received)).toEqual(['order-1 created']);
    const [delivered] = received;
    expect(delivered.msgId).toBe(committed.transactionId);
    expect(delivered.keys).toEqual(['order-1']);
    expect(delivered.properties[MessageConst.TRAN_MSG]).toBeUndefined();
    expect(checks).toEqual([]);
  }, 30_000);

  it('a producer that answered UNKNOW (or threw) and died is checked back through another producer of its group', async () => {
    const topic = uniqueName('TxCheck');
    const group = uniqueName('txpg');
    const received: MessageExt[] = [];
    await startConsumer(topic, received);

    const first = uniqueName('p1');
    const executed: string[] = [];
    const dying = await startProducer(group, first, {
      executeLocalTransaction: (message) => {
        executed.push(String(message.keys));
        if (message.keys === 'order-throws') throw new Error('database connection reset');
        return 'UNKNOW';
      },
      checkLocalTransaction: () => {
        throw new Error('the first producer is dead and must not be asked');
      },
    });
    const commitMe = await dying.sendMessageInTransaction(
      { topic, body: 'commit me', keys: 'order-commit' },
      '',
    );
    const rollbackMe = await dying.sendMessageInTransaction(
      { topic, body: 'roll me back', keys: 'order-rollback' },
      '',
    );
    const threw = await dying.sendMessageInTransaction(
      { topic, body: 'thrown but committed', keys: 'order-throws' },
      '',
    );
    expect([commitMe, rollbackMe, threw].map((r) => r.localTransactionState)).toEqual([
      'UNKNOW',
      'UNKNOW',
      'UNKNOW',
    ]);
    expect(executed).toEqual(['order-commit', 'order-rollback', 'order-throws']);
    crash(first);

    // The durable truth the checker consults (in a service: "is there an order row with this id?").
    const decisions: Record<string, LocalTransactionState> = {
      'order-commit': 'COMMIT_MESSAGE',
      'order-rollback': 'ROLLBACK_MESSAGE',
      'order-throws': 'COMMIT_MESSAGE',
    };
    const checked: MessageExt[] = [];
    await startProducer(group, uniqueName('p2'), {
      executeLocalTransaction: () => 'UNKNOW',
      checkLocalTransaction: (message) => {
        checked.push(message);
        return decisions[message.keys[0]] ?? 'UNKNOW';
      },
    });

    await waitFor(() => received.length >= 2, 'the two committed messages', 20_000);
    await sleep(CHECK_INTERVAL * 5);
    expect(bodies(received).sort()).toEqual(['commit me', 'thrown but committed']);
    expect(received.map((m) => m.msgId).sort()).toEqual([commitMe.transactionId, threw.transactionId].sort());
    // Each was checked once (resolved at the first check) with the original message and ids.
    const checkedKeys = checked.map((message) => message.keys[0]).sort();
    expect(checkedKeys).toEqual(['order-commit', 'order-rollback', 'order-throws']);
    const checkedCommit = checked.find((message) => message.keys[0] === 'order-commit')!;
    expect(checkedCommit.msgId).toBe(commitMe.transactionId);
    expect(checkedCommit.body.toString()).toBe('commit me');
    expect(checkedCommit.properties[MessageConst.PGROUP]).toBe(group);
  }, 40_000);

  it('a half message nobody resolves is discarded after transactionCheckMax checks and never delivered', async () => {
    const topic = uniqueName('TxLimbo');
    const group = uniqueName('txpg');
    const received: MessageExt[] = [];
    await startConsumer(topic, received);
    const checks: number[] = [];
    const producer = await startProducer(group, uniqueName('p'), {
      executeLocalTransaction: () => 'UNKNOW',
      checkLocalTransaction: (message) => {
        checks.push(Number(message.properties[MessageConst.TRANSACTION_CHECK_TIMES]));
        return 'UNKNOW';
      },
    });
    const limbo = await producer.sendMessageInTransaction(
      { topic, body: 'never decided', keys: 'order-limbo' },
      '',
    );

    await waitFor(() => checks.length >= CHECK_MAX, `${CHECK_MAX} check-backs`, 20_000);
    // Give the broker several more passes: no further checks, no delivery.
    await sleep(CHECK_INTERVAL * 8);
    expect(checks).toEqual([1, 2, 3]);
    expect(received).toEqual([]);
    // Parked (for a human) in TRANS_CHECK_MAX_TIME_TOPIC, as RocketMQ ≥ 4.6 does.
    const parked = await admin.queryMessageByUniqKey('TRANS_CHECK_MAX_TIME_TOPIC', limbo.transactionId);
    expect(parked.length).toBeGreaterThanOrEqual(1);
    expect(parked[0].body.toString()).toBe('never decided');
  }, 40_000);
});
