/**
 * One parked PULL_MESSAGE (RocketMQ's `longpolling.PullRequest`): everything needed to run the pull
 * again later — the connection to answer on, the original request and its parsed header, the filter
 * that decides whether a newly arrived message is worth waking up for, and the deadline.
 */
import type { PullMessageRequestHeader, RemotingCommand } from '@flashsale/mq/protocol';
import type { MessageFilter } from '../filter/message-filter';
import type { RemotingChannel } from '../remoting/remoting-channel';

export interface PullRequest {
  readonly channel: RemotingChannel;
  readonly request: RemotingCommand;
  readonly header: PullMessageRequestHeader;
  /** The queue offset the consumer asked for; any max offset beyond it means there is news. */
  readonly pullFromThisOffset: number;
  readonly messageFilter: MessageFilter;
  /** When the request was parked (epoch ms). */
  readonly suspendTimestamp: number;
  /** How long it may stay parked: suspendTimeoutMillis, or shortPollingTimeMills without long polling. */
  readonly timeoutMillis: number;
}

export function isPullRequestExpired(request: PullRequest, now: number): boolean {
  return now >= request.suspendTimestamp + request.timeoutMillis;
}

/** The key of the queue a request waits on, RocketMQ's `topic@queueId`. */
export function pullRequestKey(topic: string, queueId: number): string {
  return `${topic}@${queueId}`;
}
