import type { RemotingCommand, TopicConfig } from '@flashsale/mq/protocol';
import { silentBrokerLogger } from '../broker-logger';
import type { RemotingChannel } from '../remoting/remoting-channel';
import { RouteInfoManager, type BrokerRegistration } from './route-info-manager';

/** Just enough of a channel to tell registrations apart and see whether it was closed. */
function channel(id: string): RemotingChannel & { closed: boolean } {
  return {
    id,
    remoteAddress: { host: '127.0.0.1', port: 1 },
    closed: false,
    get isActive() {
      return !this.closed;
    },
    write: () => true,
    invoke: (_command: RemotingCommand) => Promise.reject(new Error('not used')),
    close() {
      this.closed = true;
    },
    onClose: () => undefined,
  };
}

function topic(name: string, queues = 4): TopicConfig {
  return {
    topicName: name,
    readQueueNums: queues,
    writeQueueNums: queues,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
  };
}

function registration(
  brokerName: string,
  brokerId: number,
  brokerAddr: string,
  topics: TopicConfig[] = [],
  counter = 1,
): BrokerRegistration {
  return {
    clusterName: 'DefaultCluster',
    brokerName,
    brokerId,
    brokerAddr,
    haServerAddr: brokerAddr.replace(/:\d+$/, ':10912'),
    topicConfigWrapper: {
      topicConfigTable: Object.fromEntries(topics.map((t) => [t.topicName, t])),
      dataVersion: { timestamp: 1000, counter },
    },
    filterServerList: [],
  };
}

describe('RouteInfoManager', () => {
  let clock: number;
  let manager: RouteInfoManager;

  beforeEach(() => {
    clock = 1_000_000;
    manager = new RouteInfoManager({
      logger: silentBrokerLogger,
      brokerChannelExpiredMillis: 120_000,
      now: () => clock,
    });
  });

  it('builds a route from the master registration', () => {
    manager.registerBroker(registration('broker-a', 0, '10.0.0.1:10911', [topic('orders', 8)]));
    expect(manager.pickupTopicRouteData('orders')).toEqual({
      queueDatas: [
        {
          brokerName: 'broker-a',
          readQueueNums: 8,
          writeQueueNums: 8,
          perm: 6,
          topicSysFlag: 0,
          topicSynFlag: 0,
        },
      ],
      brokerDatas: [
        { cluster: 'DefaultCluster', brokerName: 'broker-a', brokerAddrs: { '0': '10.0.0.1:10911' } },
      ],
      filterServerTable: {},
    });
    expect(manager.pickupTopicRouteData('unknown')).toBeNull();
  });

  it('tells a slave where its master is, and takes no queue data from it', () => {
    expect(manager.registerBroker(registration('broker-a', 1, '10.0.0.2:10911', [topic('orders')]))).toEqual(
      {},
    );
    expect(manager.pickupTopicRouteData('orders')).toBeNull();

    expect(manager.registerBroker(registration('broker-a', 0, '10.0.0.1:10911', [topic('orders')]))).toEqual(
      {},
    );
    const result = manager.registerBroker(registration('broker-a', 1, '10.0.0.2:10911', [topic('orders')]));
    expect(result).toEqual({ masterAddr: '10.0.0.1:10911', haServerAddr: '10.0.0.1:10912' });
    expect(manager.pickupTopicRouteData('orders')?.brokerDatas[0].brokerAddrs).toEqual({
      '0': '10.0.0.1:10911',
      '1': '10.0.0.2:10911',
    });
  });

  it('re-reads topics only on the first registration or a new data version', () => {
    manager.registerBroker(registration('broker-a', 0, '10.0.0.1:10911', [topic('orders')], 1));
    manager.registerBroker(registration('broker-a', 0, '10.0.0.1:10911', [topic('orders'), topic('pay')], 1));
    expect(manager.getAllTopicList()).toEqual(['orders']);
    manager.registerBroker(registration('broker-a', 0, '10.0.0.1:10911', [topic('orders'), topic('pay')], 2));
    expect(manager.getAllTopicList()).toEqual(['orders', 'pay']);
  });

  it('moves an address that registers under a new brokerId (slave promoted to master)', () => {
    manager.registerBroker(registration('broker-a', 1, '10.0.0.2:10911'));
    manager.registerBroker(registration('broker-a', 0, '10.0.0.2:10911', [topic('orders')]));
    expect(manager.pickupTopicRouteData('orders')?.brokerDatas[0].brokerAddrs).toEqual({
      '0': '10.0.0.2:10911',
    });
  });

  it('keeps queue data while a slave survives its master, and drops the group with its last address', () => {
    const master = channel('master');
    const slave = channel('slave');
    manager.registerBroker({
      ...registration('broker-a', 0, '10.0.0.1:10911', [topic('orders')]),
      channel: master,
    });
    manager.registerBroker({ ...registration('broker-a', 1, '10.0.0.2:10911'), channel: slave });

    manager.onChannelDestroy(master);
    const route = manager.pickupTopicRouteData('orders');
    expect(route?.queueDatas).toHaveLength(1);
    expect(route?.brokerDatas[0].brokerAddrs).toEqual({ '1': '10.0.0.2:10911' });

    manager.onChannelDestroy(slave);
    expect(manager.pickupTopicRouteData('orders')).toBeNull();
    expect(manager.getAllTopicList()).toEqual([]);
    expect(manager.getClusterInfo()).toEqual({ brokerAddrTable: {}, clusterAddrTable: {} });
  });

  it('ignores the close of a channel no broker registered on', () => {
    manager.registerBroker({
      ...registration('broker-a', 0, '10.0.0.1:10911', [topic('t')]),
      channel: channel('a'),
    });
    manager.onChannelDestroy(channel('other'));
    expect(manager.getLiveBrokerAddrs()).toEqual(['10.0.0.1:10911']);
  });

  it('unregisters one address and keeps topics served by another group', () => {
    manager.registerBroker(registration('broker-a', 0, '10.0.0.1:10911', [topic('orders'), topic('only-a')]));
    manager.registerBroker(registration('broker-b', 0, '10.0.0.3:10911', [topic('orders')]));
    manager.unregisterBroker({
      clusterName: 'DefaultCluster',
      brokerName: 'broker-a',
      brokerAddr: '10.0.0.1:10911',
      brokerId: 0,
    });
    expect(manager.pickupTopicRouteData('orders')?.brokerDatas.map((b) => b.brokerName)).toEqual([
      'broker-b',
    ]);
    expect(manager.pickupTopicRouteData('only-a')).toBeNull();
    expect(manager.getClusterInfo().clusterAddrTable).toEqual({ DefaultCluster: ['broker-b'] });
  });

  it('expires brokers not heard from within the expiry and closes their channels', () => {
    const stale = channel('stale');
    manager.registerBroker({
      ...registration('broker-a', 0, '10.0.0.1:10911', [topic('orders')]),
      channel: stale,
    });
    clock += 60_000;
    manager.registerBroker(registration('broker-b', 0, '10.0.0.3:10911', [topic('orders')]));
    clock += 60_001;
    expect(manager.scanNotActiveBroker()).toEqual(['10.0.0.1:10911']);
    expect(stale.closed).toBe(true);
    expect(manager.getLiveBrokerAddrs()).toEqual(['10.0.0.3:10911']);
    expect(manager.pickupTopicRouteData('orders')?.brokerDatas.map((b) => b.brokerName)).toEqual([
      'broker-b',
    ]);
  });

  it('lists cluster info and the topics of a cluster', () => {
    manager.registerBroker(registration('broker-a', 0, '10.0.0.1:10911', [topic('orders')]));
    manager.registerBroker({
      ...registration('broker-x', 0, '10.0.1.1:10911', [topic('audit')]),
      clusterName: 'OtherCluster',
    });
    expect(manager.getClusterInfo().clusterAddrTable).toEqual({
      DefaultCluster: ['broker-a'],
      OtherCluster: ['broker-x'],
    });
    expect(manager.getTopicsByCluster('DefaultCluster')).toEqual(['orders']);
    expect(manager.getTopicsByCluster('OtherCluster')).toEqual(['audit']);
    expect(manager.getTopicsByCluster('NoSuchCluster')).toEqual([]);
  });

  it('reports filter servers of the brokers in a route', () => {
    manager.registerBroker({
      ...registration('broker-a', 0, '10.0.0.1:10911', [topic('orders')]),
      filterServerList: ['10.0.0.1:30000'],
    });
    expect(manager.pickupTopicRouteData('orders')?.filterServerTable).toEqual({
      '10.0.0.1:10911': ['10.0.0.1:30000'],
    });
  });
});
