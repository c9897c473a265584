import {
  crc32Masked,
  createRequest,
  encodeJsonBody,
  parseLenientJson,
  parseRegisterBrokerResponseHeader,
  RemotingConnection,
  RequestCode,
  toExtFields,
  type ClusterInfo,
  type RegisterBrokerBody,
  type RegisterBrokerRequestHeader,
  type RemotingCommand,
  type TopicConfig,
  type TopicList,
  type TopicRouteData,
} from '@flashsale/mq/protocol';
import { silentBrokerLogger } from '../../src/broker-logger';
import { NamesrvController, type NamesrvControllerOptions } from '../../src/namesrv';

const TIMEOUT = 3000;

function topicConfig(topicName: string, queues = 4): TopicConfig {
  return {
    topicName,
    readQueueNums: queues,
    writeQueueNums: queues,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
  };
}

interface BrokerSpec {
  brokerName: string;
  brokerId: number;
  brokerAddr: string;
  clusterName?: string;
  topics?: TopicConfig[];
  counter?: number;
}

function registerRequest(
  spec: BrokerSpec,
  headerOverrides: Partial<RegisterBrokerRequestHeader> = {},
): RemotingCommand {
  const body: RegisterBrokerBody = {
    topicConfigSerializeWrapper: {
      topicConfigTable: Object.fromEntries((spec.topics ?? []).map((t) => [t.topicName, t])),
      dataVersion: { timestamp: 1_700_000_000_000, counter: spec.counter ?? 1 },
    },
    filterServerList: [],
  };
  const bodyBytes = encodeJsonBody(body);
  const header: RegisterBrokerRequestHeader = {
    brokerName: spec.brokerName,
    brokerAddr: spec.brokerAddr,
    clusterName: spec.clusterName ?? 'DefaultCluster',
    haServerAddr: spec.brokerAddr.replace(/:\d+$/, ':10912'),
    brokerId: spec.brokerId,
    compressed: false,
    bodyCrc32: crc32Masked(bodyBytes),
    ...headerOverrides,
  };
  return createRequest(RequestCode.REGISTER_BROKER, toExtFields(header), bodyBytes);
}

function routeRequest(topic: string, version = 409, acceptStandardJsonOnly?: boolean): RemotingCommand {
  const request = createRequest(
    RequestCode.GET_ROUTEINFO_BY_TOPIC,
    toExtFields({ topic, acceptStandardJsonOnly }),
  );
  request.version = version;
  return request;
}

const MASTER_A: BrokerSpec = {
  brokerName: 'broker-a',
  brokerId: 0,
  brokerAddr: '127.0.0.1:10911',
  topics: [topicConfig('orders', 8), topicConfig('only-a')],
};
const SLAVE_A: BrokerSpec = {
  brokerName: 'broker-a',
  brokerId: 1,
  brokerAddr: '127.0.0.2:10911',
  topics: [],
};
const MASTER_B: BrokerSpec = {
  brokerName: 'broker-b',
  brokerId: 0,
  brokerAddr: '127.0.0.3:10911',
  clusterName: 'OtherCluster',
  topics: [topicConfig('orders')],
};

describe('NameServer over TCP', () => {
  const controllers: NamesrvController[] = [];
  const connections: RemotingConnection[] = [];

  async function startNamesrv(options: Partial<NamesrvControllerOptions> = {}): Promise<NamesrvController> {
    const controller = new NamesrvController({
      listenPort: 0,
      host: '127.0.0.1',
      logger: silentBrokerLogger,
      ...options,
    });
    await controller.start();
    controllers.push(controller);
    return controller;
  }

  async function connectTo(controller: NamesrvController): Promise<RemotingConnection> {
    const connection = await RemotingConnection.connect(`127.0.0.1:${controller.port}`);
    connections.push(connection);
    return connection;
  }

  async function waitFor(condition: () => Promise<boolean>, timeoutMillis = 3000): Promise<void> {
    const start = Date.now();
    while (!(await condition())) {
      if (Date.now() - start > timeoutMillis) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.close();
    await Promise.all(controllers.splice(0).map((controller) => controller.shutdown()));
  });

  describe('with a master, its slave and a second broker group registered', () => {
    let namesrv: NamesrvController;
    let client: RemotingConnection;
    let slaveRegistration: RemotingCommand;

    beforeEach(async () => {
      namesrv = await startNamesrv();
      const masterA = await connectTo(namesrv);
      const slaveA = await connectTo(namesrv);
      const masterB = await connectTo(namesrv);
      client = await connectTo(namesrv);
      const masterResponse = await masterA.invoke(registerRequest(MASTER_A), TIMEOUT);
      expect(masterResponse.code).toBe(0);
      expect(parseRegisterBrokerResponseHeader(masterResponse.extFields)).toEqual({});
      slaveRegistration = await slaveA.invoke(registerRequest(SLAVE_A), TIMEOUT);
      expect((await masterB.invoke(registerRequest(MASTER_B), TIMEOUT)).code).toBe(0);
    });

    it('tells the slave its master address and HA address', () => {
      expect(slaveRegistration.code).toBe(0);
      expect(parseRegisterBrokerResponseHeader(slaveRegistration.extFields)).toEqual({
        masterAddr: '127.0.0.1:10911',
        haServerAddr: '127.0.0.1:10912',
      });
    });

    it('answers a 4.9.4+ client with a standard-JSON route', async () => {
      const response = await client.invoke(routeRequest('orders', 409), TIMEOUT);
      expect(response.code).toBe(0);
      const text = response.body!.toString('utf8');
      expect(text).toContain('"brokerAddrs":{"0":"127.0.0.1:10911","1":"127.0.0.2:10911"}');
      const route = JSON.parse(text) as TopicRouteData;
      expect(route.queueDatas).toEqual([
        {
          brokerName: 'broker-a',
          readQueueNums: 8,
          writeQueueNums: 8,
          perm: 6,
          topicSysFlag: 0,
          topicSynFlag: 0,
        },
        {
          brokerName: 'broker-b',
          readQueueNums: 4,
          writeQueueNums: 4,
          perm: 6,
          topicSysFlag: 0,
          topicSynFlag: 0,
        },
      ]);
      expect(route.brokerDatas).toEqual([
        {
          cluster: 'DefaultCluster',
          brokerName: 'broker-a',
          brokerAddrs: { '0': '127.0.0.1:10911', '1': '127.0.0.2:10911' },
        },
        { cluster: 'OtherCluster', brokerName: 'broker-b', brokerAddrs: { '0': '127.0.0.3:10911' } },
      ]);
      expect(route.filterServerTable).toEqual({});
    });

    it('answers an older client (Go, version 317) with unquoted brokerAddrs keys', async () => {
      const response = await client.invoke(routeRequest('orders', 317), TIMEOUT);
      const text = response.body!.toString('utf8');
      expect(text).toContain('"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.2:10911"}');
      expect(() => JSON.parse(text)).toThrow();
      const route = parseLenientJson(text) as TopicRouteData;
      expect(route.brokerDatas[0].brokerAddrs['0']).toBe('127.0.0.1:10911');
    });

    it('answers standard JSON to an older client that sets acceptStandardJsonOnly', async () => {
      const response = await client.invoke(routeRequest('orders', 317, true), TIMEOUT);
      expect(() => JSON.parse(response.body!.toString('utf8'))).not.toThrow();
    });

    it('answers TOPIC_NOT_EXIST for an unknown topic', async () => {
      const response = await client.invoke(routeRequest('nope'), TIMEOUT);
      expect(response.code).toBe(17);
      expect(response.remark).toBe('No topic route info in name server for the topic: nope');
    });

    it('returns cluster info in the fastjson dialect', async () => {
      const response = await client.invoke(createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), TIMEOUT);
      expect(response.code).toBe(0);
      const text = response.body!.toString('utf8');
      expect(text).toContain('{0:"127.0.0.1:10911",1:"127.0.0.2:10911"}');
      const info = parseLenientJson(text) as ClusterInfo;
      expect(info.clusterAddrTable).toEqual({ DefaultCluster: ['broker-a'], OtherCluster: ['broker-b'] });
      expect(Object.keys(info.brokerAddrTable).sort()).toEqual(['broker-a', 'broker-b']);
    });

    it('lists all topics and the topics of one cluster', async () => {
      const all = await client.invoke(createRequest(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER), TIMEOUT);
      expect((JSON.parse(all.body!.toString()) as TopicList).topicList.sort()).toEqual(['only-a', 'orders']);
      const byCluster = await client.invoke(
        createRequest(RequestCode.GET_TOPICS_BY_CLUSTER, { cluster: 'OtherCluster' }),
        TIMEOUT,
      );
      expect(JSON.parse(byCluster.body!.toString())).toEqual({ topicList: ['orders'] });
    });

    it('forgets an unregistered broker group and the topics only it served', async () => {
      const unregister = createRequest(RequestCode.UNREGISTER_BROKER, {
        brokerName: 'broker-a',
        brokerAddr: '127.0.0.2:10911',
        clusterName: 'DefaultCluster',
        brokerId: '1',
      });
      expect((await client.invoke(unregister, TIMEOUT)).code).toBe(0);
      const masterToo = { ...unregister.extFields, brokerAddr: '127.0.0.1:10911', brokerId: '0' };
      expect(
        (await client.invoke(createRequest(RequestCode.UNREGISTER_BROKER, masterToo), TIMEOUT)).code,
      ).toBe(0);
      expect((await client.invoke(routeRequest('only-a'), TIMEOUT)).code).toBe(17);
      const route = JSON.parse((await client.invoke(routeRequest('orders'), TIMEOUT)).body!.toString());
      expect((route as TopicRouteData).brokerDatas.map((b) => b.brokerName)).toEqual(['broker-b']);
    });

    it('removes a broker at once when its registration connection closes', async () => {
      connections[2].close(); // broker-b's connection
      await waitFor(async () => {
        const route = JSON.parse((await client.invoke(routeRequest('orders'), TIMEOUT)).body!.toString());
        return (route as TopicRouteData).brokerDatas.length === 1;
      });
      const info = await client.invoke(createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), TIMEOUT);
      expect((parseLenientJson(info.body!.toString()) as ClusterInfo).clusterAddrTable).toEqual({
        DefaultCluster: ['broker-a'],
      });
    });

    it('keeps KV config entries', async () => {
      const entry = { namespace: 'ORDER_TOPIC_CONFIG', key: 'orders', value: 'broker-a:8' };
      expect((await client.invoke(createRequest(RequestCode.PUT_KV_CONFIG, entry), TIMEOUT)).code).toBe(0);
      const get = createRequest(RequestCode.GET_KV_CONFIG, { namespace: entry.namespace, key: entry.key });
      expect((await client.invoke(get, TIMEOUT)).extFields).toEqual({ value: 'broker-a:8' });
      const registration = await client.invoke(registerRequest({ ...MASTER_B, counter: 2 }), TIMEOUT);
      expect(JSON.parse(registration.body!.toString())).toEqual({ table: { orders: 'broker-a:8' } });
      const del = createRequest(RequestCode.DELETE_KV_CONFIG, { namespace: entry.namespace, key: entry.key });
      expect((await client.invoke(del, TIMEOUT)).code).toBe(0);
      const again = createRequest(RequestCode.GET_KV_CONFIG, { namespace: entry.namespace, key: entry.key });
      const missing = await client.invoke(again, TIMEOUT);
      expect(missing.code).toBe(22);
    });
  });

  it('refuses a registration whose body does not match bodyCrc32', async () => {
    const namesrv = await startNamesrv();
    const broker = await connectTo(namesrv);
    const response = await broker.invoke(registerRequest(MASTER_A, { bodyCrc32: 12345 }), TIMEOUT);
    expect(response.code).toBe(1);
    expect(response.remark).toBe('crc32 not match');
    expect((await broker.invoke(routeRequest('orders'), TIMEOUT)).code).toBe(17);
    expect((await broker.invoke(registerRequest(MASTER_A, { bodyCrc32: 0 }), TIMEOUT)).code).toBe(0);
  });

  it('refuses a compressed registration body', async () => {
    const namesrv = await startNamesrv();
    const broker = await connectTo(namesrv);
    const response = await broker.invoke(registerRequest(MASTER_A, { compressed: true }), TIMEOUT);
    expect(response.code).toBe(1);
    expect(response.remark).toContain('compressed');
  });

  it('answers SYSTEM_ERROR for a registration without its required header fields', async () => {
    const namesrv = await startNamesrv();
    const broker = await connectTo(namesrv);
    const response = await broker.invoke(
      createRequest(RequestCode.REGISTER_BROKER, { brokerName: 'x' }),
      TIMEOUT,
    );
    expect(response.code).toBe(1);
    expect(response.remark).toContain('brokerAddr');
  });

  it('expires a broker that stops registering and closes its connection', async () => {
    const namesrv = await startNamesrv({ brokerChannelExpiredMillis: 150, scanIntervalMillis: 25 });
    const broker = await connectTo(namesrv);
    const brokerClosed = new Promise<void>((resolve) => broker.onClose(() => resolve()));
    const client = await connectTo(namesrv);
    expect((await broker.invoke(registerRequest(MASTER_A), TIMEOUT)).code).toBe(0);
    expect((await client.invoke(routeRequest('orders'), TIMEOUT)).code).toBe(0);
    await brokerClosed;
    expect((await client.invoke(routeRequest('orders'), TIMEOUT)).code).toBe(17);
    expect(namesrv.routeInfoManager.getLiveBrokerAddrs()).toEqual([]);
  });

  it('keeps a broker that re-registers within the expiry', async () => {
    const namesrv = await startNamesrv({ brokerChannelExpiredMillis: 200, scanIntervalMillis: 25 });
    const broker = await connectTo(namesrv);
    for (let i = 0; i < 6; i++) {
      expect((await broker.invoke(registerRequest(MASTER_A), TIMEOUT)).code).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
    expect(broker.isActive).toBe(true);
    expect(namesrv.routeInfoManager.getLiveBrokerAddrs()).toEqual(['127.0.0.1:10911']);
  });

  it('runs two NameServers side by side, each with its own state', async () => {
    const first = await startNamesrv();
    const second = await startNamesrv();
    expect(first.port).not.toBe(second.port);
    const toFirst = await connectTo(first);
    const toSecond = await connectTo(second);
    expect((await toFirst.invoke(registerRequest(MASTER_A), TIMEOUT)).code).toBe(0);
    expect((await toFirst.invoke(routeRequest('orders'), TIMEOUT)).code).toBe(0);
    expect((await toSecond.invoke(routeRequest('orders'), TIMEOUT)).code).toBe(17);
    expect((await toSecond.invoke(registerRequest(MASTER_B), TIMEOUT)).code).toBe(0);
    const fromFirst = JSON.parse((await toFirst.invoke(routeRequest('orders'), TIMEOUT)).body!.toString());
    const fromSecond = JSON.parse((await toSecond.invoke(routeRequest('orders'), TIMEOUT)).body!.toString());
    expect((fromFirst as TopicRouteData).brokerDatas.map((b) => b.brokerName)).toEqual(['broker-a']);
    expect((fromSecond as TopicRouteData).brokerDatas.map((b) => b.brokerName)).toEqual(['broker-b']);
    await first.shutdown();
    controllers.splice(controllers.indexOf(first), 1);
    expect((await toSecond.invoke(routeRequest('orders'), TIMEOUT)).code).toBe(0);
  });
});
