/**
 * Every request the client library sends, one typed method each (`MQClientAPIImpl` in Java): it builds
 * the header, picks the request code, and turns the response into a value or an MQBrokerError.
 * The README's request-code table is this file.
 *
 * Interview question: "What does a RocketMQ client actually say to the broker?" — about fifteen request
 * codes: route lookups to a NameServer; send, pull, offsets, heartbeat, consumer list and message
 * lookups to brokers. Everything else (producer, consumer, admin) is built from these.
 */
import {
  type ClusterInfo,
  type ConsumerIdList,
  type ConsumerSendMsgBackRequestHeader,
  type EndTransactionRequestHeader,
  type HeartbeatData,
  type LockBatchRequestBody,
  type LockBatchResponseBody,
  type MessageQueue,
  type MessageRecord,
  type PullMessageRequestHeader,
  type PullMessageResponseHeader,
  type RemotingCommand,
  type TopicRouteData,
  type UpdateAndCreateTopicRequestHeader,
} from '../protocol';
// Hot-path values come straight from their modules: through the '../protocol' barrel every use is a
// chain of CommonJS getters (see apps/broker/src/store/protocol.ts).
import { decodeStoredMessages } from '../protocol/message/stored-message-codec';
import { toExtFields } from '../protocol/remoting/headers/header-fields';
import { parsePullMessageResponseHeader } from '../protocol/remoting/headers/pull-message.header';
import { parseQueueOffsetResponseHeader } from '../protocol/remoting/headers/queue-offset.header';
import { decodeJsonBody, encodeJsonBody } from '../protocol/remoting/json-body';
import { createRequest } from '../protocol/remoting/remoting-command';
import { RequestCode } from '../protocol/remoting/request-code';
import { ResponseCode } from '../protocol/remoting/response-code';
import { MQBrokerError } from './client-errors';
import { type RemotingClient } from './remoting-client';

export const DEFAULT_API_TIMEOUT_MILLIS = 3000;

export interface PullResult {
  /** SUCCESS (0), PULL_NOT_FOUND (19), PULL_RETRY_IMMEDIATELY (20) or PULL_OFFSET_MOVED (21). */
  code: number;
  header: PullMessageResponseHeader;
  /** Raw stored records (SUCCESS only). */
  body: Buffer | undefined;
}

const PULL_CODES: ReadonlySet<number> = new Set([
  ResponseCode.SUCCESS,
  ResponseCode.PULL_NOT_FOUND,
  ResponseCode.PULL_RETRY_IMMEDIATELY,
  ResponseCode.PULL_OFFSET_MOVED,
]);

export class MQClientAPI {
  constructor(
    readonly remoting: RemotingClient,
    private readonly timeoutMillis = DEFAULT_API_TIMEOUT_MILLIS,
  ) {}

  // --- NameServer -----------------------------------------------------------------------------------

  /** GET_ROUTEINFO_BY_TOPIC (105); undefined when the NameServer knows no such topic. */
  async getTopicRouteInfo(namesrvAddr: string, topic: string): Promise<TopicRouteData | undefined> {
    // acceptStandardJsonOnly asks 4.9.4+ NameServers for quoted keys; older ones ignore it, and the
    // lenient parser reads their fastjson dialect anyway.
    const request = createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, {
      topic,
      acceptStandardJsonOnly: 'true',
    });
    const response = await this.remoting.invoke(namesrvAddr, request, this.timeoutMillis);
    if (response.code === ResponseCode.TOPIC_NOT_EXIST) return undefined;
    expectSuccess(response, namesrvAddr);
    return decodeJsonBody<TopicRouteData>(response.body);
  }

  /** GET_BROKER_CLUSTER_INFO (106). */
  async getBrokerClusterInfo(namesrvAddr: string): Promise<ClusterInfo> {
    const request = createRequest(RequestCode.GET_BROKER_CLUSTER_INFO);
    const response = await this.remoting.invoke(namesrvAddr, request, this.timeoutMillis);
    expectSuccess(response, namesrvAddr);
    return decodeJsonBody<ClusterInfo>(response.body);
  }

  // --- producing -------------------------------------------------------------------------------------

  /** SEND_MESSAGE_V2 (310) / SEND_BATCH_MESSAGE (320); the caller interprets the response code. */
  send(addr: string, code: number, ext: Record<string, string>, body: Buffer, timeoutMillis: number) {
    return this.remoting.invoke(addr, createRequest(code, ext, body), timeoutMillis);
  }

  sendOneway(addr: string, code: number, ext: Record<string, string>, body: Buffer): Promise<void> {
    return this.remoting.invokeOneway(addr, createRequest(code, ext, body));
  }

  // --- consuming -------------------------------------------------------------------------------------

  /** PULL_MESSAGE (11); other codes than 0/19/20/21 reject with MQBrokerError. */
  async pullMessage(
    addr: string,
    header: PullMessageRequestHeader,
    timeoutMillis: number,
  ): Promise<PullResult> {
    const response = await this.remoting.invoke(
      addr,
      createRequest(RequestCode.PULL_MESSAGE, toExtFields(header)),
      timeoutMillis,
    );
    if (!PULL_CODES.has(response.code)) throw MQBrokerError.of(response, addr);
    return {
      code: response.code,
      header: parsePullMessageResponseHeader(response.extFields),
      body: response.body,
    };
  }

  /** QUERY_CONSUMER_OFFSET (14); -1 when the broker has no offset for the group (QUERY_NOT_FOUND). */
  async queryConsumerOffset(
    addr: string,
    consumerGroup: string,
    topic: string,
    queueId: number,
  ): Promise<number> {
    const request = createRequest(RequestCode.QUERY_CONSUMER_OFFSET, {
      consumerGroup,
      topic,
      queueId: String(queueId),
    });
    const response = await this.remoting.invoke(addr, request, this.timeoutMillis);
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return -1;
    expectSuccess(response, addr);
    return parseQueueOffsetResponseHeader(response.extFields).offset;
  }

  /**
   * UPDATE_CONSUMER_OFFSET (15). Java sends it oneway; we wait for the answer so that a shutdown or a
   * rebalance knows the offset is on the broker before the next owner reads it.
   */
  async updateConsumerOffset(
    addr: string,
    consumerGroup: string,
    topic: string,
    queueId: number,
    commitOffset: number,
  ): Promise<void> {
    const request = createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup,
      topic,
      queueId: String(queueId),
      commitOffset: String(commitOffset),
    });
    expectSuccess(await this.remoting.invoke(addr, request, this.timeoutMillis), addr);
  }

  /** GET_MAX_OFFSET (30): the queue's next logical offset. */
  getMaxOffset(addr: string, topic: string, queueId: number): Promise<number> {
    return this.queueOffset(addr, RequestCode.GET_MAX_OFFSET, { topic, queueId: String(queueId) });
  }

  /** GET_MIN_OFFSET (31): the first logical offset still stored. */
  getMinOffset(addr: string, topic: string, queueId: number): Promise<number> {
    return this.queueOffset(addr, RequestCode.GET_MIN_OFFSET, { topic, queueId: String(queueId) });
  }

  /** SEARCH_OFFSET_BY_TIMESTAMP (29). */
  searchOffset(addr: string, topic: string, queueId: number, timestamp: number): Promise<number> {
    const ext = { topic, queueId: String(queueId), timestamp: String(timestamp) };
    return this.queueOffset(addr, RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, ext);
  }

  /** HEART_BEAT (34): who we are and our groups and subscriptions. */
  async heartbeat(addr: string, data: HeartbeatData): Promise<void> {
    const request = createRequest(RequestCode.HEART_BEAT, {}, encodeJsonBody(data));
    expectSuccess(await this.remoting.invoke(addr, request, this.timeoutMillis), addr);
  }

  /** UNREGISTER_CLIENT (35): leave a producer or consumer group now instead of after 120 s of silence. */
  async unregisterClient(
    addr: string,
    clientID: string,
    group: { producerGroup?: string; consumerGroup?: string },
  ): Promise<void> {
    const request = createRequest(RequestCode.UNREGISTER_CLIENT, toExtFields({ clientID, ...group }));
    expectSuccess(await this.remoting.invoke(addr, request, this.timeoutMillis), addr);
  }

  /** GET_CONSUMER_LIST_BY_GROUP (38): client ids of the group's live consumers (empty when none). */
  async getConsumerIdList(addr: string, consumerGroup: string): Promise<string[]> {
    const request = createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup });
    const response = await this.remoting.invoke(addr, request, this.timeoutMillis);
    // The broker answers SYSTEM_ERROR "no consumer for this group" rather than an empty list.
    if (response.code === ResponseCode.SYSTEM_ERROR && response.remark?.startsWith('no consumer')) return [];
    expectSuccess(response, addr);
    return decodeJsonBody<ConsumerIdList>(response.body).consumerIdList ?? [];
  }

  /** CONSUMER_SEND_MSG_BACK (36): hand a failed message to the broker's retry topic. */
  async consumerSendMessageBack(addr: string, header: ConsumerSendMsgBackRequestHeader): Promise<void> {
    const request = createRequest(RequestCode.CONSUMER_SEND_MSG_BACK, toExtFields(header));
    expectSuccess(await this.remoting.invoke(addr, request, this.timeoutMillis), addr);
  }

  /**
   * LOCK_BATCH_MQ (41): ask the broker to lock these queues for `clientId` (orderly consumption).
   * Resolves with the queues the broker granted: free, expired, or already ours.
   */
  async lockBatchMQ(addr: string, body: LockBatchRequestBody, timeoutMillis = 1000): Promise<MessageQueue[]> {
    const request = createRequest(RequestCode.LOCK_BATCH_MQ, {}, encodeJsonBody(body));
    const response = await this.remoting.invoke(addr, request, timeoutMillis);
    expectSuccess(response, addr);
    if (response.body === undefined) return [];
    return decodeJsonBody<LockBatchResponseBody>(response.body).lockOKMQSet ?? [];
  }

  /** UNLOCK_BATCH_MQ (42): give queue locks back (oneway, as Java does at rebalance and shutdown). */
  unlockBatchMQOneway(addr: string, body: LockBatchRequestBody): Promise<void> {
    return this.remoting.invokeOneway(
      addr,
      createRequest(RequestCode.UNLOCK_BATCH_MQ, {}, encodeJsonBody(body)),
    );
  }

  /** UNLOCK_BATCH_MQ (42) waiting for the answer, so a shutdown knows the locks are gone. */
  async unlockBatchMQ(addr: string, body: LockBatchRequestBody): Promise<void> {
    const request = createRequest(RequestCode.UNLOCK_BATCH_MQ, {}, encodeJsonBody(body));
    expectSuccess(await this.remoting.invoke(addr, request, this.timeoutMillis), addr);
  }

  // --- transactions ----------------------------------------------------------------------------------

  /**
   * END_TRANSACTION (37), oneway as in Java: commit (8), roll back (12) or "unknown" (0) a half message.
   * Oneway because the broker's check-back repairs a lost answer; `remark` carries the text of a local
   * transaction's exception, for the broker's log.
   */
  endTransactionOneway(addr: string, header: EndTransactionRequestHeader, remark?: string): Promise<void> {
    const request = createRequest(RequestCode.END_TRANSACTION, toExtFields(header));
    if (remark !== undefined) request.remark = remark;
    return this.remoting.invokeOneway(addr, request);
  }

  // --- admin and lookups -----------------------------------------------------------------------------

  /** UPDATE_AND_CREATE_TOPIC (17), to one broker. */
  async updateAndCreateTopic(addr: string, header: UpdateAndCreateTopicRequestHeader): Promise<void> {
    const request = createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, toExtFields(header));
    expectSuccess(await this.remoting.invoke(addr, request, this.timeoutMillis), addr);
  }

  /** VIEW_MESSAGE_BY_ID (33): the record at a commit-log offset of that broker. */
  async viewMessage(addr: string, commitLogOffset: number): Promise<MessageRecord> {
    const request = createRequest(RequestCode.VIEW_MESSAGE_BY_ID, { offset: String(commitLogOffset) });
    const response = await this.remoting.invoke(addr, request, this.timeoutMillis);
    expectSuccess(response, addr);
    const [record] = decodeStoredMessages(response.body ?? Buffer.alloc(0));
    if (record === undefined) throw new MQBrokerError(ResponseCode.SYSTEM_ERROR, 'empty message body', addr);
    return record;
  }

  /** QUERY_MESSAGE (12) by key or unique id through the broker's IndexFile; [] when nothing matches. */
  async queryMessage(
    addr: string,
    query: { topic: string; key: string; maxNum: number; beginTimestamp: number; endTimestamp: number },
    uniqueKey: boolean,
  ): Promise<MessageRecord[]> {
    const ext = { ...toExtFields(query), _UNIQUE_KEY_QUERY: String(uniqueKey) };
    const response = await this.remoting.invoke(
      addr,
      createRequest(RequestCode.QUERY_MESSAGE, ext),
      this.timeoutMillis,
    );
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return [];
    expectSuccess(response, addr);
    return response.body === undefined ? [] : decodeStoredMessages(response.body);
  }

  private async queueOffset(addr: string, code: number, ext: Record<string, string>): Promise<number> {
    const response = await this.remoting.invoke(addr, createRequest(code, ext), this.timeoutMillis);
    expectSuccess(response, addr);
    return parseQueueOffsetResponseHeader(response.extFields).offset;
  }
}

export function expectSuccess(response: RemotingCommand, addr: string): void {
  if (response.code !== ResponseCode.SUCCESS) throw MQBrokerError.of(response, addr);
}
