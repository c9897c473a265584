/**
 * What a transactional producer's application provides (`TransactionListener`): run the local
 * transaction for a half message, and answer the broker's check-back about one whose outcome it never
 * heard.
 *
 * Interview question: "RocketMQ 的事务消息如何实现的？和本地事务怎么保证一致性？" (How are transactional
 * messages implemented, and how do they stay consistent with the local transaction?) — the message is
 * stored first as an invisible half message; only then does the local transaction run, and its outcome
 * commits (the message becomes visible) or rolls back (it never does). If the producer dies between the
 * two, or its answer is lost, the broker asks any live producer of the group, and
 * `checkLocalTransaction` answers from durable state (e.g. "is there an order row with this id?").
 */
import { type Message, type MessageExt } from './message';

/**
 * COMMIT_MESSAGE makes the half message visible, ROLLBACK_MESSAGE discards it, UNKNOW (RocketMQ's
 * spelling) leaves it pending for a check-back.
 */
export type LocalTransactionState = 'COMMIT_MESSAGE' | 'ROLLBACK_MESSAGE' | 'UNKNOW';

/** The message as sent, with its transaction id (= its UNIQ_KEY msgId, as in Java 4.x). */
export type TransactionMessage = Message & { transactionId: string };

export interface TransactionListener<Arg = unknown> {
  /**
   * Runs the local transaction after the half message was stored. A thrown error counts as UNKNOW, as
   * in Java: the local transaction may have committed before the error (a lost database reply), so
   * rolling back could drop a message whose business fact exists; the check-back finds out instead.
   */
  executeLocalTransaction(
    message: TransactionMessage,
    arg: Arg,
  ): Promise<LocalTransactionState> | LocalTransactionState;
  /**
   * The broker's check-back for a half message still pending after `transactionTimeOut` (6 s): decide
   * from durable state. Called on any live producer of the group, not necessarily the one that sent it.
   * A thrown error counts as UNKNOW (the broker asks again, up to `transactionCheckMax` times).
   */
  checkLocalTransaction(message: MessageExt): Promise<LocalTransactionState> | LocalTransactionState;
}

export const LOCAL_TRANSACTION_STATES: readonly LocalTransactionState[] = [
  'COMMIT_MESSAGE',
  'ROLLBACK_MESSAGE',
  'UNKNOW',
];
