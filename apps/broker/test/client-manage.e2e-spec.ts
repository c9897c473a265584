/**
 * HEART_BEAT, UNREGISTER_CLIENT, GET_CONSUMER_LIST_BY_GROUP and NOTIFY_CONSUMER_IDS_CHANGED against
 * a real broker and NameServer over TCP.
 */
import {
  type ConsumerIdList,
  type RemotingCommand,
  RemotingConnection,
  RequestCode,
  ResponseCode,
  createRequest,
  decodeJsonBody,
} from '@flashsale/mq/protocol';
import { TIMEOUT, consumerHeartbeat, heartbeat, waitForRoute } from './support/broker-client';
import { type TestCluster, startTestCluster } from './support/broker-harness';

describe('client management (e2e)', () => {
  let cluster: TestCluster;
  const opened: RemotingConnection[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster();
  });

  afterEach(() => {
    for (const connection of opened.splice(0)) connection.close();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  async function connect(onRequest?: (request: RemotingCommand) => void): Promise<RemotingConnection> {
    const connection = await RemotingConnection.connect(cluster.brokers[0].addr, {
      onRequest: (request) => {
        onRequest?.(request);
        return undefined;
      },
    });
    opened.push(connection);
    return connection;
  }

  function consumerList(connection: RemotingConnection, group: string): Promise<RemotingCommand> {
    return connection.invoke(
      createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: group }),
      TIMEOUT,
    );
  }

  async function eventually(check: () => boolean, timeoutMillis = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMillis;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('creates %RETRY%<group> on a clustering heartbeat and registers it with the NameServer', async () => {
    const connection = await connect();
    const response = await heartbeat(connection, consumerHeartbeat('10.0.0.1@1', 'retry-group', 'TopicR'));
    expect(response.code).toBe(ResponseCode.SUCCESS);

    const route = await waitForRoute(cluster.namesrvAddr, '%RETRY%retry-group');
    expect(route.queueDatas).toEqual([
      expect.objectContaining({ brokerName: 'broker-a', readQueueNums: 1, writeQueueNums: 1, perm: 6 }),
    ]);
    expect(route.brokerDatas[0].brokerAddrs['0']).toBe(cluster.brokers[0].addr);
  });

  it('lists the group members by the clientID exactly as sent, and refuses an empty group', async () => {
    const connection = await connect();
    const clientID = '192.168.7.7@4242@unit';
    await heartbeat(connection, consumerHeartbeat(clientID, 'list-group', 'TopicL'));

    const response = await consumerList(connection, 'list-group');
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(decodeJsonBody<ConsumerIdList>(response.body)).toEqual({ consumerIdList: [clientID] });

    const none = await consumerList(connection, 'nobody-here');
    expect(none.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(none.remark).toBe('no consumer for this group, nobody-here');
  });

  it('keeps the subscription registered for the pull path', async () => {
    const connection = await connect();
    await heartbeat(connection, consumerHeartbeat('10.0.0.3@3', 'sub-group', 'TopicS', 'TagA || TagB'));
    const sub = cluster.brokers[0].controller.consumerManager.findSubscriptionData('sub-group', 'TopicS');
    expect(sub).toMatchObject({ topic: 'TopicS', subString: 'TagA || TagB' });
  });

  it('notifies the first member when a second one joins, and both are listed', async () => {
    const notified: RemotingCommand[] = [];
    const first = await connect((request) => notified.push(request));
    await heartbeat(first, consumerHeartbeat('10.0.0.1@100', 'notify-group', 'TopicN'));
    notified.length = 0;

    const second = await connect();
    await heartbeat(second, consumerHeartbeat('10.0.0.2@200', 'notify-group', 'TopicN'));

    await eventually(() => notified.length > 0);
    expect(notified[0].code).toBe(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED);
    expect(notified[0].extFields.consumerGroup).toBe('notify-group');
    const list = decodeJsonBody<ConsumerIdList>((await consumerList(first, 'notify-group')).body);
    expect(list.consumerIdList.sort()).toEqual(['10.0.0.1@100', '10.0.0.2@200']);
  });

  it('a repeated heartbeat with nothing new does not notify anyone', async () => {
    const notified: RemotingCommand[] = [];
    const connection = await connect((request) => notified.push(request));
    const data = consumerHeartbeat('10.0.0.9@9', 'quiet-group', 'TopicQ');
    await heartbeat(connection, data);
    notified.length = 0;
    await heartbeat(connection, data);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(notified).toEqual([]);
  });

  it('drops a member on UNREGISTER_CLIENT and when its connection closes', async () => {
    const stays = await connect();
    await heartbeat(stays, consumerHeartbeat('10.0.0.1@1', 'leave-group', 'TopicX'));
    const unregisters = await connect();
    await heartbeat(unregisters, consumerHeartbeat('10.0.0.2@2', 'leave-group', 'TopicX'));
    const closes = await connect();
    await heartbeat(closes, consumerHeartbeat('10.0.0.3@3', 'leave-group', 'TopicX'));

    const ids = async () =>
      decodeJsonBody<ConsumerIdList>((await consumerList(stays, 'leave-group')).body).consumerIdList.sort();
    expect(await ids()).toEqual(['10.0.0.1@1', '10.0.0.2@2', '10.0.0.3@3']);

    const unregister = await unregisters.invoke(
      createRequest(RequestCode.UNREGISTER_CLIENT, { clientID: '10.0.0.2@2', consumerGroup: 'leave-group' }),
      TIMEOUT,
    );
    expect(unregister.code).toBe(ResponseCode.SUCCESS);
    expect(await ids()).toEqual(['10.0.0.1@1', '10.0.0.3@3']);

    closes.close();
    const manager = cluster.brokers[0].controller.consumerManager;
    await eventually(() => manager.getConsumerGroupInfo('leave-group')?.getAllClientIds().length === 1);
    expect(await ids()).toEqual(['10.0.0.1@1']);
  });

  it('registers producers so that a live channel of the group can be found', async () => {
    const connection = await connect();
    const response = await heartbeat(connection, {
      clientID: '10.0.0.5@5',
      producerDataSet: [{ groupName: 'tx-producer-group' }],
      consumerDataSet: [],
    });
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const manager = cluster.brokers[0].controller.producerManager;
    expect(manager.getAvailableChannel('tx-producer-group')).toBeDefined();
    connection.close();
    await eventually(() => manager.getAvailableChannel('tx-producer-group') === undefined);
  });
});
