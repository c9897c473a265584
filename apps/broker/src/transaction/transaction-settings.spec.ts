import { BrokerConfigError, DEFAULT_BROKER_CONFIG, loadBrokerConfig } from '../broker-config';

describe('transaction and queue-lock settings', () => {
  it('default to RocketMQ’s values', () => {
    expect(DEFAULT_BROKER_CONFIG).toMatchObject({
      transactionCheckInterval: 60_000,
      transactionTimeOut: 6_000,
      transactionCheckMax: 15,
      rebalanceLockMaxLiveTime: 60_000,
      rejectTransactionMessage: false,
    });
  });

  it('are read from the environment and from flags', () => {
    const { broker } = loadBrokerConfig(
      { TRANSACTION_CHECK_INTERVAL: '500', TRANSACTION_TIMEOUT: '1000', TRANSACTION_CHECK_MAX: '3' },
      ['--rebalance-lock-max-live-time', '2000', '--reject-transaction-message'],
    );
    expect(broker).toMatchObject({
      transactionCheckInterval: 500,
      transactionTimeOut: 1000,
      transactionCheckMax: 3,
      rebalanceLockMaxLiveTime: 2000,
      rejectTransactionMessage: true,
    });
  });

  it('refuse a check max of 0', () => {
    expect(() => loadBrokerConfig({ TRANSACTION_CHECK_MAX: '0' }, [])).toThrow(BrokerConfigError);
  });
});
