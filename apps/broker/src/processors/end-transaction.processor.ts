/**
 * EndTransactionProcessor: END_TRANSACTION (37), the second phase of a transactional message —
 * COMMIT (8) copies the half message into its real topic, ROLLBACK (12) only marks it resolved,
 * 0 (unknown) does nothing and leaves it to the check service.
 *
 * Interview question: "RocketMQ 的事务消息如何实现的？和本地事务怎么保证一致性？(How are
 * transactional messages implemented, and how do they stay consistent with the local transaction?)"
 * — the producer sends this request right after its local transaction, oneway, so losing it is
 * normal; that is what the check-back is for. The broker verifies that the request really names the
 * half message (producer group, queue offset, commit-log offset) before acting, and acts at most
 * once per transaction.
 */
import {
  createResponse,
  type EndTransactionRequestHeader,
  MessageConst,
  type MessageRecord,
  parseEndTransactionRequestHeader,
  type RemotingCommand,
  ResponseCode,
  TransactionCommitType,
} from '@flashsale/mq/protocol';
import type { BrokerConfig } from '../broker-config';
import type { BrokerLogger } from '../broker-logger';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { RequestProcessor } from '../remoting/request-processor';
import { RMQ_SYS_TRANS_HALF_TOPIC } from '../topic/topic-validator';
import { describe } from '../transaction/transactional-message-check.listener';
import type { TransactionalMessageService } from '../transaction/transactional-message.service';
import { sendOutcomeOf } from './put-message-status.mapping';

export interface EndTransactionProcessorDeps {
  brokerConfig: Pick<BrokerConfig, 'brokerId'>;
  service: TransactionalMessageService;
  logger: BrokerLogger;
}

type Reply = RemotingCommand | undefined;

export class EndTransactionProcessor implements RequestProcessor {
  constructor(private readonly deps: EndTransactionProcessorDeps) {}

  async processRequest(channel: RemotingChannel, request: RemotingCommand): Promise<Reply> {
    // Only the master stores; a slave's copy of the half message must not be committed.
    if (this.deps.brokerConfig.brokerId !== 0) {
      return answer(request, ResponseCode.SLAVE_NOT_AVAILABLE, 'this broker is a slave');
    }
    const header = parseEndTransactionRequestHeader(request.extFields);
    switch (header.commitOrRollback) {
      case TransactionCommitType.NOT_TYPE:
        // "Unknown": the local transaction is still running or failed to report; the check service asks later.
        this.deps.logger.info('transaction end: producer reported UNKNOW; waiting for a check-back', {
          ...headerFields(header),
          channel: channel.id,
        });
        return undefined;
      case TransactionCommitType.COMMIT:
        return this.commit(request, header);
      case TransactionCommitType.ROLLBACK:
        return this.rollback(request, header);
      default:
        return answer(
          request,
          ResponseCode.SYSTEM_ERROR,
          `unknown commitOrRollback value ${header.commitOrRollback}`,
        );
    }
  }

  private async commit(request: RemotingCommand, header: EndTransactionRequestHeader): Promise<Reply> {
    const found = this.findHalfMessage(request, header);
    if ('reply' in found) return found.reply;
    const { half } = found;
    const result = await this.deps.service.commitMessage(half);
    if (!result.ok && result.reason === 'NOT_A_HALF_MESSAGE') {
      return answer(request, ResponseCode.SYSTEM_ERROR, 'the half message has no REAL_TOPIC/REAL_QID');
    }
    if (!result.ok) {
      const outcome = sendOutcomeOf(result.put.status);
      this.deps.logger.warn('transaction commit: could not store the committed message', {
        ...describe(half),
        status: result.put.status,
      });
      return answer(request, outcome.code, outcome.remark ?? result.put.status);
    }
    this.deps.logger.info('transaction committed: message delivered to its real topic', {
      ...describe(half),
      fromTransactionCheck: header.fromTransactionCheck ?? false,
      msgId: result.committed.appendResult?.msgId,
    });
    return answer(request, ResponseCode.SUCCESS);
  }

  private async rollback(request: RemotingCommand, header: EndTransactionRequestHeader): Promise<Reply> {
    const found = this.findHalfMessage(request, header);
    if ('reply' in found) return found.reply;
    const stored = await this.deps.service.rollbackMessage(found.half);
    this.deps.logger.info('transaction rolled back: message will never be delivered', {
      ...describe(found.half),
      fromTransactionCheck: header.fromTransactionCheck ?? false,
    });
    if (!stored) return answer(request, ResponseCode.SYSTEM_ERROR, 'could not record the rollback');
    return answer(request, ResponseCode.SUCCESS);
  }

  /**
   * RocketMQ's lookup plus `checkPrepareMessage`: the half message at commitLogOffset, verified
   * against the request. A transaction that is already resolved is answered SUCCESS and left alone.
   */
  private findHalfMessage(
    request: RemotingCommand,
    header: EndTransactionRequestHeader,
  ): { half: MessageRecord } | { reply: Reply } {
    const half = this.deps.service.lookupHalfMessage(header.commitLogOffset);
    const problem = verifyHalfMessage(half, header);
    if (problem || !half) {
      this.deps.logger.warn('transaction end rejected', { ...headerFields(header), problem });
      return { reply: answer(request, ResponseCode.SYSTEM_ERROR, problem) };
    }
    if (this.deps.service.isResolved(half)) {
      this.deps.logger.info('transaction end ignored: this transaction is already resolved', {
        ...describe(half),
        commitOrRollback: header.commitOrRollback,
        fromTransactionCheck: header.fromTransactionCheck ?? false,
      });
      return { reply: answer(request, ResponseCode.SUCCESS) };
    }
    return { half };
  }
}

/** The remark for a request that does not match its half message; undefined when it matches. */
export function verifyHalfMessage(
  half: MessageRecord | undefined,
  header: EndTransactionRequestHeader,
): string | undefined {
  if (!half || half.topic !== RMQ_SYS_TRANS_HALF_TOPIC) return 'Find prepared transaction message failed';
  if (half.properties[MessageConst.PGROUP] !== header.producerGroup) return 'The producer group wrong';
  if (half.queueOffset !== header.tranStateTableOffset) return 'The transaction state table offset wrong';
  if (half.commitLogOffset !== header.commitLogOffset) return 'The commit log offset wrong';
  return undefined;
}

function headerFields(header: EndTransactionRequestHeader): Record<string, unknown> {
  return {
    producerGroup: header.producerGroup,
    msgId: header.msgId,
    tranStateTableOffset: header.tranStateTableOffset,
    commitLogOffset: header.commitLogOffset,
    fromTransactionCheck: header.fromTransactionCheck ?? false,
  };
}

/** The remoting server drops this for oneway requests (the usual case): only a two-way call is answered. */
function answer(request: RemotingCommand, code: number, remark?: string): RemotingCommand {
  return createResponse(request, code, {}, undefined, remark);
}
