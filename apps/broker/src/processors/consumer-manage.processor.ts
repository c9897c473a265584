/**
 * ConsumerManageProcessor: GET_CONSUMER_LIST_BY_GROUP (38). (The consumer-offset codes 14/15 of
 * RocketMQ's class of the same name live with the offset manager.)
 *
 * Interview question: "Who decides which consumer reads which queue?" — each consumer itself: it
 * asks a broker for the group's client ids, sorts them and the queues, and takes its share
 * (AllocateMessageQueueAveragely). The broker only has to return every live member's id, exactly as
 * the member sent it, or that member would find no share for itself.
 */
import {
  type ConsumerIdList,
  type RemotingCommand,
  ResponseCode,
  createResponse,
  encodeJsonBody,
  parseGetConsumerListByGroupRequestHeader,
} from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';
import type { ConsumerManager } from '../client/consumer-manager';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { RequestProcessor } from '../remoting/request-processor';

export class ConsumerManageProcessor implements RequestProcessor {
  constructor(
    private readonly consumerManager: ConsumerManager,
    private readonly logger: BrokerLogger,
  ) {}

  processRequest(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const { consumerGroup } = parseGetConsumerListByGroupRequestHeader(request.extFields);
    const clientIds = this.consumerManager.getConsumerGroupInfo(consumerGroup)?.getAllClientIds() ?? [];
    if (clientIds.length === 0) {
      this.logger.debug('consumer list asked for a group without members', {
        consumerGroup,
        channel: channel.id,
      });
      return createResponse(
        request,
        ResponseCode.SYSTEM_ERROR,
        {},
        undefined,
        `no consumer for this group, ${consumerGroup}`,
      );
    }
    const body: ConsumerIdList = { consumerIdList: clientIds };
    return createResponse(request, ResponseCode.SUCCESS, {}, encodeJsonBody(body));
  }
}
