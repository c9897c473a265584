/**
 * REGISTER_BROKER (103) request body: the broker's topic configs with a data version, so that the
 * NameServer only rebuilds routes when something changed.
 */
import { type TopicFilterType } from '../headers/topic.header';

export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: TopicFilterType;
  topicSysFlag: number;
  order: boolean;
}

export interface DataVersion {
  timestamp: number;
  counter: number;
}

export interface TopicConfigSerializeWrapper {
  topicConfigTable: Record<string, TopicConfig>;
  dataVersion: DataVersion;
}

export interface RegisterBrokerBody {
  topicConfigSerializeWrapper: TopicConfigSerializeWrapper;
  filterServerList: string[];
}
