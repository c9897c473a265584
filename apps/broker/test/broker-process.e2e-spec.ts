/**
 * main.ts as a real process: it registers with the NameServer, stops on SIGTERM with exit code 0 after
 * unregistering and flushing, and a restart on the same store directory still serves what was sent.
 */
import { freePort, tempDir, type TempDir } from '@flashsale/testing';
import {
  RemotingConnection,
  RequestCode,
  ResponseCode,
  createRequest,
  decodeOffsetMessageId,
  decodeStoredMessage,
} from '@flashsale/mq/protocol';
import {
  TIMEOUT,
  createTopic,
  getRoute,
  sendHeader,
  sendMessage,
  waitForRoute,
} from './support/broker-client';
import {
  type BrokerProcess,
  type TestCluster,
  spawnBrokerProcess,
  startTestCluster,
} from './support/broker-harness';

jest.setTimeout(90_000);

describe('broker process (e2e)', () => {
  let cluster: TestCluster;
  let storeDir: TempDir;
  let broker: BrokerProcess | undefined;

  beforeAll(async () => {
    cluster = await startTestCluster({ brokers: 0 });
    storeDir = await tempDir('broker-process-');
  });

  afterAll(async () => {
    await broker?.kill9();
    await cluster?.stop();
    await storeDir?.remove();
  });

  it('stops cleanly on SIGTERM and keeps its messages across a restart', async () => {
    const port = await freePort();
    const options = {
      storeDir: storeDir.path,
      namesrvAddr: cluster.namesrvAddr,
      port,
      flushDiskType: 'SYNC_FLUSH' as const,
    };
    broker = await spawnBrokerProcess(options);

    const ids: string[] = [];
    const connection = await RemotingConnection.connect(broker.addr);
    try {
      expect((await createTopic(connection, 'ProcessTopic', 4)).code).toBe(ResponseCode.SUCCESS);
      await waitForRoute(cluster.namesrvAddr, 'ProcessTopic');
      for (let i = 0; i < 100; i++) {
        const response = await sendMessage(
          connection,
          sendHeader('ProcessTopic', { queueId: i % 4 }),
          Buffer.from(`m${i}`),
        );
        expect(response.code).toBe(ResponseCode.SUCCESS);
        ids.push(response.extFields.msgId);
      }
    } finally {
      connection.close();
    }

    expect(await broker.stop()).toBe(0);
    expect(await getRoute(cluster.namesrvAddr, 'ProcessTopic')).toBeUndefined();

    broker = await spawnBrokerProcess(options);
    await waitForRoute(cluster.namesrvAddr, 'ProcessTopic');
    const again = await RemotingConnection.connect(broker.addr);
    try {
      for (let i = 0; i < ids.length; i++) {
        const { commitLogOffset } = decodeOffsetMessageId(ids[i]);
        const response = await again.invoke(
          createRequest(RequestCode.VIEW_MESSAGE_BY_ID, { offset: String(commitLogOffset) }),
          TIMEOUT,
        );
        expect(response.code).toBe(ResponseCode.SUCCESS);
        const decoded = decodeStoredMessage(response.body!, 0);
        expect(decoded.status === 'OK' && decoded.message.body.toString()).toBe(`m${i}`);
      }
    } finally {
      again.close();
    }
    expect(await broker.stop()).toBe(0);
    broker = undefined;
  });
});
