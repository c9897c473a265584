/**
 * CONSUMER_SEND_MSG_BACK (36): a consumer gives a message back because consuming it failed
 * (RocketMQ's `SendMessageProcessor.asyncConsumerSendMsgBack`).
 *
 * Interview question: "消费失败的消息如何处理？有死信队列吗？" (What happens to a message whose
 * consumption failed? Is there a dead-letter queue?) — the consumer sends it back by CommitLog
 * offset; the broker stores a copy for the group's retry topic %RETRY%<group> with reconsumeTimes + 1
 * and delay level 3 + reconsumeTimes (10 s, 30 s, 1 m, 2 m, ... 2 h), parked in SCHEDULE_TOPIC_XXXX
 * until then; the consumer, which always subscribes its retry topic, gets it again. After
 * maxReconsumeTimes (16) failures — or when the consumer asks with a negative delay level — the copy
 * goes to the dead-letter queue %DLQ%<group> instead, where nobody consumes it automatically.
 *
 * The copy keeps body, flag, sysFlag, properties (so UNIQ_KEY and KEYS stay searchable), born time
 * and born host; RETRY_TOPIC remembers the original topic (clients restore msg.topic from it) and
 * ORIGIN_MESSAGE_ID the first message's id across all hops.
 */
import {
  type ConsumerSendMsgBackRequestHeader,
  createOffsetMessageId,
  createResponse,
  MessageConst,
  type MessageRecord,
  parseConsumerSendMsgBackRequestHeader,
  type RemotingCommand,
  ResponseCode,
} from '@flashsale/mq/protocol';
import type { BrokerConfig } from '../broker-config';
import type { BrokerLogger } from '../broker-logger';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { RequestProcessor } from '../remoting/request-processor';
import { ensureDeadLetterTopic } from '../retry/dead-letter-queue';
import { maxReconsumeTimesOf } from '../retry/retry-topic.policy';
import type { DelayLevelTable } from '../schedule/delay-level-table';
import { rewriteToScheduleTopic } from '../schedule/schedule-message-rewrite';
import { type MessageStore, PutMessageStatus } from '../store';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager';
import { isWriteable, READ_WRITE } from '../topic/perm-name';
import type { TopicConfigManager } from '../topic/topic-config-manager';
import { retryTopicOf } from '../topic/topic-validator';

/** TopicSysFlag.UNIT_SUB: the retry topic of a unit-mode consumer. */
const TOPIC_SYS_FLAG_UNIT_SUB = 0x2;
/** Retry levels start at 3 (10 s): levels 1 and 2 are too short for a failing dependency to recover. */
const FIRST_RETRY_DELAY_LEVEL = 3;

export interface ConsumerSendMsgBackProcessorDeps {
  brokerConfig: BrokerConfig;
  store: Pick<MessageStore, 'lookMessageByOffset' | 'putMessage'>;
  topicConfigManager: TopicConfigManager;
  subscriptionGroupManager: SubscriptionGroupManager;
  delayLevelTable: DelayLevelTable;
  logger: BrokerLogger;
}

type Target = { topic: string; queueId: number; delayLevel: number };

export class ConsumerSendMsgBackProcessor implements RequestProcessor {
  constructor(private readonly deps: ConsumerSendMsgBackProcessorDeps) {}

  async processRequest(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    const header = parseConsumerSendMsgBackRequestHeader(request.extFields);
    const { brokerConfig, subscriptionGroupManager, store } = this.deps;
    const groupConfig = subscriptionGroupManager.findSubscriptionGroupConfig(header.group);
    if (!groupConfig) {
      return reply(
        request,
        ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
        `subscription group not exist, ${header.group}`,
      );
    }
    if (!isWriteable(brokerConfig.brokerPermission)) {
      return reply(
        request,
        ResponseCode.NO_PERMISSION,
        `the broker[${brokerConfig.brokerIP1}] sending message is forbidden`,
      );
    }
    // A group configured without retry queues drops failed messages.
    if (groupConfig.retryQueueNums <= 0) return reply(request, ResponseCode.SUCCESS);

    const retryTopic = this.deps.topicConfigManager.createTopicInSendMessageBackMethod(
      retryTopicOf(header.group),
      groupConfig.retryQueueNums,
      READ_WRITE,
      header.unitMode ? TOPIC_SYS_FLAG_UNIT_SUB : 0,
    );
    if (!isWriteable(retryTopic.perm)) {
      return reply(
        request,
        ResponseCode.NO_PERMISSION,
        `the topic[${retryTopic.topicName}] sending message is forbidden`,
      );
    }
    const original = store.lookMessageByOffset(header.offset);
    if (!original) {
      return reply(request, ResponseCode.SYSTEM_ERROR, `look message by offset failed, ${header.offset}`);
    }
    const max = maxReconsumeTimesOf(request.version, header.maxReconsumeTimes, groupConfig.retryMaxTimes);
    const target = this.chooseTarget(header, original, max, groupConfig.retryQueueNums);
    if (typeof target === 'string') return reply(request, ResponseCode.NO_PERMISSION, target);

    const message = this.retryMessage(original, target);
    this.deps.logger.debug('message sent back', {
      group: header.group,
      topic: message.topic,
      reconsumeTimes: message.reconsumeTimes,
      from: channel.id,
    });
    const result = await store.putMessage(message);
    if (result.status === PutMessageStatus.PUT_OK) return reply(request, ResponseCode.SUCCESS);
    return reply(request, ResponseCode.SYSTEM_ERROR, result.status);
  }

  /** Retry topic with a delay, or the DLQ (a string is a NO_PERMISSION remark). */
  private chooseTarget(
    header: ConsumerSendMsgBackRequestHeader,
    original: MessageRecord,
    maxReconsumeTimes: number,
    retryQueueNums: number,
  ): Target | string {
    if (original.reconsumeTimes >= maxReconsumeTimes || header.delayLevel < 0) {
      const dlq = ensureDeadLetterTopic(this.deps.topicConfigManager, header.group);
      if (!isWriteable(dlq.perm)) return `the topic[${dlq.topicName}] sending message is forbidden`;
      return { topic: dlq.topicName, queueId: 0, delayLevel: 0 };
    }
    const delayLevel =
      header.delayLevel === 0 ? FIRST_RETRY_DELAY_LEVEL + original.reconsumeTimes : header.delayLevel;
    const queueId = Math.floor(Math.random() * retryQueueNums);
    return { topic: retryTopicOf(header.group), queueId, delayLevel };
  }

  /** The copy to store: same message, one more reconsume, parked in the schedule topic if delayed. */
  private retryMessage(original: MessageRecord, target: Target): MessageRecord {
    const properties = { ...original.properties };
    properties[MessageConst.RETRY_TOPIC] ??= original.topic;
    properties[MessageConst.ORIGIN_MESSAGE_ID] ??=
      properties[MessageConst.UNIQ_KEY] ??
      createOffsetMessageId(original.storeHost, original.commitLogOffset);
    properties[MessageConst.WAIT] = 'false';
    delete properties[MessageConst.DELAY];
    if (target.delayLevel > 0) properties[MessageConst.DELAY] = String(target.delayLevel);
    const message: MessageRecord = {
      topic: target.topic,
      queueId: target.queueId,
      flag: original.flag,
      body: Buffer.from(original.body),
      properties,
      sysFlag: original.sysFlag,
      bornTimestamp: original.bornTimestamp,
      bornHost: original.bornHost,
      storeTimestamp: 0,
      storeHost: original.storeHost,
      reconsumeTimes: original.reconsumeTimes + 1,
      preparedTransactionOffset: 0,
      queueOffset: 0,
      commitLogOffset: 0,
    };
    rewriteToScheduleTopic(message, this.deps.delayLevelTable);
    return message;
  }
}

function reply(request: RemotingCommand, code: number, remark?: string): RemotingCommand {
  return createResponse(request, code, {}, undefined, remark);
}
