/**
 * The send-back fallbacks of §7.2, which a healthy broker never exercises: the broker refuses
 * CONSUMER_SEND_MSG_BACK → the client publishes the copy to %RETRY% itself; that fails too → the
 * message is consumed again locally, with reconsumeTimes + 1. The broker and the producer are the
 * collaborators faked here; the service under test is real.
 */
import { MessageConst } from '../protocol';
import { MQBrokerError } from './client-errors';
import { silentClientLogger } from './client-logger';
import {
  ConsumeMessageConcurrentlyService,
  type ConsumeServiceOptions,
} from './consume-message-concurrently.service';
import { type Message, type MessageExt, type SendResult } from './message';
import { type MQClientInstance } from './mq-client-instance';
import { type OffsetStore } from './offset-store';
import { ProcessQueue } from './process-queue';

const mq = { topic: 'Orders', brokerName: 'broker-a', queueId: 0 };

function consumed(queueOffset: number, reconsumeTimes = 0): MessageExt {
  return {
    topic: 'Orders',
    queueId: 0,
    flag: 0,
    body: Buffer.from('pay order 9'),
    properties: { [MessageConst.UNIQ_KEY]: 'ID9', [MessageConst.KEYS]: 'order-9', note: 'n' },
    sysFlag: 0,
    bornTimestamp: 0,
    bornHost: { host: '127.0.0.1', port: 1 },
    storeTimestamp: 0,
    storeHost: { host: '127.0.0.1', port: 2 },
    reconsumeTimes,
    preparedTransactionOffset: 0,
    queueOffset,
    commitLogOffset: 1000 + queueOffset,
    tags: undefined,
    keys: ['order-9'],
    msgId: 'ID9',
    offsetMsgId: 'OFF',
    brokerName: 'broker-a',
  };
}

function harness(overrides: Partial<ConsumeServiceOptions> & { sendBackFails?: boolean }) {
  const committed: number[] = [];
  const sendBacks: unknown[] = [];
  const instance = {
    findBrokerAddr: async () => '127.0.0.1:10911',
    api: {
      consumerSendMessageBack: async (_addr: string, header: unknown) => {
        sendBacks.push(header);
        if (overrides.sendBackFails) throw new MQBrokerError(1, 'store failed', '127.0.0.1:10911');
      },
    },
  } as unknown as MQClientInstance;
  const offsetStore = {
    updateOffset: (_mq: unknown, offset: number) => committed.push(offset),
  } as unknown as OffsetStore;
  const service = new ConsumeMessageConcurrentlyService({
    group: 'billing',
    messageModel: 'CLUSTERING',
    listener: () => 'RECONSUME_LATER',
    consumeConcurrency: 1,
    consumeMessageBatchMaxSize: 1,
    maxReconsumeTimes: 16,
    offsetStore,
    instance,
    logger: silentClientLogger,
    localReconsumeDelayMillis: 20,
    ...overrides,
  });
  return { service, committed, sendBacks };
}

describe('ConsumeMessageConcurrentlyService retry policy', () => {
  it('sends a failed message back with maxReconsumeTimes and commits past it', async () => {
    const { service, committed, sendBacks } = harness({ maxReconsumeTimes: 5 });
    const pq = new ProcessQueue();
    const message = consumed(7);
    pq.putMessages([message]);
    service.submit([message], pq, mq);
    await service.whenIdle();
    expect(sendBacks).toEqual([
      expect.objectContaining({
        offset: 1007,
        group: 'billing',
        delayLevel: 0,
        maxReconsumeTimes: 5,
        originMsgId: 'ID9',
      }),
    ]);
    expect(committed).toEqual([8]);
  });

  it('publishes the copy to %RETRY% itself when the broker refuses the send-back', async () => {
    const published: Message[] = [];
    const publish = async (copy: Message) => {
      published.push(copy);
      return {} as SendResult;
    };
    const { service, committed } = harness({ sendBackFails: true, publish });
    const pq = new ProcessQueue();
    const message = consumed(3, 2);
    pq.putMessages([message]);
    service.submit([message], pq, mq);
    await service.whenIdle();
    expect(published).toHaveLength(1);
    const [copy] = published;
    expect(copy.topic).toBe('%RETRY%billing');
    expect(copy.delayTimeLevel).toBe(5); // 3 + reconsumeTimes
    expect(copy.properties).toMatchObject({
      [MessageConst.RETRY_TOPIC]: 'Orders',
      [MessageConst.RECONSUME_TIME]: '3',
      [MessageConst.MAX_RECONSUME_TIMES]: '16',
      [MessageConst.ORIGIN_MESSAGE_ID]: 'ID9',
      [MessageConst.UNIQ_KEY]: 'ID9',
      note: 'n',
    });
    expect(committed).toEqual([4]);
  });

  it('consumes it again locally, reconsumeTimes + 1, when the publish fails too; offset held meanwhile', async () => {
    const seen: number[] = [];
    const publish = async (): Promise<SendResult> => {
      throw new Error('no route');
    };
    const { service, committed } = harness({
      sendBackFails: true,
      publish,
      listener: (messages) => {
        seen.push(messages[0].reconsumeTimes);
        return seen.length < 2 ? 'RECONSUME_LATER' : 'CONSUME_SUCCESS';
      },
    });
    const pq = new ProcessQueue();
    const message = consumed(0);
    pq.putMessages([message]);
    service.submit([message], pq, mq);
    await service.whenIdle();
    expect(committed).toEqual([0]); // not past the failed message
    await new Promise((resolve) => setTimeout(resolve, 60));
    await service.whenIdle();
    expect(seen).toEqual([0, 1]);
    expect(committed).toEqual([0, 1]);
    service.stop();
  });

  it('drops failed messages in broadcasting mode', async () => {
    const { service, committed, sendBacks } = harness({ messageModel: 'BROADCASTING' });
    const pq = new ProcessQueue();
    const message = consumed(0);
    pq.putMessages([message]);
    service.submit([message], pq, mq);
    await service.whenIdle();
    expect(sendBacks).toEqual([]);
    expect(committed).toEqual([1]);
  });
});
