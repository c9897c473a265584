/**
 * Transactional messages, phase two, against a real broker over TCP: a half message is invisible in
 * its real topic; END_TRANSACTION COMMIT delivers it exactly once (also when repeated), ROLLBACK
 * never; a request that does not match its half message is refused (rocketmq-facts.md §8.1, §2.8).
 */
import {
  MessageSysFlag,
  RemotingConnection,
  RequestCode,
  ResponseCode,
  TransactionCommitType,
  createRequest,
  decodeOffsetMessageId,
  decodeStoredMessage,
  transactionType,
} from '@flashsale/mq/protocol';
import { TIMEOUT, createTopic, sendHeader, sendMessage } from './support/broker-client';
import { type TestCluster, startTestCluster } from './support/broker-harness';
import {
  endTransaction,
  endTransactionHeader,
  endTransactionOneway,
  pullAll,
  pullByKey,
  sendHalfMessage,
  sleep,
} from './support/transaction-client';

const { COMMIT, ROLLBACK } = TransactionCommitType;

describe('transactional messages: commit and rollback (e2e)', () => {
  let cluster: TestCluster;
  let producer: RemotingConnection;
  const topic = 'TxCommitE2E';
  const group = 'tx-commit-producer';

  beforeAll(async () => {
    cluster = await startTestCluster();
    producer = await RemotingConnection.connect(cluster.brokers[0].addr);
    expect((await createTopic(producer, topic, 4)).code).toBe(ResponseCode.SUCCESS);
  });

  afterAll(async () => {
    producer?.close();
    await cluster?.stop();
  });

  it('stores a half message in RMQ_SYS_TRANS_HALF_TOPIC, invisible in the real topic', async () => {
    const sent = await sendHalfMessage(producer, group, topic, 1, 'hidden until commit');
    expect(sent.response.extFields.queueId).toBe('1');

    const view = await producer.invoke(
      createRequest(RequestCode.VIEW_MESSAGE_BY_ID, { offset: String(sent.commitLogOffset) }),
      TIMEOUT,
    );
    const decoded = decodeStoredMessage(view.body!, 0);
    if (decoded.status !== 'OK') throw new Error(decoded.status);
    const half = decoded.message;
    expect(half.topic).toBe('RMQ_SYS_TRANS_HALF_TOPIC');
    expect(half.queueId).toBe(0);
    expect(half.queueOffset).toBe(sent.tranStateTableOffset);
    expect(half.properties).toMatchObject({
      REAL_TOPIC: topic,
      REAL_QID: '1',
      TRAN_MSG: 'true',
      PGROUP: group,
    });
    expect(transactionType(half.sysFlag)).toBe(MessageSysFlag.TRANSACTION_NOT_TYPE);

    await cluster.brokers[0].controller.store.whenDispatched();
    expect(await pullAll(producer, topic, 1)).toEqual([]);
    await endTransaction(producer, endTransactionHeader(group, sent, ROLLBACK));
  });

  it('delivers a committed message once, in its real queue, without REAL_* and TRAN_MSG', async () => {
    const sent = await sendHalfMessage(producer, group, topic, 2, 'committed body');
    const response = await endTransaction(producer, endTransactionHeader(group, sent, COMMIT));
    expect(response.code).toBe(ResponseCode.SUCCESS);

    const delivered = await pullByKey(producer, topic, 2, sent.uniqKey);
    expect(delivered).toHaveLength(1);
    const message = delivered[0];
    expect(message.topic).toBe(topic);
    expect(message.queueId).toBe(2);
    expect(message.body.toString()).toBe('committed body');
    expect(message.properties.TAGS).toBe('TagTx');
    expect(message.properties.PGROUP).toBe(group);
    for (const gone of ['REAL_TOPIC', 'REAL_QID', 'TRAN_MSG'])
      expect(message.properties[gone]).toBeUndefined();
    expect(transactionType(message.sysFlag)).toBe(MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(message.preparedTransactionOffset).toBe(sent.commitLogOffset);
  });

  it('never delivers a rolled-back message, not even after a late COMMIT', async () => {
    const sent = await sendHalfMessage(producer, group, topic, 3, 'rolled back');
    expect((await endTransaction(producer, endTransactionHeader(group, sent, ROLLBACK))).code).toBe(
      ResponseCode.SUCCESS,
    );
    const late = await endTransaction(producer, endTransactionHeader(group, sent, COMMIT));
    expect(late.code).toBe(ResponseCode.SUCCESS); // answered, but the transaction is already resolved

    await sleep(200);
    await cluster.brokers[0].controller.store.whenDispatched();
    expect(await pullByKey(producer, topic, 3, sent.uniqKey, () => false, 300)).toEqual([]);
  });

  it('delivers once when END_TRANSACTION COMMIT arrives several times (oneway and two-way)', async () => {
    const sent = await sendHalfMessage(producer, group, topic, 0, 'commit sent thrice');
    const header = endTransactionHeader(group, sent, COMMIT);
    endTransactionOneway(producer, header);
    endTransactionOneway(producer, { ...header, fromTransactionCheck: true });
    expect((await endTransaction(producer, header)).code).toBe(ResponseCode.SUCCESS);

    await pullByKey(producer, topic, 0, sent.uniqKey);
    await sleep(200);
    await cluster.brokers[0].controller.store.whenDispatched();
    expect(await pullByKey(producer, topic, 0, sent.uniqKey)).toHaveLength(1);
  });

  it('refuses a request that does not match the half message, with a remark', async () => {
    const sent = await sendHalfMessage(producer, group, topic, 1, 'verified');
    const wrongGroup = await endTransaction(producer, endTransactionHeader('someone-else', sent, COMMIT));
    expect([wrongGroup.code, wrongGroup.remark]).toEqual([
      ResponseCode.SYSTEM_ERROR,
      'The producer group wrong',
    ]);

    const wrongOffset = await endTransaction(producer, {
      ...endTransactionHeader(group, sent, COMMIT),
      tranStateTableOffset: sent.tranStateTableOffset + 100,
    });
    expect([wrongOffset.code, wrongOffset.remark]).toEqual([
      ResponseCode.SYSTEM_ERROR,
      'The transaction state table offset wrong',
    ]);

    const plain = await sendMessage(producer, sendHeader(topic, { queueId: 1 }), Buffer.from('not a half'));
    const notHalf = await endTransaction(producer, {
      ...endTransactionHeader(group, sent, COMMIT),
      commitLogOffset: decodeOffsetMessageId(plain.extFields.msgId).commitLogOffset,
    });
    expect([notHalf.code, notHalf.remark]).toEqual([
      ResponseCode.SYSTEM_ERROR,
      'Find prepared transaction message failed',
    ]);

    // None of that committed anything; the real answer still works.
    expect(await pullByKey(producer, topic, 1, sent.uniqKey, () => false, 200)).toEqual([]);
    expect((await endTransaction(producer, endTransactionHeader(group, sent, COMMIT))).code).toBe(
      ResponseCode.SUCCESS,
    );
    expect(await pullByKey(producer, topic, 1, sent.uniqKey)).toHaveLength(1);
  });

  it('does not answer UNKNOW (0): the outcome is left to the check-back', async () => {
    const sent = await sendHalfMessage(producer, group, topic, 2, 'unknown');
    const unknown = endTransaction(producer, endTransactionHeader(group, sent, 0), 300);
    await expect(unknown).rejects.toThrow(/timed out|timeout/i);
    await endTransaction(producer, endTransactionHeader(group, sent, ROLLBACK));
  });

  it('drops the delay level of a half message, so the commit is delivered at once (#1540)', async () => {
    const sent = await sendHalfMessage(producer, group, topic, 3, 'delayed tx', { DELAY: '3' });
    expect((await endTransaction(producer, endTransactionHeader(group, sent, COMMIT))).code).toBe(
      ResponseCode.SUCCESS,
    );
    const delivered = await pullByKey(producer, topic, 3, sent.uniqKey);
    expect(delivered).toHaveLength(1);
    expect(delivered[0].properties.DELAY).toBeUndefined();
  });
});
