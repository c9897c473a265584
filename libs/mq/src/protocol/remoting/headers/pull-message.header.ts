/**
 * Headers of PULL_MESSAGE (11).
 *
 * Interview question: "Push or pull?" — RocketMQ's push consumer is a pull loop: it sends this request
 * with the SUSPEND flag and a suspend timeout, and the broker holds it (long polling) until messages
 * arrive or the timeout passes.
 */
import { type ExtFields, optionalString, requireInt, requireLong, requireString } from './header-fields';

/** `PullSysFlag` bits of PullMessageRequestHeader.sysFlag. */
export const PullSysFlag = {
  /** Persist `commitOffset` for this group/queue. */
  COMMIT_OFFSET: 0x1,
  /** Long polling allowed: park the request when there is nothing new. */
  SUSPEND: 0x2,
  /** Use this request's `subscription` instead of the heartbeat-registered one. */
  SUBSCRIPTION: 0x4,
  CLASS_FILTER: 0x8,
  LITE_PULL: 0x10,
} as const;

export interface PullMessageRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  /** Logical offset (consume-queue index) to read from. */
  queueOffset: number;
  maxMsgNums: number;
  sysFlag: number;
  commitOffset: number;
  suspendTimeoutMillis: number;
  subscription?: string;
  subVersion: number;
  /** TAG (default) or SQL92. */
  expressionType?: string;
  bname?: string;
}

export function parsePullMessageRequestHeader(ext: ExtFields): PullMessageRequestHeader {
  return {
    consumerGroup: requireString(ext, 'consumerGroup'),
    topic: requireString(ext, 'topic'),
    queueId: requireInt(ext, 'queueId'),
    queueOffset: requireLong(ext, 'queueOffset'),
    maxMsgNums: requireInt(ext, 'maxMsgNums'),
    sysFlag: requireInt(ext, 'sysFlag'),
    commitOffset: requireLong(ext, 'commitOffset'),
    suspendTimeoutMillis: requireLong(ext, 'suspendTimeoutMillis'),
    subscription: optionalString(ext, 'subscription'),
    subVersion: requireLong(ext, 'subVersion'),
    expressionType: optionalString(ext, 'expressionType'),
    bname: optionalString(ext, 'bname'),
  };
}

/** All four fields are sent on every pull answer, including PULL_NOT_FOUND and PULL_OFFSET_MOVED. */
export interface PullMessageResponseHeader {
  /** 0 = keep reading from the master; a slave id when the master is lagging behind on disk. */
  suggestWhichBrokerId: number;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
}

export function parsePullMessageResponseHeader(ext: ExtFields): PullMessageResponseHeader {
  return {
    suggestWhichBrokerId: requireLong(ext, 'suggestWhichBrokerId'),
    nextBeginOffset: requireLong(ext, 'nextBeginOffset'),
    minOffset: requireLong(ext, 'minOffset'),
    maxOffset: requireLong(ext, 'maxOffset'),
  };
}
