/**
 * The broker's side of the books: for every consumer group of the services, how much of its topic and
 * of its retry topic is still unconsumed, and which of its dead letters belong to the sale.
 *
 * Interview: "消息堆积怎么发现、怎么处理？" (how do you notice and handle a backlog?) — lag is the queue's
 * max offset minus the group's committed offset, per queue, exactly what `mqadmin consumerProgress`
 * shows; a message that failed maxReconsumeTimes times ends in %DLQ%<group>, where nobody consumes it,
 * so a checker has to look there or the books silently lose it.
 */
import { Subscriptions } from '@flashsale/contracts';
import { AdminClient, type MessageExt, MQClientError, retryTopicOf } from '@flashsale/mq';

export interface GroupAccount {
  group: string;
  topic: string;
  /** Messages of the topic the group has not consumed yet. */
  lag: number;
  /** Messages due for redelivery in %RETRY%<group> not consumed yet. */
  retryLag: number;
}

export interface DeadLetter {
  group: string;
  msgId: string;
  reconsumeTimes: number;
  body: string;
}

/** The most dead letters read per group: a sale that dead-letters more has bigger problems to report. */
const DEAD_LETTERS_READ = 10_000;

export class QueueAccounts {
  private readonly admin: AdminClient;

  constructor(nameServer: string) {
    this.admin = new AdminClient({ nameServer, apiTimeoutMillis: 5_000 });
  }

  close(): void {
    this.admin.close();
  }

  /** Lag of every subscription and of its retry topic. */
  async groups(): Promise<GroupAccount[]> {
    return Promise.all(
      Subscriptions.map(async ({ group, topic }) => ({
        group,
        topic,
        lag: await this.lagOf(group, topic),
        retryLag: await this.lagOf(group, retryTopicOf(group)),
      })),
    );
  }

  /** Lag of one group on one topic; 0 when the topic has no route yet (nothing was ever sent to it). */
  async lagOf(group: string, topic: string): Promise<number> {
    try {
      return (await this.admin.examineConsumeStats(group, topic)).totalLag;
    } catch (error) {
      if (error instanceof MQClientError && error.reason === 'NO_ROUTE') return 0;
      throw error;
    }
  }

  /** Dead letters of every group whose JSON body names one of `ids` (the sale id, its order ids). */
  async deadLettersAbout(ids: ReadonlySet<string>): Promise<DeadLetter[]> {
    const found: DeadLetter[] = [];
    for (const { group } of Subscriptions) {
      const letters = await this.admin.queryDeadLetterMessages(group, { maxNum: DEAD_LETTERS_READ });
      for (const letter of letters) {
        if (mentionsAny(letter, ids)) found.push(toDeadLetter(group, letter));
      }
    }
    return found;
  }
}

function mentionsAny(letter: MessageExt, ids: ReadonlySet<string>): boolean {
  let body: unknown;
  try {
    body = JSON.parse(letter.body.toString('utf8'));
  } catch {
    return false; // not one of the services' JSON events, so not this sale's
  }
  if (typeof body !== 'object' || body === null) return false;
  const { saleId, orderId } = body as { saleId?: unknown; orderId?: unknown };
  return (typeof saleId === 'string' && ids.has(saleId)) || (typeof orderId === 'string' && ids.has(orderId));
}

function toDeadLetter(group: string, letter: MessageExt): DeadLetter {
  return {
    group,
    msgId: letter.msgId,
    reconsumeTimes: letter.reconsumeTimes,
    body: letter.body.toString('utf8').slice(0, 200),
  };
}
