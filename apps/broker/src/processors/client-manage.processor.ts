/**
 * ClientManageProcessor: HEART_BEAT (34) and UNREGISTER_CLIENT (35) — how clients tell the broker
 * who they are, which groups they belong to and what they subscribe to.
 *
 * Interview questions: "Why does a consumer need heartbeats if it pulls anyway?" — the heartbeat
 * carries the subscription (tag hashes for broker-side filtering) and group membership (for
 * rebalancing), and its absence is how the broker detects a dead client. "Where do retry topics come
 * from?" — the broker creates %RETRY%<group> (1 queue, read/write) on a clustering consumer's first
 * heartbeat and registers it with the NameServers, so the consumer can subscribe to it.
 */
import {
  type ConsumerData,
  type HeartbeatData,
  type RemotingCommand,
  RequestCode,
  ResponseCode,
  type SubscriptionData,
  createResponse,
  decodeJsonBody,
  parseUnregisterClientRequestHeader,
} from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';
import type { ClientChannelInfo } from '../client/client-channel-info';
import type { ConsumerManager } from '../client/consumer-manager';
import type { ProducerManager } from '../client/producer-manager';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { RequestProcessor } from '../remoting/request-processor';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager';
import { READ_WRITE } from '../topic/perm-name';
import type { TopicConfigManager } from '../topic/topic-config-manager';
import { retryTopicOf } from '../topic/topic-validator';

export interface ClientManageProcessorDeps {
  consumerManager: ConsumerManager;
  producerManager: ProducerManager;
  subscriptionGroupManager: SubscriptionGroupManager;
  topicConfigManager: TopicConfigManager;
  logger: BrokerLogger;
}

export class ClientManageProcessor implements RequestProcessor {
  constructor(private readonly deps: ClientManageProcessorDeps) {}

  processRequest(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.HEART_BEAT:
        return this.heartBeat(channel, request);
      case RequestCode.UNREGISTER_CLIENT:
        return this.unregisterClient(channel, request);
      default:
        return createResponse(
          request,
          ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
          {},
          undefined,
          ` request type ${request.code} not supported`,
        );
    }
  }

  private heartBeat(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const heartbeat = decodeJsonBody<Partial<HeartbeatData>>(request.body);
    if (typeof heartbeat.clientID !== 'string' || heartbeat.clientID.length === 0) {
      return createResponse(request, ResponseCode.SYSTEM_ERROR, {}, undefined, 'heartbeat without clientID');
    }
    const info: ClientChannelInfo = {
      channel,
      clientId: heartbeat.clientID,
      language: request.language,
      version: request.version,
      lastUpdateTimestamp: Date.now(),
    };
    for (const consumer of heartbeat.consumerDataSet ?? []) this.registerConsumer(info, consumer);
    for (const producer of heartbeat.producerDataSet ?? []) {
      if (producer?.groupName) this.deps.producerManager.registerProducer(producer.groupName, info);
    }
    return createResponse(request, ResponseCode.SUCCESS);
  }

  private registerConsumer(info: ClientChannelInfo, consumer: ConsumerData): void {
    if (!consumer?.groupName) return;
    const group = consumer.groupName;
    const groupConfig = this.deps.subscriptionGroupManager.findSubscriptionGroupConfig(group);
    if (groupConfig && consumer.messageModel !== 'BROADCASTING') {
      // Creating the topic fires the topic-change listener, which re-registers with the NameServers.
      this.deps.topicConfigManager.createTopicInSendMessageBackMethod(
        retryTopicOf(group),
        groupConfig.retryQueueNums,
        READ_WRITE,
        0,
      );
    }
    this.deps.consumerManager.registerConsumer({
      group,
      clientChannelInfo: info,
      consumeType: consumer.consumeType ?? 'CONSUME_PASSIVELY',
      messageModel: consumer.messageModel ?? 'CLUSTERING',
      consumeFromWhere: consumer.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET',
      subscriptions: normalizeSubscriptions(consumer.subscriptionDataSet),
      notifyOnChange: groupConfig?.notifyConsumerIdsChangedEnable ?? true,
    });
  }

  private unregisterClient(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const header = parseUnregisterClientRequestHeader(request.extFields);
    if (header.producerGroup) this.deps.producerManager.unregisterProducer(header.producerGroup, channel);
    if (header.consumerGroup) {
      const groupConfig = this.deps.subscriptionGroupManager.findSubscriptionGroupConfig(
        header.consumerGroup,
      );
      const notify = groupConfig?.notifyConsumerIdsChangedEnable ?? true;
      this.deps.consumerManager.unregisterConsumer(header.consumerGroup, channel, notify);
    }
    this.deps.logger.debug('client unregistered', { clientId: header.clientID, channel: channel.id });
    return createResponse(request, ResponseCode.SUCCESS);
  }
}

/** Clients differ in what they omit; the pull path relies on tagsSet/codeSet being arrays. */
function normalizeSubscriptions(list: readonly SubscriptionData[] | undefined): SubscriptionData[] {
  const result: SubscriptionData[] = [];
  for (const sub of list ?? []) {
    if (!sub || typeof sub.topic !== 'string') continue;
    result.push({
      ...sub,
      subString: sub.subString ?? '*',
      tagsSet: Array.isArray(sub.tagsSet) ? sub.tagsSet : [],
      codeSet: Array.isArray(sub.codeSet) ? sub.codeSet : [],
      subVersion: Number(sub.subVersion ?? 0),
      classFilterMode: sub.classFilterMode ?? false,
    });
  }
  return result;
}
