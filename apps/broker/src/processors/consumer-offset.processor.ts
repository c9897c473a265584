/**
 * QUERY_CONSUMER_OFFSET (14) and UPDATE_CONSUMER_OFFSET (15): a clustering group's progress per
 * queue, read when a consumer takes over a queue and written every 5 s while it consumes.
 *
 * Interview question: "Where does a brand-new consumer group start reading?" — it asks for its
 * offset; with none stored the client falls back to consumeFromWhere (LAST_OFFSET by default, i.e.
 * only new messages). Except on a young queue: if the queue still begins at offset 0 and message 0
 * is still in the store, the broker answers 0, so a new group reads a young topic from the start
 * even with LAST_OFFSET. Once the queue's head has been deleted the broker answers QUERY_NOT_FOUND.
 */
import {
  createResponse,
  formatSocketAddress,
  parseQueryConsumerOffsetRequestHeader,
  parseUpdateConsumerOffsetRequestHeader,
  type RemotingCommand,
  RequestCode,
  ResponseCode,
} from '@flashsale/mq/protocol';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { RequestProcessor } from '../remoting/request-processor';
import type { MessageStore } from '../store';

export interface ConsumerOffsetProcessorOptions {
  consumerOffsets: Pick<ConsumerOffsetManager, 'commitOffset' | 'queryOffset'>;
  store: Pick<MessageStore, 'getMinOffsetInQueue' | 'getMaxOffsetInQueue' | 'getMessageStoreTimestamp'>;
}

/** RocketMQ's remark, kept verbatim because operators search logs for it. */
export const QUERY_OFFSET_NOT_FOUND_REMARK =
  'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first';

export class ConsumerOffsetProcessor implements RequestProcessor {
  constructor(private readonly options: ConsumerOffsetProcessorOptions) {}

  processRequest(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.QUERY_CONSUMER_OFFSET:
        return this.queryConsumerOffset(request);
      case RequestCode.UPDATE_CONSUMER_OFFSET:
        return this.updateConsumerOffset(channel, request);
      default:
        return createResponse(
          request,
          ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
          {},
          undefined,
          `request code ${request.code} not supported`,
        );
    }
  }

  private queryConsumerOffset(request: RemotingCommand): RemotingCommand {
    const { consumerGroup, topic, queueId } = parseQueryConsumerOffsetRequestHeader(request.extFields);
    const stored = this.options.consumerOffsets.queryOffset(consumerGroup, topic, queueId);
    if (stored >= 0) return offsetResponse(request, stored);
    if (this.isYoungQueue(topic, queueId)) return offsetResponse(request, 0);
    return createResponse(
      request,
      ResponseCode.QUERY_NOT_FOUND,
      {},
      undefined,
      QUERY_OFFSET_NOT_FOUND_REMARK,
    );
  }

  /**
   * The queue still starts at 0 and message 0 can still be read (RocketMQ asks "is it still in
   * memory"; here, "is it still in the store"). An empty queue counts as young, as in RocketMQ,
   * so a group that arrives before the first message starts at 0 rather than at "the end".
   */
  private isYoungQueue(topic: string, queueId: number): boolean {
    const { store } = this.options;
    if (store.getMinOffsetInQueue(topic, queueId) > 0) return false;
    if (store.getMaxOffsetInQueue(topic, queueId) === 0) return true;
    return store.getMessageStoreTimestamp(topic, queueId, 0) >= 0;
  }

  /** Java clients send this oneway; ali-ons sends it without the flag and needs an answer. */
  private updateConsumerOffset(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const header = parseUpdateConsumerOffsetRequestHeader(request.extFields);
    this.options.consumerOffsets.commitOffset(
      formatSocketAddress(channel.remoteAddress),
      header.consumerGroup,
      header.topic,
      header.queueId,
      header.commitOffset,
    );
    return createResponse(request, ResponseCode.SUCCESS);
  }
}

function offsetResponse(request: RemotingCommand, offset: number): RemotingCommand {
  return createResponse(request, ResponseCode.SUCCESS, { offset: String(offset) });
}
