/**
 * Header of UPDATE_AND_CREATE_TOPIC (17), sent by admin tools to a broker, which stores the topic
 * config and re-registers with every NameServer so that clients can route to it.
 */
import { type ExtFields, optionalInt, requireBoolean, requireInt, requireString } from './header-fields';

export type TopicFilterType = 'SINGLE_TAG' | 'MULTI_TAG';

export interface UpdateAndCreateTopicRequestHeader {
  topic: string;
  defaultTopic: string;
  readQueueNums: number;
  writeQueueNums: number;
  /** PermName bits: READ 4, WRITE 2, INHERIT 1 (6 = read and write). */
  perm: number;
  topicFilterType: string;
  order: boolean;
  topicSysFlag?: number;
}

export function parseUpdateAndCreateTopicRequestHeader(ext: ExtFields): UpdateAndCreateTopicRequestHeader {
  return {
    topic: requireString(ext, 'topic'),
    defaultTopic: requireString(ext, 'defaultTopic'),
    readQueueNums: requireInt(ext, 'readQueueNums'),
    writeQueueNums: requireInt(ext, 'writeQueueNums'),
    perm: requireInt(ext, 'perm'),
    topicFilterType: requireString(ext, 'topicFilterType'),
    order: requireBoolean(ext, 'order'),
    topicSysFlag: optionalInt(ext, 'topicSysFlag'),
  };
}
