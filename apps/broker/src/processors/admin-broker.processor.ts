/**
 * AdminBrokerProcessor: the admin requests our tools and tests use — UPDATE_AND_CREATE_TOPIC (17),
 * GET_ALL_TOPIC_CONFIG (21), GET_BROKER_RUNTIME_INFO (28) and DELETE_TOPIC_IN_BROKER (215).
 *
 * Interview question: "How do you create a topic in production?" — `mqadmin updateTopic` sends
 * UPDATE_AND_CREATE_TOPIC to each broker (or every master of a cluster); the broker stores the config
 * and re-registers at once, so the route shows up in the NameServers without waiting 30 s.
 */
import {
  type RemotingCommand,
  RequestCode,
  ResponseCode,
  type TopicConfig,
  createResponse,
  encodeJsonBody,
  parseUpdateAndCreateTopicRequestHeader,
  requireString,
} from '@flashsale/mq/protocol';
import { type BrokerConfig, brokerAddrOf } from '../broker-config';
import type { BrokerLogger } from '../broker-logger';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { RequestProcessor } from '../remoting/request-processor';
import type { MessageStore } from '../store';
import { newTopicConfig, parseTopicFilterType, type TopicConfigManager } from '../topic/topic-config-manager';
import { checkTopicName, isSystemTopic } from '../topic/topic-validator';

/** MQVersion name and ordinal of the protocol level we speak. */
const BROKER_VERSION_DESC = 'V4_9_8';
const BROKER_VERSION = 409;
const MAX_QUEUE_NUMS = 1024;

export interface AdminBrokerProcessorDeps {
  brokerConfig: BrokerConfig;
  store: MessageStore;
  topicConfigManager: TopicConfigManager;
  logger: BrokerLogger;
  bootTimestamp: number;
}

export class AdminBrokerProcessor implements RequestProcessor {
  constructor(private readonly deps: AdminBrokerProcessorDeps) {}

  processRequest(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.UPDATE_AND_CREATE_TOPIC:
        return this.updateAndCreateTopic(channel, request);
      case RequestCode.GET_ALL_TOPIC_CONFIG:
        return this.getAllTopicConfig(request);
      case RequestCode.GET_BROKER_RUNTIME_INFO:
        return this.getBrokerRuntimeInfo(request);
      case RequestCode.DELETE_TOPIC_IN_BROKER:
        return this.deleteTopic(channel, request);
      default:
        return error(
          request,
          ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
          ` request type ${request.code} not supported`,
        );
    }
  }

  private updateAndCreateTopic(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const header = parseUpdateAndCreateTopicRequestHeader(request.extFields);
    const topic = header.topic;
    const refusal = this.refuseTopic(topic);
    if (refusal) return error(request, ResponseCode.SYSTEM_ERROR, refusal);
    const topicFilterType = parseTopicFilterType(header.topicFilterType);
    if (!topicFilterType) {
      return error(request, ResponseCode.SYSTEM_ERROR, `unknown topicFilterType ${header.topicFilterType}`);
    }
    for (const [field, value] of [
      ['readQueueNums', header.readQueueNums],
      ['writeQueueNums', header.writeQueueNums],
    ] as const) {
      if (value < 0 || value > MAX_QUEUE_NUMS) {
        return error(
          request,
          ResponseCode.SYSTEM_ERROR,
          `${field} must be in [0, ${MAX_QUEUE_NUMS}], got ${value}`,
        );
      }
    }
    const config: TopicConfig = newTopicConfig(topic, {
      readQueueNums: header.readQueueNums,
      writeQueueNums: header.writeQueueNums,
      perm: header.perm,
      topicFilterType,
      topicSysFlag: header.topicSysFlag ?? 0,
      order: header.order,
    });
    this.deps.logger.info('UPDATE_AND_CREATE_TOPIC', { topic, from: channel.id });
    // Storing the config fires the topic-change listener, which re-registers with the NameServers.
    this.deps.topicConfigManager.updateTopicConfig(config);
    return createResponse(request, ResponseCode.SUCCESS);
  }

  private refuseTopic(topic: string): string | undefined {
    const nameProblem = checkTopicName(topic);
    if (nameProblem) return nameProblem;
    if (topic === this.deps.brokerConfig.brokerClusterName) {
      return `the topic[${topic}] is conflict with system reserved words.`;
    }
    if (isSystemTopic(topic)) return `The topic[${topic}] is conflict with system topic.`;
    return undefined;
  }

  private getAllTopicConfig(request: RemotingCommand): RemotingCommand {
    const wrapper = this.deps.topicConfigManager.buildTopicConfigSerializeWrapper();
    return createResponse(request, ResponseCode.SUCCESS, {}, encodeJsonBody(wrapper));
  }

  private getBrokerRuntimeInfo(request: RemotingCommand): RemotingCommand {
    const { store, brokerConfig, bootTimestamp } = this.deps;
    const info = store.getRuntimeInfo();
    const table: Record<string, string> = {
      brokerVersionDesc: BROKER_VERSION_DESC,
      brokerVersion: String(BROKER_VERSION),
      brokerAddr: brokerAddrOf(brokerConfig),
      brokerName: brokerConfig.brokerName,
      clusterName: brokerConfig.brokerClusterName,
      flushDiskType: brokerConfig.flushDiskType,
      bootTimestamp: String(bootTimestamp),
      runtime: formatUptime(Date.now() - bootTimestamp),
      msgPutTotalTodayNow: String(info.putMessageTimesTotal),
      putMessageSizeTotal: String(info.putMessageSizeTotal),
      putMessageFailedTimes: String(info.putMessageFailedTimes),
      commitLogMinOffset: String(info.minPhysicalOffset),
      commitLogMaxOffset: String(info.maxPhysicalOffset),
      commitLogFlushedOffset: String(info.flushedPhysicalOffset),
      dispatchBehindBytes: String(info.dispatchBehindBytes),
      consumeQueueCount: String(info.consumeQueueCount),
      topicCount: String(this.deps.topicConfigManager.topicNames().length),
    };
    return createResponse(request, ResponseCode.SUCCESS, {}, encodeJsonBody({ table }));
  }

  private deleteTopic(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const topic = requireString(request.extFields, 'topic');
    if (isSystemTopic(topic))
      return error(request, ResponseCode.SYSTEM_ERROR, `The topic[${topic}] is a system topic.`);
    this.deps.logger.info('DELETE_TOPIC_IN_BROKER', { topic, from: channel.id });
    this.deps.topicConfigManager.deleteTopicConfig(topic);
    return createResponse(request, ResponseCode.SUCCESS);
  }
}

function error(request: RemotingCommand, code: number, remark: string): RemotingCommand {
  return createResponse(request, code, {}, undefined, remark);
}

function formatUptime(millis: number): string {
  const seconds = Math.floor(millis / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return `[ ${days} days, ${hours} hours, ${minutes} minutes, ${seconds % 60} seconds ]`;
}
