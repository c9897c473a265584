/**
 * The per-queue lookups: GET_MAX_OFFSET (30), GET_MIN_OFFSET (31), SEARCH_OFFSET_BY_TIMESTAMP (29)
 * and GET_EARLIEST_MSG_STORETIME (32). They read the ConsumeQueue only and never fail: an unknown
 * queue simply has offsets 0 (and an earliest store time of -1).
 *
 * Interview question: "How do you compute consumer lag, or replay from a point in time?" — lag is
 * GET_MAX_OFFSET minus the group's committed offset; replay asks SEARCH_OFFSET_BY_TIMESTAMP for the
 * offset whose message was stored closest to the time, and resets the group's offset to it.
 */
import {
  createResponse,
  parseGetMaxOffsetRequestHeader,
  parseQueueRequestHeader,
  parseSearchOffsetByTimestampRequestHeader,
  type RemotingCommand,
  RequestCode,
  ResponseCode,
} from '@flashsale/mq/protocol';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { RequestProcessor } from '../remoting/request-processor';
import type { MessageStore } from '../store';

export interface QueueOffsetProcessorOptions {
  store: Pick<
    MessageStore,
    'getMaxOffsetInQueue' | 'getMinOffsetInQueue' | 'getOffsetInQueueByTime' | 'getEarliestMessageTime'
  >;
}

export class QueueOffsetProcessor implements RequestProcessor {
  constructor(private readonly options: QueueOffsetProcessorOptions) {}

  processRequest(_channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const { store } = this.options;
    switch (request.code) {
      case RequestCode.GET_MAX_OFFSET: {
        const { topic, queueId } = parseGetMaxOffsetRequestHeader(request.extFields);
        return answer(request, 'offset', store.getMaxOffsetInQueue(topic, queueId));
      }
      case RequestCode.GET_MIN_OFFSET: {
        const { topic, queueId } = parseQueueRequestHeader(request.extFields);
        return answer(request, 'offset', store.getMinOffsetInQueue(topic, queueId));
      }
      case RequestCode.SEARCH_OFFSET_BY_TIMESTAMP: {
        const { topic, queueId, timestamp } = parseSearchOffsetByTimestampRequestHeader(request.extFields);
        return answer(request, 'offset', store.getOffsetInQueueByTime(topic, queueId, timestamp));
      }
      case RequestCode.GET_EARLIEST_MSG_STORETIME: {
        const { topic, queueId } = parseQueueRequestHeader(request.extFields);
        return answer(request, 'timestamp', store.getEarliestMessageTime(topic, queueId));
      }
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
}

function answer(request: RemotingCommand, field: 'offset' | 'timestamp', value: number): RemotingCommand {
  return createResponse(request, ResponseCode.SUCCESS, { [field]: String(value) });
}
