/**
 * TransactionalMessageService: the outcomes of a transaction (RocketMQ's
 * `TransactionalMessageServiceImpl`) — find a half message, commit it into its real topic, roll it
 * back, and record either outcome as an op so that the check service never asks about it again.
 *
 * Interview question: "RocketMQ 的事务消息如何实现的？和本地事务怎么保证一致性？(How are
 * transactional messages implemented, and how do they stay consistent with the local transaction?)"
 * — two phases: the half message is stored first (invisible), the producer runs its local
 * transaction, then COMMIT makes the message visible or ROLLBACK drops it. If the second phase is
 * lost, the broker asks the producer group (check-back) until it learns the outcome, so the message
 * becomes visible if and only if the local transaction committed (eventually, at least once).
 */
import { MessageConst, type MessageRecord } from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';
import type { PutMessageResult } from '../store';
import { ResolvedHalfMessageWindow } from './resolved-half-message-window';
import { isStored, type TransactionalMessageBridge } from './transactional-message-bridge';
import { halfOffsetOfOp, toCommittedMessage } from './transactional-message-util';

export type CommitResult =
  | { ok: true; committed: PutMessageResult }
  | { ok: false; reason: 'NOT_A_HALF_MESSAGE' }
  | { ok: false; reason: 'PUT_FAILED'; put: PutMessageResult };

const OP_READ_BATCH = 32;

export class TransactionalMessageService {
  private readonly resolved: ResolvedHalfMessageWindow;

  constructor(
    readonly bridge: TransactionalMessageBridge,
    private readonly logger: BrokerLogger,
    resolvedWindowSize?: number,
  ) {
    this.resolved = new ResolvedHalfMessageWindow(resolvedWindowSize);
  }

  /**
   * Rebuilds the resolved window from the newest ops, so a COMMIT repeated right after a restart is
   * still recognised. Each op names a half queue offset; the half message there supplies UNIQ_KEY.
   */
  load(windowSize = 10_000): void {
    const max = this.bridge.opMaxOffset();
    let offset = Math.max(0, max - windowSize);
    while (offset < max) {
      const slice = this.bridge.readOpMessages(offset, OP_READ_BATCH);
      for (const op of slice.messages) this.rememberOp(op);
      if (slice.nextBeginOffset <= offset) break;
      offset = slice.nextBeginOffset;
    }
    if (this.resolved.size > 0) {
      this.logger.info('transaction: loaded recently resolved half messages', { count: this.resolved.size });
    }
  }

  private rememberOp(op: MessageRecord): void {
    const halfOffset = halfOffsetOfOp(op);
    if (halfOffset === undefined) return;
    const half = this.bridge.readHalfMessages(halfOffset, 1).messages[0];
    this.resolved.add(halfOffset, half?.queueOffset === halfOffset ? uniqKeyOf(half) : undefined);
  }

  /** RocketMQ's `commitMessage` / `rollbackMessage` lookup: the half message at a physical offset. */
  lookupHalfMessage(commitLogOffset: number): MessageRecord | undefined {
    return this.bridge.lookMessageByOffset(commitLogOffset);
  }

  /** True when this half message (or another copy of the same transaction) already has an op. */
  isResolved(half: MessageRecord): boolean {
    return this.resolved.isResolved(half.queueOffset, uniqKeyOf(half));
  }

  /**
   * COMMIT: the real message first, then the op — a crash in between means one more check-back (and
   * possibly a duplicate), never a lost message. The transaction counts as resolved from the start,
   * so a second COMMIT racing this one finds it taken; a failed write gives it back.
   */
  async commitMessage(half: MessageRecord): Promise<CommitResult> {
    const message = toCommittedMessage(half);
    if (!message) return { ok: false, reason: 'NOT_A_HALF_MESSAGE' };
    this.resolved.add(half.queueOffset, uniqKeyOf(half));
    const committed = await this.bridge.putCommittedMessage(message);
    if (!isStored(committed)) {
      this.resolved.forget(half.queueOffset);
      return { ok: false, reason: 'PUT_FAILED', put: committed };
    }
    await this.bridge.putOpMessage(half);
    return { ok: true, committed };
  }

  /** ROLLBACK: only the op; the half message stays in the CommitLog until retention removes it. */
  rollbackMessage(half: MessageRecord): Promise<boolean> {
    return this.deletePrepareMessage(half);
  }

  /** RocketMQ's name for "write the op": the half message is logically deleted. */
  async deletePrepareMessage(half: MessageRecord): Promise<boolean> {
    // Remembered before the write: a second END_TRANSACTION arriving meanwhile must not commit again.
    this.resolved.add(half.queueOffset, uniqKeyOf(half));
    return this.bridge.putOpMessage(half);
  }
}

export function uniqKeyOf(message: MessageRecord): string | undefined {
  return message.properties[MessageConst.UNIQ_KEY];
}
