/**
 * Header of CONSUMER_SEND_MSG_BACK (36).
 *
 * Interview question: "What happens when consumption fails?" — the consumer sends the message back;
 * the broker re-stores it in %RETRY%<group> with a growing delay level, and after maxReconsumeTimes
 * (16 by default) moves it to the dead-letter queue %DLQ%<group>.
 */
import {
  type ExtFields,
  optionalBoolean,
  optionalInt,
  optionalString,
  requireInt,
  requireLong,
  requireString,
} from './header-fields';

export interface ConsumerSendMsgBackRequestHeader {
  /** Physical commit-log offset of the consumed message. */
  offset: number;
  group: string;
  /** 0 lets the broker choose (3 + reconsumeTimes); negative sends straight to the DLQ. */
  delayLevel: number;
  originMsgId?: string;
  originTopic?: string;
  unitMode?: boolean;
  maxReconsumeTimes?: number;
  bname?: string;
}

export function parseConsumerSendMsgBackRequestHeader(ext: ExtFields): ConsumerSendMsgBackRequestHeader {
  return {
    offset: requireLong(ext, 'offset'),
    group: requireString(ext, 'group'),
    delayLevel: requireInt(ext, 'delayLevel'),
    originMsgId: optionalString(ext, 'originMsgId'),
    originTopic: optionalString(ext, 'originTopic'),
    unitMode: optionalBoolean(ext, 'unitMode'),
    maxReconsumeTimes: optionalInt(ext, 'maxReconsumeTimes'),
    bname: optionalString(ext, 'bname'),
  };
}
