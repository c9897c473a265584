/**
 * Long polling acceptance (rocketmq-facts.md §9.1): a pull with SUSPEND on an empty queue is held by
 * the broker and answered the moment a message lands — or PULL_NOT_FOUND once its suspend time is up.
 */
import { PullSysFlag, ResponseCode } from '@flashsale/mq/protocol';
import { makeMessage } from '../src/store/store-test-fixtures';
import { ConsumeSideHarness, decodePullBody, pullHeaderOf } from './consume-side.harness';

const LONG_POLL = PullSysFlag.SUBSCRIPTION | PullSysFlag.SUSPEND;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('long polling', () => {
  let broker: ConsumeSideHarness;

  /**
   * With the default 5 s periodic check only an arrival notification can answer a pull quickly; the
   * expiry test uses a 100 ms check so that the deadline is met precisely.
   */
  async function startBroker(holdCheckIntervalMillis = 5000): Promise<void> {
    broker = await ConsumeSideHarness.start({ holdCheckIntervalMillis });
    broker.createTopic('T', 4);
  }

  afterEach(async () => {
    await broker.close();
  });

  it('holds a pull on an empty queue and answers FOUND right after a message is put', async () => {
    await startBroker();
    let answeredAt = 0;
    const pending = broker
      .pull({ topic: 'T', sysFlag: LONG_POLL, suspendTimeoutMillis: 15_000 })
      .then((response) => {
        answeredAt = performance.now();
        return response;
      });
    await sleep(300);
    expect(answeredAt).toBe(0);
    expect(broker.consumeSide.pullRequestHoldService.parkedCount).toBe(1);

    const putAt = performance.now();
    await broker.store.putMessage(makeMessage({ topic: 'T', queueId: 0, body: Buffer.from('wake up') }));
    const response = await pending;
    const latency = answeredAt - putAt;
    console.log(`long polling: put → pull response in ${latency.toFixed(2)} ms`);

    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(decodePullBody(response.body).map((m) => m.body.toString())).toEqual(['wake up']);
    expect(pullHeaderOf(response)).toEqual({
      suggestWhichBrokerId: 0,
      nextBeginOffset: 1,
      minOffset: 0,
      maxOffset: 1,
    });
    expect(latency).toBeLessThan(1000);
    expect(broker.consumeSide.pullRequestHoldService.parkedCount).toBe(0);
  });

  it('answers PULL_NOT_FOUND with the four header fields once the suspend time is up, not before', async () => {
    await startBroker(100);
    await broker.put('T', 1, 'TagA');
    const started = performance.now();
    let answeredAt = 0;
    const pending = broker
      .pull({ topic: 'T', queueId: 1, queueOffset: 1, sysFlag: LONG_POLL, suspendTimeoutMillis: 1500 })
      .then((response) => {
        answeredAt = performance.now();
        return response;
      });
    await sleep(1300);
    expect(answeredAt).toBe(0);

    const response = await pending;
    const waited = answeredAt - started;
    console.log(`long polling: 1500 ms suspend answered after ${waited.toFixed(0)} ms`);
    expect(response.code).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(pullHeaderOf(response)).toEqual({
      suggestWhichBrokerId: 0,
      nextBeginOffset: 1,
      minOffset: 0,
      maxOffset: 1,
    });
    expect(waited).toBeGreaterThanOrEqual(1490);
    expect(waited).toBeLessThan(1500 + 100 + 400);
  });

  it('keeps waiting when a message with another tag arrives, and wakes for a matching one', async () => {
    await startBroker();
    let answered = false;
    const pending = broker
      .pull({
        topic: 'T',
        queueId: 2,
        sysFlag: LONG_POLL,
        subscription: 'TagB',
        suspendTimeoutMillis: 15_000,
      })
      .then((response) => {
        answered = true;
        return response;
      });
    await sleep(100);
    await broker.put('T', 2, 'TagA', 'not for you');
    await sleep(200);
    expect(answered).toBe(false);

    await broker.put('T', 2, 'TagB', 'for you');
    const response = await pending;
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(decodePullBody(response.body).map((m) => m.body.toString())).toEqual(['for you']);
    expect(pullHeaderOf(response).nextBeginOffset).toBe(2);
  });

  it('does not suspend without the SUSPEND flag, and does not commit twice when a held pull wakes', async () => {
    await startBroker();
    const quick = await broker.pull({ topic: 'T', queueId: 3 });
    expect(quick.code).toBe(ResponseCode.PULL_NOT_FOUND);

    const sysFlag = LONG_POLL | PullSysFlag.COMMIT_OFFSET;
    const pending = broker.pull({
      topic: 'T',
      queueId: 3,
      sysFlag,
      commitOffset: 0,
      suspendTimeoutMillis: 15_000,
    });
    await sleep(50);
    const offsets = broker.consumeSide.consumerOffsetManager;
    expect(offsets.queryOffset('g', 'T', 3)).toBe(0); // committed when the fresh request came in
    offsets.commitOffset('test', 'g', 'T', 3, 5); // e.g. an UPDATE_CONSUMER_OFFSET meanwhile
    await broker.put('T', 3, 'TagA');
    expect((await pending).code).toBe(ResponseCode.SUCCESS);
    expect(offsets.queryOffset('g', 'T', 3)).toBe(5); // the wake-up did not commit 0 again
  });
});
