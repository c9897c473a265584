/**
 * PULL_MESSAGE (11): the consume side of the broker (RocketMQ's `PullMessageProcessor`).
 *
 * Interview question: "Is RocketMQ push or pull?" — pull with long polling. A consumer asks for
 * up to 32 messages of one queue from an offset; the broker checks permissions, resolves the
 * subscription into a tag filter, reads the queue, and answers with the raw stored records plus
 * nextBeginOffset/minOffset/maxOffset. When there is nothing new and the consumer allowed it
 * (SUSPEND flag), the request is parked in the PullRequestHoldService and answered later — the
 * moment a matching message arrives, or PULL_NOT_FOUND when the suspend time runs out.
 *
 * The pull also carries the consumer's progress: with the COMMIT_OFFSET flag, `commitOffset` is
 * stored for the group, so a busy consumer rarely needs a separate UPDATE_CONSUMER_OFFSET.
 */
import {
  createResponse,
  formatSocketAddress,
  type PullMessageRequestHeader,
  parsePullMessageRequestHeader,
  PullSysFlag,
  type RemotingCommand,
  ResponseCode,
  type SubscriptionData,
} from '@flashsale/mq/protocol';
import { type BrokerLogger, silentBrokerLogger } from '../broker-logger';
import {
  buildSubscriptionData,
  createTagFilter,
  type MessageFilter,
  SubscriptionParseError,
} from '../filter/message-filter';
import { type PullRequest } from '../longpolling/pull-request';
import { PullRequestHoldService, type PullRequestExecutor } from '../longpolling/pull-request-hold.service';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { RequestProcessor } from '../remoting/request-processor';
import { mayPullWithoutReadPermission } from '../retry/dead-letter-queue';
import type { GetMessageResult, MessageStore } from '../store';
import { isOffsetCorrection, pullResponseCodeOf } from './pull-response-code';

/** PermName.READ: the bit that lets consumers pull from a broker or a topic. */
const PERM_READ = 0x4;

export interface PullTopicConfig {
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
}

export interface TopicConfigLookup {
  selectTopicConfig(topic: string): PullTopicConfig | undefined;
}

/** The consumer manager: subscriptions registered by HEART_BEAT. */
export interface SubscriptionLookup {
  findSubscriptionData(group: string, topic: string): SubscriptionData | undefined;
}

/** The subscription-group manager (which auto-creates groups when the broker allows it). */
export interface SubscriptionGroupLookup {
  findSubscriptionGroupConfig(group: string): { consumeEnable: boolean } | undefined;
}

/** The broker settings a pull reads; read on every request, so runtime changes take effect. */
export interface PullBrokerConfig {
  brokerPermission: number;
  /** false: park empty pulls for shortPollingTimeMills instead of the client's suspend timeout. */
  longPollingEnable: boolean;
  shortPollingTimeMills: number;
  brokerRole?: 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';
  /** On a slave, correct consumers' offsets like a master would (RocketMQ default false). */
  offsetCheckInSlave?: boolean;
}

export interface PullMessageProcessorOptions {
  store: Pick<MessageStore, 'getMessage' | 'getMaxOffsetInQueue' | 'isRunning'>;
  topicConfigs: TopicConfigLookup;
  subscriptions: SubscriptionLookup;
  /** Omit to skip the group checks (26 SUBSCRIPTION_GROUP_NOT_EXIST, consumeEnable). */
  subscriptionGroups?: SubscriptionGroupLookup;
  consumerOffsets: Pick<ConsumerOffsetManager, 'commitOffset'>;
  brokerConfig: PullBrokerConfig;
  /** How often parked pulls are re-checked and expired; default 5000 (long) / shortPollingTimeMills. */
  holdCheckIntervalMillis?: number;
  logger?: BrokerLogger;
}

type FilterResolution = { filter: MessageFilter } | { rejection: RemotingCommand };

export class PullMessageProcessor implements RequestProcessor, PullRequestExecutor {
  /** Parked long-polling pulls; the controller feeds it from the store's arrival listener. */
  readonly pullRequestHoldService: PullRequestHoldService;
  private readonly logger: BrokerLogger;

  constructor(private readonly options: PullMessageProcessorOptions) {
    this.logger = options.logger ?? silentBrokerLogger;
    const { brokerConfig } = options;
    this.pullRequestHoldService = new PullRequestHoldService({
      store: options.store,
      executor: this,
      checkIntervalMillis:
        options.holdCheckIntervalMillis ??
        (brokerConfig.longPollingEnable ? undefined : brokerConfig.shortPollingTimeMills),
      logger: this.logger,
    });
  }

  start(): void {
    this.pullRequestHoldService.start();
  }

  shutdown(): void {
    this.pullRequestHoldService.shutdown();
  }

  processRequest(channel: RemotingChannel, request: RemotingCommand): RemotingCommand | undefined {
    const header = parsePullMessageRequestHeader(request.extFields);
    return this.pull(channel, request, header, true);
  }

  /**
   * A parked pull woke up (message arrived or time ran out): run it again, without the right to
   * suspend a second time or to commit the offset a second time, and answer on its channel.
   */
  executeRequestWhenWakeup(pullRequest: PullRequest): void {
    const { channel, request, header } = pullRequest;
    if (!channel.isActive) return;
    let response: RemotingCommand | undefined;
    try {
      response = this.pull(channel, request, header, false);
    } catch (err) {
      this.logger.error(`re-executing a parked pull failed: ${String(err)}`, { topic: header.topic });
      response = createResponse(request, ResponseCode.SYSTEM_ERROR, {}, undefined, String(err));
    }
    if (response) channel.write(response);
  }

  private pull(
    channel: RemotingChannel,
    request: RemotingCommand,
    header: PullMessageRequestHeader,
    brokerAllowSuspend: boolean,
  ): RemotingCommand | undefined {
    const rejection = this.checkPermissions(request, header);
    if (rejection) return rejection;
    const resolved = this.resolveFilter(request, header);
    if ('rejection' in resolved) return resolved.rejection;

    // Java's store answers null after shutdown and the broker says SYSTEM_ERROR; any pull status here
    // would be read by the consumer as a verdict on its offset.
    if (!this.options.store.isRunning) {
      return createResponse(
        request,
        ResponseCode.SYSTEM_ERROR,
        {},
        undefined,
        'the message store is shutting down',
      );
    }
    const result = this.options.store.getMessage(
      header.consumerGroup,
      header.topic,
      header.queueId,
      header.queueOffset,
      header.maxMsgNums,
      resolved.filter,
    );
    const response = this.toResponse(request, header, result);
    // A fresh request only: a woken one would write back an offset the consumer may since have moved past.
    if (brokerAllowSuspend) this.commitOffsetIfAsked(channel, header);

    const mayPark = brokerAllowSuspend && hasFlag(header.sysFlag, PullSysFlag.SUSPEND);
    if (mayPark && response.code === ResponseCode.PULL_NOT_FOUND) {
      if (this.park(channel, request, header, resolved.filter)) return undefined;
    }
    return response;
  }

  /** The COMMIT_OFFSET flag piggy-backs the consumer's progress; a slave never stores offsets. */
  private commitOffsetIfAsked(channel: RemotingChannel, header: PullMessageRequestHeader): void {
    if (!hasFlag(header.sysFlag, PullSysFlag.COMMIT_OFFSET)) return;
    if (this.options.brokerConfig.brokerRole === 'SLAVE') return;
    this.options.consumerOffsets.commitOffset(
      formatSocketAddress(channel.remoteAddress),
      header.consumerGroup,
      header.topic,
      header.queueId,
      header.commitOffset,
    );
  }

  /** Broker, group, topic and queue checks, in RocketMQ's order; a response means "rejected". */
  private checkPermissions(
    request: RemotingCommand,
    header: PullMessageRequestHeader,
  ): RemotingCommand | undefined {
    const { brokerConfig, subscriptionGroups, topicConfigs } = this.options;
    const { consumerGroup: group, topic, queueId } = header;
    if (!hasFlag(brokerConfig.brokerPermission, PERM_READ)) {
      return reject(request, ResponseCode.NO_PERMISSION, 'the broker pulling message is forbidden');
    }
    if (subscriptionGroups) {
      const groupConfig = subscriptionGroups.findSubscriptionGroupConfig(group);
      if (!groupConfig) {
        return reject(
          request,
          ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
          `subscription group [${group}] does not exist`,
        );
      }
      if (!groupConfig.consumeEnable) {
        return reject(request, ResponseCode.NO_PERMISSION, `subscription group no permission, ${group}`);
      }
    }
    const topicConfig = topicConfigs.selectTopicConfig(topic);
    if (!topicConfig) {
      return reject(request, ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist, apply first please!`);
    }
    // The admin read path into a write-only dead-letter queue (retry/dead-letter-queue.ts).
    if (!hasFlag(topicConfig.perm, PERM_READ) && !mayPullWithoutReadPermission(group, topic)) {
      return reject(request, ResponseCode.NO_PERMISSION, `the topic[${topic}] pulling message is forbidden`);
    }
    if (queueId < 0 || queueId >= topicConfig.readQueueNums) {
      return reject(
        request,
        ResponseCode.SYSTEM_ERROR,
        `queueId[${queueId}] is illegal, topic:[${topic}] topicConfig.readQueueNums:[${topicConfig.readQueueNums}] consumer:[${group}]`,
      );
    }
    return undefined;
  }

  /**
   * The subscription comes from the request when the SUBSCRIPTION flag is set (ali-ons always sets
   * it), otherwise from the group's last heartbeat — the Java push consumer's default.
   */
  private resolveFilter(request: RemotingCommand, header: PullMessageRequestHeader): FilterResolution {
    if (hasFlag(header.sysFlag, PullSysFlag.SUBSCRIPTION)) {
      if (!isTagType(header.expressionType))
        return { rejection: unsupportedExpression(request, header.expressionType) };
      try {
        return {
          filter: createTagFilter(
            buildSubscriptionData(header.topic, header.subscription, header.subVersion),
          ),
        };
      } catch (err) {
        if (!(err instanceof SubscriptionParseError)) throw err;
        return {
          rejection: reject(
            request,
            ResponseCode.SUBSCRIPTION_PARSE_FAILED,
            `parse the consumer's subscription failed: ${err.message}`,
          ),
        };
      }
    }
    const subscription = this.options.subscriptions.findSubscriptionData(header.consumerGroup, header.topic);
    if (!subscription) {
      return {
        rejection: reject(
          request,
          ResponseCode.SUBSCRIPTION_NOT_EXIST,
          "the consumer's subscription not exist",
        ),
      };
    }
    if (subscription.subVersion < header.subVersion) {
      return {
        rejection: reject(
          request,
          ResponseCode.SUBSCRIPTION_NOT_LATEST,
          "the consumer's subscription not latest",
        ),
      };
    }
    if (!isTagType(subscription.expressionType)) {
      return { rejection: unsupportedExpression(request, subscription.expressionType) };
    }
    return { filter: createTagFilter(subscription) };
  }

  /** All four header fields on every store answer: ali-ons computes its next offset from them. */
  private toResponse(
    request: RemotingCommand,
    header: PullMessageRequestHeader,
    result: GetMessageResult,
  ): RemotingCommand {
    const { brokerConfig } = this.options;
    let code: number = pullResponseCodeOf(result.status, header.queueOffset);
    let nextBeginOffset = result.nextBeginOffset;
    if (brokerConfig.brokerRole === 'SLAVE' && !brokerConfig.offsetCheckInSlave) {
      if (isOffsetCorrection(result.status)) nextBeginOffset = header.queueOffset;
      if (code === ResponseCode.PULL_OFFSET_MOVED) code = ResponseCode.PULL_RETRY_IMMEDIATELY;
    }
    const extFields = {
      suggestWhichBrokerId: '0',
      nextBeginOffset: String(nextBeginOffset),
      minOffset: String(result.minOffset),
      maxOffset: String(result.maxOffset),
    };
    const body = code === ResponseCode.SUCCESS ? concatMessages(result) : undefined;
    return createResponse(request, code, extFields, body);
  }

  private park(
    channel: RemotingChannel,
    request: RemotingCommand,
    header: PullMessageRequestHeader,
    messageFilter: MessageFilter,
  ): boolean {
    const { brokerConfig } = this.options;
    const pullRequest: PullRequest = {
      channel,
      request,
      header,
      pullFromThisOffset: header.queueOffset,
      messageFilter,
      suspendTimestamp: Date.now(),
      timeoutMillis: brokerConfig.longPollingEnable
        ? header.suspendTimeoutMillis
        : brokerConfig.shortPollingTimeMills,
    };
    return this.pullRequestHoldService.suspendPullRequest(header.topic, header.queueId, pullRequest);
  }
}

function hasFlag(value: number, flag: number): boolean {
  return (value & flag) === flag;
}

/** RocketMQ's `ExpressionType.isTagType`: absent, empty and "TAG" all mean tag filtering. */
function isTagType(expressionType: string | undefined): boolean {
  return expressionType === undefined || expressionType === '' || expressionType === 'TAG';
}

/** SQL92 needs property filtering on the broker, which this broker does not implement. */
function unsupportedExpression(
  request: RemotingCommand,
  expressionType: string | undefined,
): RemotingCommand {
  return reject(
    request,
    ResponseCode.SYSTEM_ERROR,
    `The broker does not support consumer to filter message by ${String(expressionType)}`,
  );
}

function reject(request: RemotingCommand, code: number, remark: string): RemotingCommand {
  return createResponse(request, code, {}, undefined, remark);
}

/**
 * The body is the stored records back to back, exactly as the CommitLog holds them. One message is
 * sent as the store's own view; several are joined with a single copy.
 */
function concatMessages(result: GetMessageResult): Buffer {
  if (result.messages.length === 1) return result.messages[0];
  return Buffer.concat(result.messages, result.bufferTotalSize);
}
