/**
 * The bridge from the store to long polling (RocketMQ's `NotifyMessageArrivingListener`): the
 * store's dispatcher calls it for every new ConsumeQueue entry, and it wakes the pulls parked on
 * that queue. The broker controller installs it with `store.setMessageArrivingListener(...)`.
 */
import type { MessageArrivingListener } from '../store';
import type { PullRequestHoldService } from './pull-request-hold.service';

export function createNotifyMessageArrivingListener(
  holdService: Pick<PullRequestHoldService, 'notifyMessageArriving'>,
): MessageArrivingListener {
  return (topic, queueId, maxOffset, tagsCode) =>
    holdService.notifyMessageArriving(topic, queueId, maxOffset, tagsCode);
}
