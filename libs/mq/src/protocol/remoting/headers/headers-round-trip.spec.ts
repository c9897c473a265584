import { type ExtFields, HeaderFieldError, toExtFields } from './header-fields';
import * as headers from './index';

type Parser = (ext: ExtFields) => object;

/** Each header written the way a peer would send it, and the parser that must read it back unchanged. */
const cases: Array<[string, Parser, object]> = [
  [
    'PullMessageRequestHeader',
    headers.parsePullMessageRequestHeader,
    {
      consumerGroup: 'g',
      topic: 't',
      queueId: 1,
      queueOffset: 100,
      maxMsgNums: 32,
      sysFlag: headers.PullSysFlag.SUSPEND | headers.PullSysFlag.COMMIT_OFFSET,
      commitOffset: 99,
      suspendTimeoutMillis: 15000,
      subscription: 'TagA || TagB',
      subVersion: 1700000000000,
      expressionType: 'TAG',
      bname: undefined,
    },
  ],
  [
    'PullMessageResponseHeader',
    headers.parsePullMessageResponseHeader,
    { suggestWhichBrokerId: 0, nextBeginOffset: 10, minOffset: 0, maxOffset: 10 },
  ],
  [
    'QueryConsumerOffset',
    headers.parseQueryConsumerOffsetRequestHeader,
    { consumerGroup: 'g', topic: 't', queueId: 3 },
  ],
  ['QueryConsumerOffset response', headers.parseQueryConsumerOffsetResponseHeader, { offset: -1 }],
  [
    'UpdateConsumerOffset',
    headers.parseUpdateConsumerOffsetRequestHeader,
    { consumerGroup: 'g', topic: 't', queueId: 3, commitOffset: 42 },
  ],
  ['GetMaxOffset', headers.parseGetMaxOffsetRequestHeader, { topic: 't', queueId: 0, committed: true }],
  ['GetMinOffset', headers.parseQueueRequestHeader, { topic: 't', queueId: 0 }],
  [
    'SearchOffset',
    headers.parseSearchOffsetByTimestampRequestHeader,
    { topic: 't', queueId: 0, timestamp: 1 },
  ],
  ['queue offset response', headers.parseQueueOffsetResponseHeader, { offset: 7 }],
  ['earliest store time response', headers.parseGetEarliestMsgStoretimeResponseHeader, { timestamp: 5 }],
  ['ViewMessageById', headers.parseViewMessageByIdRequestHeader, { offset: 123456 }],
  [
    'QueryMessage',
    headers.parseQueryMessageRequestHeader,
    { topic: 't', key: 'k', maxNum: 32, beginTimestamp: 0, endTimestamp: 9, _UNIQUE_KEY_QUERY: true },
  ],
  [
    'QueryMessage response',
    headers.parseQueryMessageResponseHeader,
    { indexLastUpdateTimestamp: 5, indexLastUpdatePhyoffset: 6 },
  ],
  [
    'ConsumerSendMsgBack',
    headers.parseConsumerSendMsgBackRequestHeader,
    {
      offset: 4096,
      group: 'g',
      delayLevel: 0,
      originMsgId: 'ID',
      originTopic: 't',
      unitMode: false,
      maxReconsumeTimes: 16,
      bname: undefined,
    },
  ],
  [
    'EndTransaction',
    headers.parseEndTransactionRequestHeader,
    {
      producerGroup: 'pg',
      tranStateTableOffset: 3,
      commitLogOffset: 8192,
      commitOrRollback: headers.TransactionCommitType.COMMIT,
      fromTransactionCheck: true,
      msgId: 'UNIQ',
      transactionId: 'UNIQ',
      bname: undefined,
    },
  ],
  [
    'CheckTransactionState',
    headers.parseCheckTransactionStateRequestHeader,
    {
      tranStateTableOffset: 3,
      commitLogOffset: 8192,
      msgId: 'U',
      transactionId: 'U',
      offsetMsgId: 'O',
      bname: 'b',
    },
  ],
  [
    'UnregisterClient',
    headers.parseUnregisterClientRequestHeader,
    { clientID: '10.0.0.1@1', producerGroup: 'pg', consumerGroup: undefined },
  ],
  ['GetConsumerListByGroup', headers.parseGetConsumerListByGroupRequestHeader, { consumerGroup: 'g' }],
  ['NotifyConsumerIdsChanged', headers.parseNotifyConsumerIdsChangedRequestHeader, { consumerGroup: 'g' }],
  [
    'RegisterBroker',
    headers.parseRegisterBrokerRequestHeader,
    {
      brokerName: 'broker-a',
      brokerAddr: '10.0.0.1:10911',
      clusterName: 'DefaultCluster',
      haServerAddr: '10.0.0.1:10912',
      brokerId: 0,
      compressed: false,
      bodyCrc32: 12345,
    },
  ],
  [
    'RegisterBroker response',
    headers.parseRegisterBrokerResponseHeader,
    { haServerAddr: '10.0.0.1:10912', masterAddr: '10.0.0.1:10911' },
  ],
  [
    'UnregisterBroker',
    headers.parseUnregisterBrokerRequestHeader,
    { brokerName: 'b', brokerAddr: 'a:1', clusterName: 'c', brokerId: 1 },
  ],
  ['GetRouteInfo', headers.parseGetRouteInfoRequestHeader, { topic: 't', acceptStandardJsonOnly: true }],
  [
    'UpdateAndCreateTopic',
    headers.parseUpdateAndCreateTopicRequestHeader,
    {
      topic: 't',
      defaultTopic: 'TBW102',
      readQueueNums: 8,
      writeQueueNums: 8,
      perm: 6,
      topicFilterType: 'SINGLE_TAG',
      order: false,
      topicSysFlag: undefined,
    },
  ],
];

describe('typed headers', () => {
  it.each(cases)('%s survives toExtFields and its parser', (_name, parse, header) => {
    expect(parse(toExtFields(header))).toEqual(header);
  });

  it.each(cases)('%s names the field when a required one is missing', (_name, parse, header) => {
    const missingReported: string[] = [];
    for (const key of Object.keys(toExtFields(header))) {
      const ext = toExtFields(header);
      delete ext[key];
      try {
        parse(ext);
      } catch (error) {
        expect(error).toBeInstanceOf(HeaderFieldError);
        expect((error as HeaderFieldError).field).toBe(key);
        missingReported.push(key);
      }
    }
    const allOptional = parse === headers.parseRegisterBrokerResponseHeader;
    expect(missingReported.length > 0).toBe(!allOptional);
  });
});
