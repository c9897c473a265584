import * as path from 'node:path';
import { BrokerConfigError, DEFAULT_BROKER_CONFIG, loadBrokerConfig, namesrvAddrList } from './broker-config';

describe('loadBrokerConfig', () => {
  it('defaults to NameServer + broker in one process with RocketMQ defaults', () => {
    const startup = loadBrokerConfig({}, []);
    expect(startup.role).toBe('all');
    expect(startup.namesrvListenPort).toBe(9876);
    expect(startup.broker).toMatchObject({
      brokerClusterName: 'DefaultCluster',
      brokerName: 'broker-a',
      brokerId: 0,
      listenPort: 10911,
      namesrvAddr: '127.0.0.1:9876',
      defaultTopicQueueNums: 8,
      brokerPermission: 6,
      registerNameServerPeriod: 30_000,
      flushDiskType: 'ASYNC_FLUSH',
    });
    expect(startup.broker.storePathRootDir).toBe(path.resolve(DEFAULT_BROKER_CONFIG.storePathRootDir));
  });

  it('reads environment variables, and flags override them', () => {
    const startup = loadBrokerConfig(
      {
        BROKER_NAME: 'broker-env',
        BROKER_PORT: '20911',
        FLUSH_DISK_TYPE: 'sync_flush',
        AUTO_CREATE_TOPIC: 'false',
      },
      ['--broker-name', 'broker-flag', '--store-dir=/tmp/s', '--namesrv-addr', '10.0.0.1:9876;10.0.0.2:9876'],
    );
    expect(startup.broker).toMatchObject({
      brokerName: 'broker-flag',
      listenPort: 20911,
      flushDiskType: 'SYNC_FLUSH',
      autoCreateTopicEnable: false,
      storePathRootDir: '/tmp/s',
    });
    expect(namesrvAddrList(startup.broker)).toEqual(['10.0.0.1:9876', '10.0.0.2:9876']);
  });

  it('points the broker at its sibling NameServer port when only NAMESRV_PORT is given', () => {
    expect(loadBrokerConfig({ NAMESRV_PORT: '19876' }, []).broker.namesrvAddr).toBe('127.0.0.1:19876');
  });

  it('treats a boolean flag without a value as true', () => {
    expect(
      loadBrokerConfig({ AUTO_CREATE_TOPIC: 'false' }, ['--auto-create-topic']).broker.autoCreateTopicEnable,
    ).toBe(true);
  });

  it.each([
    [{ BROKER_PORT: 'abc' }, [], /BROKER_PORT/],
    [{ BROKER_PORT: '70000' }, [], /listenPort/],
    [{ FLUSH_DISK_TYPE: 'SOMETIMES' }, [], /FLUSH_DISK_TYPE/],
    [{ ROLE: 'proxy' }, [], /ROLE/],
    [{ BROKER_IP: '0.0.0.0' }, [], /brokerIP1/],
    [{ NAMESRV_ADDR: 'localhost' }, [], /namesrvAddr/],
    [{ BROKER_NAME: 'bad name' }, [], /brokerName/],
    [{}, ['--no-such-flag', 'x'], /--no-such-flag/],
    [{}, ['--broker-port'], /--broker-port/],
  ] as const)('rejects %j %j with a BrokerConfigError naming the setting', (env, argv, message) => {
    const load = () => loadBrokerConfig(env, argv);
    expect(load).toThrow(BrokerConfigError);
    expect(load).toThrow(message);
  });
});
