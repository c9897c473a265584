import { BrokerConfigError, loadBrokerConfig } from '../broker-config';

describe('delay and timer settings', () => {
  it('default to RocketMQ’s values', () => {
    const { broker } = loadBrokerConfig({}, []);
    expect(broker).toMatchObject({
      messageDelayLevel: '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h',
      delayLevelScale: 1,
      flushDelayOffsetInterval: 10_000,
      timerPrecisionMs: 1000,
      timerMaxDelaySec: 259_200,
    });
  });

  it('come from the environment and flags', () => {
    const { broker } = loadBrokerConfig({ MESSAGE_DELAY_LEVEL: '1s 2s 3s', TIMER_PRECISION_MS: '100' }, [
      '--delay-level-scale',
      '0.01',
      '--timer-max-delay-sec=60',
    ]);
    expect(broker).toMatchObject({
      messageDelayLevel: '1s 2s 3s',
      delayLevelScale: 0.01,
      timerPrecisionMs: 100,
      timerMaxDelaySec: 60,
    });
  });

  it.each([
    [{ MESSAGE_DELAY_LEVEL: '1s 5q' }, 'messageDelayLevel'],
    [{ DELAY_LEVEL_SCALE: '0' }, 'delayLevelScale'],
    [{ DELAY_LEVEL_SCALE: 'fast' }, 'DELAY_LEVEL_SCALE'],
    [{ TIMER_PRECISION_MS: '300' }, 'timerPrecisionMs'],
    [{ TIMER_MAX_DELAY_SEC: '0' }, 'timerMaxDelaySec'],
  ])('reject %p', (env, setting) => {
    expect(() => loadBrokerConfig(env, [])).toThrow(BrokerConfigError);
    expect(() => loadBrokerConfig(env, [])).toThrow(new RegExp(`^${setting}:`));
  });
});
