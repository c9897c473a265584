/** GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206) / GET_TOPICS_BY_CLUSTER (224) response body. */
export interface TopicList {
  topicList: string[];
  brokerAddr?: string;
}
