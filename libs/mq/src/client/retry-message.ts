/**
 * The copy of a failed message that a consumer publishes to %RETRY%<group> itself, when the broker's
 * CONSUMER_SEND_MSG_BACK could not take it (concurrent consumer) or when an orderly consumer gives up
 * on it (Java `sendMessageBack` fallback and `ConsumeMessageOrderlyService.sendMessageBack`).
 *
 * Interview question: "消费失败的消息如何处理？有死信队列吗？" (What happens to messages whose
 * consumption fails? Is there a dead-letter queue?) — they come back through %RETRY%<group> with
 * growing delays, and once RECONSUME_TIME reaches MAX_RECONSUME_TIMES the broker puts them in
 * %DLQ%<group> instead. The copy carries what the broker needs for that decision (RECONSUME_TIME and
 * MAX_RECONSUME_TIMES, which the producer moves into the request header) and what a human needs later
 * (RETRY_TOPIC = where it came from, ORIGIN_MESSAGE_ID = its first msgId).
 */
import { MessageConst } from '../protocol';
import { type Message, type MessageExt } from './message';
import { retryTopicOf } from './subscription';

export const MAX_DELAY_LEVEL = 18;
/** The first retry delay level (10 s); the n-th retry uses 3 + n, as the broker does. */
export const RETRY_BASE_DELAY_LEVEL = 3;

export interface RetryMessageOptions {
  consumerGroup: string;
  /** RECONSUME_TIME of the copy. */
  reconsumeTimes: number;
  maxReconsumeTimes: number;
  delayLevel: number;
}

export function buildRetryMessage(message: MessageExt, options: RetryMessageOptions): Message {
  const properties: Record<string, string> = { ...message.properties };
  properties[MessageConst.RETRY_TOPIC] = message.topic;
  properties[MessageConst.ORIGIN_MESSAGE_ID] =
    message.properties[MessageConst.ORIGIN_MESSAGE_ID] || message.msgId;
  properties[MessageConst.RECONSUME_TIME] = String(options.reconsumeTimes);
  properties[MessageConst.MAX_RECONSUME_TIMES] = String(options.maxReconsumeTimes);
  delete properties[MessageConst.TRAN_MSG];
  delete properties[MessageConst.DELAY];
  return {
    topic: retryTopicOf(options.consumerGroup),
    body: message.body,
    flag: message.flag,
    properties,
    delayTimeLevel: Math.min(Math.max(options.delayLevel, 0), MAX_DELAY_LEVEL),
  };
}
