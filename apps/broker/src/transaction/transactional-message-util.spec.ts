import { MessageSysFlag, TransactionCommitType, transactionType } from '@flashsale/mq/protocol';
import { makeMessage } from '../store/store-test-fixtures';
import {
  halfOffsetOfOp,
  isTransactionPrepared,
  toCommittedMessage,
  toHalfMessage,
  toOpMessage,
  withRealDestination,
} from './transactional-message-util';

describe('transactional message records', () => {
  const sent = makeMessage({
    topic: 'OrderPaid',
    queueId: 3,
    sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE | MessageSysFlag.MULTI_TAGS,
    properties: { TAGS: 'paid', TRAN_MSG: 'true', PGROUP: 'pg', UNIQ_KEY: 'U1', DELAY: '3' },
  });

  it('recognises a transactional send by TRAN_MSG=true', () => {
    expect(isTransactionPrepared(sent.properties)).toBe(true);
    expect(isTransactionPrepared({ TRAN_MSG: 'false' })).toBe(false);
  });

  it('hides a half message in queue 0 of the half topic, NOT_TYPE, without a delay level', () => {
    const half = toHalfMessage(sent);
    expect([half.topic, half.queueId]).toEqual(['RMQ_SYS_TRANS_HALF_TOPIC', 0]);
    expect(half.properties).toMatchObject({ REAL_TOPIC: 'OrderPaid', REAL_QID: '3', TRAN_MSG: 'true' });
    expect(half.properties.DELAY).toBeUndefined();
    expect(transactionType(half.sysFlag)).toBe(MessageSysFlag.TRANSACTION_NOT_TYPE);
    expect(half.sysFlag & MessageSysFlag.MULTI_TAGS).toBe(MessageSysFlag.MULTI_TAGS);
    expect(withRealDestination(half)).toMatchObject({ topic: 'OrderPaid', queueId: 3 });
  });

  it('commits into the real queue with COMMIT sysFlag and a pointer to the half message', () => {
    const half = { ...toHalfMessage(sent), queueOffset: 7, commitLogOffset: 4096, storeTimestamp: 123 };
    const committed = toCommittedMessage(half)!;
    expect([committed.topic, committed.queueId]).toEqual(['OrderPaid', 3]);
    expect(transactionType(committed.sysFlag)).toBe(TransactionCommitType.COMMIT);
    expect(committed.preparedTransactionOffset).toBe(4096);
    expect(committed.properties).toEqual({ TAGS: 'paid', PGROUP: 'pg', UNIQ_KEY: 'U1', WAIT: 'false' });
    expect(toCommittedMessage(sent)).toBeUndefined(); // not a half message
  });

  it('writes an op tagged d whose body is the half queue offset', () => {
    const half = { ...toHalfMessage(sent), queueOffset: 42 };
    const op = toOpMessage(half, { storeHost: { host: '127.0.0.1', port: 10911 } });
    expect([op.topic, op.queueId, op.properties.TAGS, op.body.toString()]).toEqual([
      'RMQ_SYS_TRANS_OP_HALF_TOPIC',
      0,
      'd',
      '42',
    ]);
    expect(halfOffsetOfOp(op)).toBe(42);
    expect(halfOffsetOfOp({ ...op, properties: { TAGS: 'x' } })).toBeUndefined();
  });
});
