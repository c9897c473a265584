import { MessageConst, type MessageRecord } from '@flashsale/mq/protocol';
import { TIMER_TOPIC } from '../../topic/topic-validator';
import { requestedDeliverMs, rewriteTimerMessage, roundDeliverMs } from './timer-message-rewrite';

function record(properties: Record<string, string>): MessageRecord {
  return {
    topic: 'T',
    queueId: 3,
    flag: 0,
    body: Buffer.from('x'),
    properties,
    sysFlag: 0,
    bornTimestamp: 0,
    bornHost: { host: '127.0.0.1', port: 1 },
    storeTimestamp: 0,
    storeHost: { host: '127.0.0.1', port: 2 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    queueOffset: 0,
    commitLogOffset: 0,
  };
}

const settings = { timerPrecisionMs: 1000, timerMaxDelaySec: 259_200 };
const now = 1_700_000_000_500;

describe('timer message rewrite', () => {
  it('prefers TIMER_DELAY_SEC over TIMER_DELAY_MS over TIMER_DELIVER_MS', () => {
    expect(
      requestedDeliverMs({ TIMER_DELAY_SEC: '3', TIMER_DELAY_MS: '10', TIMER_DELIVER_MS: '5' }, now),
    ).toBe(now + 3000);
    expect(requestedDeliverMs({ TIMER_DELAY_MS: '10', TIMER_DELIVER_MS: '5' }, now)).toBe(now + 10);
    expect(requestedDeliverMs({ TIMER_DELIVER_MS: '5' }, now)).toBe(5);
    expect(typeof requestedDeliverMs({ TIMER_DELIVER_MS: 'soon' }, now)).toBe('string');
  });

  it('rounds down to the precision, an exact multiple one step earlier', () => {
    expect(roundDeliverMs(12_345, 1000)).toBe(12_000);
    expect(roundDeliverMs(12_000, 1000)).toBe(11_000);
    expect(roundDeliverMs(12_345, 100)).toBe(12_300);
  });

  it('moves a future timer message to rmq_sys_wheel_timer queue 0', () => {
    const msg = record({ TIMER_DELIVER_MS: String(now + 4200) });
    expect(rewriteTimerMessage(msg, settings, now)).toEqual({
      kind: 'REWRITTEN',
      deliverMs: now - 500 + 4000,
    });
    expect(msg.topic).toBe(TIMER_TOPIC);
    expect(msg.queueId).toBe(0);
    expect(msg.properties[MessageConst.REAL_TOPIC]).toBe('T');
    expect(msg.properties[MessageConst.REAL_QID]).toBe('3');
    expect(msg.properties[MessageConst.TIMER_OUT_MS]).toBe(String(now - 500 + 4000));
  });

  it('leaves a message due within one precision step as a normal message', () => {
    const msg = record({ TIMER_DELAY_MS: '900' });
    expect(rewriteTimerMessage(msg, settings, now).kind).toBe('IMMEDIATE');
    expect(msg.topic).toBe('T');
  });

  it('refuses a delivery time beyond timerMaxDelaySec', () => {
    const outcome = rewriteTimerMessage(record({ TIMER_DELAY_SEC: '259201' }), settings, now);
    expect(outcome).toMatchObject({ kind: 'ILLEGAL', code: 13 });
  });
});
