import {
  createRequest,
  javaStringHashCode,
  parsePullMessageRequestHeader,
  PullSysFlag,
  RequestCode,
  toExtFields,
} from '@flashsale/mq/protocol';
import { createTagFilterFromString } from '../filter/message-filter';
import type { RemotingChannel } from '../remoting/remoting-channel';
import { createNotifyMessageArrivingListener } from './notify-message-arriving.listener';
import type { PullRequest } from './pull-request';
import { PullRequestHoldService } from './pull-request-hold.service';

/** Collaborators of the service under test: queue max offsets, and an executor that records wake-ups. */
class Queues {
  readonly max = new Map<string, number>();
  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.max.get(`${topic}@${queueId}`) ?? 0;
  }
}

function channel(active = true): RemotingChannel {
  return { isActive: active } as RemotingChannel;
}

function pullRequest(
  options: {
    topic?: string;
    queueId?: number;
    offset?: number;
    sub?: string;
    timeout?: number;
    active?: boolean;
  } = {},
): PullRequest {
  const topic = options.topic ?? 'T';
  const queueId = options.queueId ?? 0;
  const offset = options.offset ?? 0;
  const ext = toExtFields({
    consumerGroup: 'g',
    topic,
    queueId,
    queueOffset: offset,
    maxMsgNums: 32,
    sysFlag: PullSysFlag.SUSPEND,
    commitOffset: 0,
    suspendTimeoutMillis: options.timeout ?? 15000,
    subVersion: 0,
    subscription: options.sub ?? '*',
  });
  return {
    channel: channel(options.active ?? true),
    request: createRequest(RequestCode.PULL_MESSAGE, ext),
    header: parsePullMessageRequestHeader(ext),
    pullFromThisOffset: offset,
    messageFilter: createTagFilterFromString(options.sub ?? '*'),
    suspendTimestamp: Date.now(),
    timeoutMillis: options.timeout ?? 15000,
  };
}

const flushMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('PullRequestHoldService', () => {
  let queues: Queues;
  let woken: PullRequest[];
  let service: PullRequestHoldService;

  beforeEach(() => {
    queues = new Queues();
    woken = [];
    service = new PullRequestHoldService({
      store: queues,
      executor: { executeRequestWhenWakeup: (request) => woken.push(request) },
      checkIntervalMillis: 50,
    });
  });

  afterEach(() => service.shutdown());

  it('wakes only the requests of the queue that received a message, after the dispatch pass', async () => {
    const onQueue0 = pullRequest({ queueId: 0 });
    const onQueue1 = pullRequest({ queueId: 1 });
    service.suspendPullRequest('T', 0, onQueue0);
    service.suspendPullRequest('T', 1, onQueue1);

    queues.max.set('T@0', 1);
    service.notifyMessageArriving('T', 0, 1, 0);
    expect(woken).toEqual([]); // deferred until the dispatcher's pass is over
    await flushMicrotasks();
    expect(woken).toEqual([onQueue0]);
    expect(service.parkedCount).toBe(1);
  });

  it('keeps a request parked when the new message does not match its tags', async () => {
    const request = pullRequest({ sub: 'TagA || TagB' });
    service.suspendPullRequest('T', 0, request);
    queues.max.set('T@0', 1);
    service.notifyMessageArriving('T', 0, 1, javaStringHashCode('TagC'));
    await flushMicrotasks();
    expect(woken).toEqual([]);

    queues.max.set('T@0', 2);
    service.notifyMessageArriving('T', 0, 2, javaStringHashCode('TagB'));
    await flushMicrotasks();
    expect(woken).toEqual([request]);
    expect(service.parkedCount).toBe(0);
  });

  it('does not wake a request that asked for an offset the queue has not reached', async () => {
    service.suspendPullRequest('T', 0, pullRequest({ offset: 5 }));
    queues.max.set('T@0', 5);
    service.notifyMessageArriving('T', 0, 5, 0);
    await flushMicrotasks();
    expect(woken).toEqual([]);
  });

  it('wakes a request whose queue grew on the periodic check, whatever the tags', async () => {
    const request = pullRequest({ sub: 'TagA' });
    service.suspendPullRequest('T', 0, request);
    queues.max.set('T@0', 1); // grew without a notification
    service.start();
    const started = Date.now();
    while (woken.length === 0 && Date.now() - started < 2000) await new Promise((r) => setTimeout(r, 5));
    expect(woken).toEqual([request]);
  });

  it('expires a request after its hold time on the periodic check, not before', async () => {
    const request = pullRequest({ timeout: 300 });
    service.suspendPullRequest('T', 0, request);
    service.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(woken).toEqual([]);
    while (woken.length === 0 && Date.now() - request.suspendTimestamp < 2000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const waited = Date.now() - request.suspendTimestamp;
    expect(woken).toEqual([request]);
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(300 + 50 + 100);
  });

  it('drops requests whose connection closed', async () => {
    service.suspendPullRequest('T', 0, pullRequest({ active: false }));
    queues.max.set('T@0', 1);
    service.notifyMessageArriving('T', 0, 1, 0);
    await flushMicrotasks();
    expect(woken).toEqual([]);
    expect(service.parkedCount).toBe(0);
  });

  it('is fed by the store listener and refuses to park after shutdown', async () => {
    const listener = createNotifyMessageArrivingListener(service);
    const request = pullRequest();
    service.suspendPullRequest('T', 0, request);
    queues.max.set('T@0', 1);
    listener('T', 0, 1, 0, Date.now(), {});
    await flushMicrotasks();
    expect(woken).toEqual([request]);

    service.suspendPullRequest('T', 0, pullRequest());
    service.shutdown();
    expect(service.parkedCount).toBe(0);
    expect(service.suspendPullRequest('T', 0, pullRequest())).toBe(false);
  });
});
