/**
 * msgCheck: the gate every send passes before anything is stored (RocketMQ's
 * `AbstractSendMessageProcessor.msgCheck`) — broker and topic writable, topic name legal and not
 * reserved, topic known (or auto-created from TBW102), queue id in range.
 *
 * Interview question: "Why did my producer get TOPIC_NOT_EXIST although autoCreateTopicEnable is
 * off only on one broker?" — auto-creation happens on the broker that receives the first send, from
 * the template topic it has; a broker without TBW102 can only answer 17, and the producer then
 * retries another broker.
 */
import { ResponseCode, type SendMessageRequestHeader, type TopicConfig } from '@flashsale/mq/protocol';
import type { BrokerConfig } from '../broker-config';
import { READ_WRITE, isWriteable } from '../topic/perm-name';
import type { TopicConfigManager } from '../topic/topic-config-manager';
import {
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  checkTopicName,
  isNotAllowedSendTopic,
  isRetryTopic,
} from '../topic/topic-validator';

export interface MsgCheckFailure {
  code: number;
  remark: string;
}

export type MsgCheckResult = { ok: true; topicConfig: TopicConfig } | ({ ok: false } & MsgCheckFailure);

function fail(code: number, remark: string): MsgCheckResult {
  return { ok: false, code, remark };
}

export function msgCheck(
  header: SendMessageRequestHeader,
  brokerConfig: BrokerConfig,
  topics: TopicConfigManager,
): MsgCheckResult {
  const topic = header.topic;
  if (!isWriteable(brokerConfig.brokerPermission)) {
    return fail(
      ResponseCode.NO_PERMISSION,
      `the broker[${brokerConfig.brokerIP1}] sending message is forbidden`,
    );
  }
  const nameProblem = checkTopicName(topic);
  if (nameProblem) return fail(ResponseCode.SYSTEM_ERROR, nameProblem);
  if (topic === AUTO_CREATE_TOPIC_KEY_TOPIC || topic === brokerConfig.brokerClusterName) {
    return fail(ResponseCode.SYSTEM_ERROR, `the topic[${topic}] is conflict with system reserved words.`);
  }
  if (isNotAllowedSendTopic(topic)) {
    return fail(ResponseCode.NO_PERMISSION, `Sending message to topic[${topic}] is forbidden.`);
  }

  const topicConfig = topics.selectTopicConfig(topic) ?? autoCreate(header, topics);
  if (!topicConfig) {
    return fail(ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist, apply first please!`);
  }
  if (!isWriteable(topicConfig.perm)) {
    return fail(ResponseCode.NO_PERMISSION, `the topic[${topic}] sending message is forbidden`);
  }
  const queueLimit = Math.max(topicConfig.writeQueueNums, topicConfig.readQueueNums);
  if (header.queueId >= queueLimit) {
    return fail(
      ResponseCode.SYSTEM_ERROR,
      `request queueId[${header.queueId}] is illegal, topic[${topic}] has ${queueLimit} queues. Producer: ${header.producerGroup}`,
    );
  }
  return { ok: true, topicConfig };
}

function autoCreate(header: SendMessageRequestHeader, topics: TopicConfigManager): TopicConfig | undefined {
  const created = topics.createTopicInSendMessageMethod(
    header.topic,
    header.defaultTopic,
    header.defaultTopicQueueNums,
    0,
  );
  if (created || !isRetryTopic(header.topic)) return created;
  return topics.createTopicInSendMessageBackMethod(header.topic, 1, READ_WRITE, 0);
}
