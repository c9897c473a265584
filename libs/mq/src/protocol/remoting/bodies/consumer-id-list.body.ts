/** GET_CONSUMER_LIST_BY_GROUP (38) response body: the client ids of a group's live consumers. */
export interface ConsumerIdList {
  consumerIdList: string[];
}
