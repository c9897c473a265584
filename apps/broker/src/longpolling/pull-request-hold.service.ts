/**
 * PullRequestHoldService: the broker half of long polling. A pull that finds nothing new is parked
 * here under its queue's key (`topic@queueId`) instead of being answered, and is re-executed as
 * soon as a matching message lands in that queue — or when it has waited its full suspend time.
 *
 * Interview question: "Is RocketMQ push or pull?" — pull, with long polling. The "push" consumer
 * sends PULL_MESSAGE with the SUSPEND flag; when the queue is empty the broker holds the request
 * (15 s by default) and answers the moment a message arrives, so consumers get push-like latency
 * without the broker tracking consumer capacity, and an idle consumer costs one request per 15 s.
 *
 * Two ways a parked request wakes up:
 * - arrival: the store's dispatcher reports every new ConsumeQueue entry (notifyMessageArriving);
 *   only the requests parked on that one queue are looked at, and only those whose filter matches
 *   the new entry's tagsCode are woken.
 * - periodic check (every 5 s by default): every parked request is compared with its queue's max
 *   offset, without a filter (the re-executed pull then answers NO_MATCHED if nothing matches), and
 *   requests past their deadline are answered PULL_NOT_FOUND. This also bounds the wait when an
 *   arrival notification was missed; the price is that expiry is only as precise as the interval.
 */
import type { BrokerLogger } from '../broker-logger';
import { silentBrokerLogger } from '../broker-logger';
import type { MessageStore } from '../store';
import { isPullRequestExpired, type PullRequest, pullRequestKey } from './pull-request';

/** Runs a parked pull again and writes its answer; the pull processor implements it. */
export interface PullRequestExecutor {
  executeRequestWhenWakeup(request: PullRequest): void;
}

/** RocketMQ re-checks parked requests every 5 s when long polling is enabled. */
export const DEFAULT_HOLD_CHECK_INTERVAL_MILLIS = 5000;

export interface PullRequestHoldServiceOptions {
  store: Pick<MessageStore, 'getMaxOffsetInQueue'>;
  executor: PullRequestExecutor;
  /** How often parked requests are re-checked and expired (ms). */
  checkIntervalMillis?: number;
  logger?: BrokerLogger;
}

export class PullRequestHoldService {
  /** `topic@queueId` → requests parked on that queue, oldest first. */
  private readonly pullRequestTable = new Map<string, PullRequest[]>();
  private parked = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly store: Pick<MessageStore, 'getMaxOffsetInQueue'>;
  private readonly executor: PullRequestExecutor;
  private readonly checkIntervalMillis: number;
  private readonly logger: BrokerLogger;

  constructor(options: PullRequestHoldServiceOptions) {
    this.store = options.store;
    this.executor = options.executor;
    this.checkIntervalMillis = options.checkIntervalMillis ?? DEFAULT_HOLD_CHECK_INTERVAL_MILLIS;
    this.logger = options.logger ?? silentBrokerLogger;
  }

  /** Requests parked right now, over all queues. */
  get parkedCount(): number {
    return this.parked;
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.checkHoldRequest(), this.checkIntervalMillis);
    this.timer.unref();
  }

  /**
   * Stops the periodic check and drops every parked request without answering it: the store may
   * already be closing, and an answer computed from a closed store could send consumers to offset 0.
   * Their connections close with the server, and clients re-pull elsewhere or after reconnecting.
   */
  shutdown(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.parked > 0) this.logger.info(`dropping ${this.parked} parked pull requests at shutdown`);
    this.pullRequestTable.clear();
    this.parked = 0;
  }

  /** Parks a pull; false if the service is shut down (the caller then answers at once). */
  suspendPullRequest(topic: string, queueId: number, request: PullRequest): boolean {
    if (this.stopped) return false;
    const key = pullRequestKey(topic, queueId);
    const parkedOnQueue = this.pullRequestTable.get(key);
    if (parkedOnQueue) parkedOnQueue.push(request);
    else this.pullRequestTable.set(key, [request]);
    this.parked++;
    return true;
  }

  /**
   * A message was dispatched to (topic, queueId); `maxOffset` is the queue's new max offset. Wakes
   * the requests parked on this queue that asked for an offset below it and whose filter accepts
   * `tagsCode` (undefined = wake regardless of tags), plus any that have expired. Cost: one map
   * lookup per message, then only the requests of this queue.
   */
  notifyMessageArriving(topic: string, queueId: number, maxOffset: number, tagsCode?: number): void {
    if (this.parked === 0) return;
    const key = pullRequestKey(topic, queueId);
    const parkedOnQueue = this.pullRequestTable.get(key);
    if (!parkedOnQueue) return;

    const now = Date.now();
    const stillWaiting: PullRequest[] = [];
    const wakeUp: PullRequest[] = [];
    for (const request of parkedOnQueue) {
      if (!request.channel.isActive) continue;
      if (this.hasNews(request, topic, queueId, maxOffset, tagsCode) || isPullRequestExpired(request, now)) {
        wakeUp.push(request);
      } else {
        stillWaiting.push(request);
      }
    }
    this.parked -= parkedOnQueue.length - stillWaiting.length;
    if (stillWaiting.length > 0) this.pullRequestTable.set(key, stillWaiting);
    else this.pullRequestTable.delete(key);
    if (wakeUp.length > 0) this.execute(wakeUp);
  }

  /** The periodic pass over every parked request (RocketMQ's `checkHoldRequest`). */
  checkHoldRequest(): void {
    for (const key of [...this.pullRequestTable.keys()]) {
      const parkedOnQueue = this.pullRequestTable.get(key);
      if (!parkedOnQueue || parkedOnQueue.length === 0) continue;
      const { topic, queueId } = parkedOnQueue[0].header;
      try {
        this.notifyMessageArriving(topic, queueId, this.store.getMaxOffsetInQueue(topic, queueId));
      } catch (err) {
        this.logger.error(`checking parked pulls of ${key} failed: ${String(err)}`);
      }
    }
  }

  private hasNews(
    request: PullRequest,
    topic: string,
    queueId: number,
    maxOffset: number,
    tagsCode: number | undefined,
  ): boolean {
    let newestOffset = maxOffset;
    // The notification can be older than the request (it was parked after this entry landed).
    if (newestOffset <= request.pullFromThisOffset)
      newestOffset = this.store.getMaxOffsetInQueue(topic, queueId);
    if (newestOffset <= request.pullFromThisOffset) return false;
    return tagsCode === undefined || request.messageFilter(tagsCode);
  }

  /**
   * Re-executes after the current dispatch pass: the store's dispatcher calls us once per message,
   * and deferring to a microtask lets it finish the pass first, so the pull finds a whole batch.
   */
  private execute(requests: PullRequest[]): void {
    queueMicrotask(() => {
      for (const request of requests) {
        try {
          this.executor.executeRequestWhenWakeup(request);
        } catch (err) {
          this.logger.error(`re-executing a parked pull failed: ${String(err)}`);
        }
      }
    });
  }
}
