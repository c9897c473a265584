/**
 * Small request helpers for broker tests, over a real RemotingConnection: create a topic, wait for a
 * route to appear in a NameServer, send a heartbeat, send one message with the V1/V2 header.
 */
import {
  type HeartbeatData,
  type RemotingCommand,
  RemotingConnection,
  RequestCode,
  ResponseCode,
  type SendMessageRequestHeader,
  type TopicRouteData,
  createRequest,
  decodeJsonBody,
  encodeJsonBody,
  encodeProperties,
  sendMessageHeaderToV1,
  sendMessageHeaderToV2,
  toExtFields,
} from '@flashsale/mq/protocol';

export const TIMEOUT = 5000;

export async function withConnection<T>(
  addr: string,
  use: (c: RemotingConnection) => Promise<T>,
): Promise<T> {
  const connection = await RemotingConnection.connect(addr);
  try {
    return await use(connection);
  } finally {
    connection.close();
  }
}

export function createTopic(
  connection: RemotingConnection,
  topic: string,
  queueNums: number,
): Promise<RemotingCommand> {
  const ext = toExtFields({
    topic,
    defaultTopic: 'TBW102',
    readQueueNums: queueNums,
    writeQueueNums: queueNums,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
  });
  return connection.invoke(createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, ext), TIMEOUT);
}

export async function getRoute(namesrvAddr: string, topic: string): Promise<TopicRouteData | undefined> {
  return withConnection(namesrvAddr, async (connection) => {
    const response = await connection.invoke(
      createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }),
      TIMEOUT,
    );
    if (response.code !== ResponseCode.SUCCESS) return undefined;
    return decodeJsonBody<TopicRouteData>(response.body);
  });
}

export async function waitForRoute(
  namesrvAddr: string,
  topic: string,
  accept: (route: TopicRouteData) => boolean = () => true,
  timeoutMillis = 10_000,
): Promise<TopicRouteData> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const route = await getRoute(namesrvAddr, topic);
    if (route && accept(route)) return route;
    if (Date.now() > deadline)
      throw new Error(`no route for ${topic} in ${namesrvAddr} after ${timeoutMillis} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function heartbeat(connection: RemotingConnection, data: HeartbeatData): Promise<RemotingCommand> {
  return connection.invoke(createRequest(RequestCode.HEART_BEAT, {}, encodeJsonBody(data)), TIMEOUT);
}

export function consumerHeartbeat(
  clientID: string,
  group: string,
  topic: string,
  subString = '*',
): HeartbeatData {
  return {
    clientID,
    producerDataSet: [],
    consumerDataSet: [
      {
        groupName: group,
        consumeType: 'CONSUME_PASSIVELY',
        messageModel: 'CLUSTERING',
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        unitMode: false,
        subscriptionDataSet: [
          { classFilterMode: false, topic, subString, tagsSet: [], codeSet: [], subVersion: Date.now() },
        ],
      },
    ],
  };
}

export function sendHeader(
  topic: string,
  overrides: Partial<SendMessageRequestHeader> = {},
): SendMessageRequestHeader {
  return {
    producerGroup: 'test-producer',
    topic,
    defaultTopic: 'TBW102',
    defaultTopicQueueNums: 4,
    queueId: 0,
    sysFlag: 0,
    bornTimestamp: Date.now(),
    flag: 0,
    properties: encodeProperties({ TAGS: 'TagA', WAIT: 'true' }),
    reconsumeTimes: 0,
    unitMode: false,
    ...overrides,
  };
}

export function sendMessage(
  connection: RemotingConnection,
  header: SendMessageRequestHeader,
  body: Buffer,
  code: number = RequestCode.SEND_MESSAGE_V2,
): Promise<RemotingCommand> {
  const ext =
    code === RequestCode.SEND_MESSAGE ? sendMessageHeaderToV1(header) : sendMessageHeaderToV2(header);
  return connection.invoke(createRequest(code, ext, body), TIMEOUT);
}
