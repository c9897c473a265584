/**
 * The transaction check-back against a real broker over TCP (rocketmq-facts.md §8.2): the producer
 * that sent a half message crashes without an answer; the broker asks ANOTHER live member of the
 * same producer group with CHECK_TRANSACTION_STATE and acts on its END_TRANSACTION. Nobody answering
 * ends, after transactionCheckMax checks, in TRANS_CHECK_MAX_TIME_TOPIC. Young half messages wait.
 */
import {
  MessageSysFlag,
  type RemotingCommand,
  RemotingConnection,
  RequestCode,
  ResponseCode,
  TransactionCommitType,
  createOffsetMessageId,
  decodeStoredMessage,
  isOneway,
  parseCheckTransactionStateRequestHeader,
  transactionType,
} from '@flashsale/mq/protocol';
import { createTopic } from './support/broker-client';
import { type TestCluster, startTestCluster } from './support/broker-harness';
import {
  capturingLogger,
  endTransactionHeader,
  endTransactionOneway,
  type HalfMessageSent,
  producerHeartbeat,
  pullAll,
  pullByKey,
  sendHalfMessage,
  sleep,
} from './support/transaction-client';

const CHECK_INTERVAL = 200;
const TIMEOUT_MILLIS = 800;
const CHECK_MAX = 3;

/** A producer connection of one group that records every CHECK_TRANSACTION_STATE it is sent. */
class CheckingProducer {
  readonly checks: RemotingCommand[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly connection: RemotingConnection) {}

  static async connect(addr: string, group: string, clientId: string): Promise<CheckingProducer> {
    // The handler exists before the instance does; requests can only arrive after both.
    const created: { producer?: CheckingProducer } = {};
    const connection = await RemotingConnection.connect(addr, {
      onRequest: (request) => {
        created.producer?.receive(request);
        return undefined;
      },
    });
    const producer = new CheckingProducer(connection);
    created.producer = producer;
    expect((await producerHeartbeat(connection, clientId, group)).code).toBe(ResponseCode.SUCCESS);
    return producer;
  }

  private receive(request: RemotingCommand): void {
    if (request.code !== RequestCode.CHECK_TRANSACTION_STATE) return;
    this.checks.push(request);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async nextCheck(timeoutMillis = 5000): Promise<RemotingCommand> {
    const seen = this.checks.length;
    const deadline = Date.now() + timeoutMillis;
    while (this.checks.length === seen) {
      if (Date.now() > deadline) throw new Error('no CHECK_TRANSACTION_STATE arrived');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.checks[seen];
  }

  /** END_TRANSACTION for the half message a check named, as a Java producer answers a check. */
  answer(group: string, check: RemotingCommand, commitOrRollback: number): void {
    const header = parseCheckTransactionStateRequestHeader(check.extFields);
    endTransactionOneway(
      this.connection,
      endTransactionHeader(
        group,
        {
          uniqKey: header.msgId ?? '',
          tranStateTableOffset: header.tranStateTableOffset,
          commitLogOffset: header.commitLogOffset,
        },
        commitOrRollback,
        true,
      ),
    );
  }

  close(): void {
    this.connection.close();
  }
}

describe('transactional messages: check-back (e2e)', () => {
  let cluster: TestCluster;
  let reader: RemotingConnection;
  const logger = capturingLogger();
  const topic = 'TxCheckE2E';
  const open: CheckingProducer[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({
      logger,
      brokerConfig: {
        transactionCheckInterval: CHECK_INTERVAL,
        transactionTimeOut: TIMEOUT_MILLIS,
        transactionCheckMax: CHECK_MAX,
      },
    });
    reader = await RemotingConnection.connect(cluster.brokers[0].addr);
    expect((await createTopic(reader, topic, 4)).code).toBe(ResponseCode.SUCCESS);
  });

  afterEach(() => {
    for (const producer of open.splice(0)) producer.close();
  });

  afterAll(async () => {
    reader?.close();
    await cluster?.stop();
  });

  async function producerOf(group: string, clientId: string): Promise<CheckingProducer> {
    const producer = await CheckingProducer.connect(cluster.brokers[0].addr, group, clientId);
    open.push(producer);
    return producer;
  }

  /** The first producer: sends the half message, reports UNKNOW, and crashes. */
  async function halfMessageFromCrashedProducer(
    group: string,
    queueId: number,
    body: string,
  ): Promise<HalfMessageSent> {
    const crashed = await producerOf(group, `127.0.0.1@crashed-${group}`);
    const sent = await sendHalfMessage(crashed.connection, group, topic, queueId, body);
    endTransactionOneway(
      crashed.connection,
      endTransactionHeader(group, sent, TransactionCommitType.NOT_TYPE),
    );
    crashed.close();
    return sent;
  }

  it('asks another member of the producer group, and delivers on its COMMIT', async () => {
    const group = 'tx-check-commit';
    const sent = await halfMessageFromCrashedProducer(group, 1, 'checked then committed');
    const checker = await producerOf(group, '127.0.0.1@checker-commit');

    const check = await checker.nextCheck();
    expect(isOneway(check)).toBe(true);
    const header = parseCheckTransactionStateRequestHeader(check.extFields);
    expect(header.msgId).toBe(sent.uniqKey);
    expect(header.transactionId).toBe(sent.uniqKey);
    expect(header.bname).toBe(cluster.brokers[0].config.brokerName);
    // The check names a renewed copy of the half message, at the end of the half queue.
    expect(header.tranStateTableOffset).toBeGreaterThan(sent.tranStateTableOffset);
    expect(header.commitLogOffset).toBeGreaterThan(sent.commitLogOffset);
    expect(header.offsetMsgId).toBe(
      createOffsetMessageId(cluster.brokers[0].controller.store.config.storeHost, header.commitLogOffset),
    );

    const decoded = decodeStoredMessage(check.body!, 0, { checkCRC: true });
    if (decoded.status !== 'OK') throw new Error(decoded.status);
    const message = decoded.message;
    expect(message.topic).toBe(topic);
    expect(message.queueId).toBe(1);
    expect(message.body.toString()).toBe('checked then committed');
    expect(message.queueOffset).toBe(header.tranStateTableOffset);
    expect(message.commitLogOffset).toBe(header.commitLogOffset);
    expect(message.properties).toMatchObject({
      PGROUP: group,
      UNIQ_KEY: sent.uniqKey,
      TRANSACTION_CHECK_TIMES: '1',
      TRAN_MSG: 'true',
    });

    checker.answer(group, check, TransactionCommitType.COMMIT);
    const delivered = await pullByKey(reader, topic, 1, sent.uniqKey);
    expect(delivered).toHaveLength(1);
    expect(delivered[0].body.toString()).toBe('checked then committed');
    expect(transactionType(delivered[0].sysFlag)).toBe(MessageSysFlag.TRANSACTION_COMMIT_TYPE);

    // Resolved: no further checks for it.
    await sleep(CHECK_INTERVAL * 3);
    expect(checker.checks).toHaveLength(1);
    expect(await pullByKey(reader, topic, 1, sent.uniqKey)).toHaveLength(1);
    expect(await cluster.brokers[0].controller.transactions.checkService.getPendingHalfMessages()).toEqual(
      [],
    );
  });

  it('never delivers when the checker answers ROLLBACK', async () => {
    const group = 'tx-check-rollback';
    const sent = await halfMessageFromCrashedProducer(group, 2, 'checked then rolled back');
    const checker = await producerOf(group, '127.0.0.1@checker-rollback');

    checker.answer(group, await checker.nextCheck(), TransactionCommitType.ROLLBACK);
    await sleep(CHECK_INTERVAL * 3);
    expect(await pullByKey(reader, topic, 2, sent.uniqKey, () => false, 200)).toEqual([]);
    expect(checker.checks).toHaveLength(1);
  });

  it('gives up after transactionCheckMax checks: TRANS_CHECK_MAX_TIME_TOPIC, a log line, no more checks', async () => {
    const group = 'tx-check-never';
    const sent = await halfMessageFromCrashedProducer(group, 3, 'nobody knows');
    const checker = await producerOf(group, '127.0.0.1@checker-never');

    for (let i = 1; i <= CHECK_MAX; i++) {
      const check = await checker.nextCheck();
      const decoded = decodeStoredMessage(check.body!, 0);
      if (decoded.status !== 'OK') throw new Error(decoded.status);
      expect(decoded.message.properties.TRANSACTION_CHECK_TIMES).toBe(String(i));
      checker.answer(group, check, TransactionCommitType.NOT_TYPE);
    }

    const pending = await cluster.brokers[0].controller.transactions.checkService.getPendingHalfMessages();
    expect(pending.map((p) => [p.uniqKey, p.producerGroup, p.realTopic, p.realQueueId])).toEqual([
      [sent.uniqKey, group, topic, 3],
    ]);

    const parked = await pullByKey(reader, 'TRANS_CHECK_MAX_TIME_TOPIC', 0, sent.uniqKey);
    expect(parked).toHaveLength(1);
    expect(parked[0].properties).toMatchObject({ REAL_TOPIC: topic, REAL_QID: '3', PGROUP: group });
    const discarded = logger.lines.find(
      (line) => line.message.startsWith('transaction discarded') && line.fields.uniqKey === sent.uniqKey,
    );
    expect(discarded?.level).toBe('info');

    await sleep(CHECK_INTERVAL * 4);
    expect(checker.checks).toHaveLength(CHECK_MAX);
    expect(await pullAll(reader, topic, 3)).toEqual([]);
    expect(await cluster.brokers[0].controller.transactions.checkService.getPendingHalfMessages()).toEqual(
      [],
    );
  });

  it('does not check a half message younger than transactionTimeOut', async () => {
    const group = 'tx-check-young';
    const checker = await producerOf(group, '127.0.0.1@checker-young');
    const sentAt = Date.now();
    const sent = await sendHalfMessage(checker.connection, group, topic, 0, 'young');

    await sleep(TIMEOUT_MILLIS - 300); // several check passes run meanwhile
    expect(checker.checks).toEqual([]);

    const check = await checker.nextCheck();
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(TIMEOUT_MILLIS);
    expect(parseCheckTransactionStateRequestHeader(check.extFields).msgId).toBe(sent.uniqKey);
    checker.answer(group, check, TransactionCommitType.ROLLBACK);
  });
});
