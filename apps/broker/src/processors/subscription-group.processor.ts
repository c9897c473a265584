/**
 * UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200): an admin sets a consumer group's policy — above all
 * retryMaxTimes, the number of failed deliveries before a message goes to %DLQ%<group>
 * (`mqadmin updateSubGroup -r 3`). No header; the body is the SubscriptionGroupConfig as JSON.
 *
 * Interview question: the roadmap's "消费失败后自动重试（默认最多重试 16 次）" (failed messages are
 * retried, 16 times by default) — where does the 16 live? In the broker's subscriptionGroup.json,
 * per group; a consumer's own maxReconsumeTimes (sent with every CONSUMER_SEND_MSG_BACK since
 * V3_4_9) takes precedence over it.
 */
import {
  createResponse,
  decodeJsonBody,
  type RemotingCommand,
  RequestCode,
  ResponseCode,
} from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { RequestProcessor } from '../remoting/request-processor';
import {
  newSubscriptionGroupConfig,
  type SubscriptionGroupConfig,
  type SubscriptionGroupManager,
} from '../subscription/subscription-group-manager';

const GROUP_NAME_PATTERN = /^[%|a-zA-Z0-9_-]{1,255}$/;
const INT_FIELDS = ['retryQueueNums', 'retryMaxTimes', 'brokerId', 'whichBrokerWhenConsumeSlowly'] as const;
const BOOLEAN_FIELDS = [
  'consumeEnable',
  'consumeFromMinEnable',
  'consumeBroadcastEnable',
  'notifyConsumerIdsChangedEnable',
] as const;

export class SubscriptionGroupProcessor implements RequestProcessor {
  constructor(
    private readonly groups: SubscriptionGroupManager,
    private readonly logger: BrokerLogger,
  ) {}

  processRequest(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    if (request.code !== RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP) {
      return reply(
        request,
        ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
        ` request type ${request.code} not supported`,
      );
    }
    let body: Partial<SubscriptionGroupConfig>;
    try {
      body = decodeJsonBody<Partial<SubscriptionGroupConfig>>(request.body);
    } catch (err) {
      return reply(
        request,
        ResponseCode.SYSTEM_ERROR,
        `the body is not a SubscriptionGroupConfig: ${String(err)}`,
      );
    }
    const problem = problemOf(body);
    if (problem) return reply(request, ResponseCode.SYSTEM_ERROR, problem);
    const { groupName, ...fields } = body as SubscriptionGroupConfig;
    const config = newSubscriptionGroupConfig(groupName, fields);
    this.groups.updateSubscriptionGroupConfig(config);
    this.logger.info('UPDATE_AND_CREATE_SUBSCRIPTIONGROUP', { ...config, from: channel.id });
    return reply(request, ResponseCode.SUCCESS);
  }
}

function problemOf(body: Partial<SubscriptionGroupConfig> | undefined): string | undefined {
  if (!body || typeof body !== 'object') return 'the body must be a JSON object';
  if (typeof body.groupName !== 'string' || !GROUP_NAME_PATTERN.test(body.groupName)) {
    return `groupName ${String(body.groupName)} is not a valid group name`;
  }
  for (const field of INT_FIELDS) {
    const value = body[field];
    if (value !== undefined && (!Number.isInteger(value) || value < -1))
      return `${field} must be an integer ≥ -1`;
  }
  for (const field of BOOLEAN_FIELDS) {
    const value = body[field];
    if (value !== undefined && typeof value !== 'boolean') return `${field} must be a boolean`;
  }
  return undefined;
}

function reply(request: RemotingCommand, code: number, remark?: string): RemotingCommand {
  return createResponse(request, code, {}, undefined, remark);
}
