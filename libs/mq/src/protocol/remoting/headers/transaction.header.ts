/**
 * Headers of END_TRANSACTION (37, producer→broker) and CHECK_TRANSACTION_STATE (39, broker→producer).
 *
 * Interview question: "How does a RocketMQ transactional message work?" — the producer stores a half
 * message, runs its local transaction and then commits or rolls back with END_TRANSACTION; if that
 * answer never arrives, the broker asks the producer group with CHECK_TRANSACTION_STATE.
 */
import {
  type ExtFields,
  optionalBoolean,
  optionalString,
  requireInt,
  requireLong,
  requireString,
} from './header-fields';

/** EndTransactionRequestHeader.commitOrRollback values (`MessageSysFlag.TRANSACTION_*_TYPE`). */
export const TransactionCommitType = {
  /** Outcome unknown: the broker keeps the half message and checks back later. */
  NOT_TYPE: 0,
  COMMIT: 8,
  ROLLBACK: 12,
} as const;

export type TransactionCommitType = (typeof TransactionCommitType)[keyof typeof TransactionCommitType];

export interface EndTransactionRequestHeader {
  producerGroup: string;
  /** The half message's queue offset, from its send result. */
  tranStateTableOffset: number;
  /** The half message's commit-log offset, decoded from its offset message id. */
  commitLogOffset: number;
  commitOrRollback: number;
  fromTransactionCheck?: boolean;
  /** The client's message id (UNIQ_KEY). */
  msgId: string;
  transactionId?: string;
  bname?: string;
}

export function parseEndTransactionRequestHeader(ext: ExtFields): EndTransactionRequestHeader {
  return {
    producerGroup: requireString(ext, 'producerGroup'),
    tranStateTableOffset: requireLong(ext, 'tranStateTableOffset'),
    commitLogOffset: requireLong(ext, 'commitLogOffset'),
    commitOrRollback: requireInt(ext, 'commitOrRollback'),
    fromTransactionCheck: optionalBoolean(ext, 'fromTransactionCheck'),
    msgId: requireString(ext, 'msgId'),
    transactionId: optionalString(ext, 'transactionId'),
    bname: optionalString(ext, 'bname'),
  };
}

export interface CheckTransactionStateRequestHeader {
  tranStateTableOffset: number;
  commitLogOffset: number;
  msgId?: string;
  transactionId?: string;
  offsetMsgId?: string;
  bname?: string;
}

export function parseCheckTransactionStateRequestHeader(ext: ExtFields): CheckTransactionStateRequestHeader {
  return {
    tranStateTableOffset: requireLong(ext, 'tranStateTableOffset'),
    commitLogOffset: requireLong(ext, 'commitLogOffset'),
    msgId: optionalString(ext, 'msgId'),
    transactionId: optionalString(ext, 'transactionId'),
    offsetMsgId: optionalString(ext, 'offsetMsgId'),
    bname: optionalString(ext, 'bname'),
  };
}
