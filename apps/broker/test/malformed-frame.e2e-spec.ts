/**
 * Bad input loses nothing: a connection that sends a malformed frame is closed, and only that one —
 * every other client keeps getting answers from the same broker.
 */
import { connect, type Socket } from 'node:net';
import { RemotingConnection, ResponseCode } from '@flashsale/mq/protocol';
import { createTopic, sendHeader, sendMessage } from './support/broker-client';
import { type TestCluster, startTestCluster } from './support/broker-harness';

describe('malformed frames (e2e)', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  function rawSocket(): Promise<Socket> {
    const [host, port] = cluster.brokers[0].addr.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port: Number(port) }, () => resolve(socket));
      socket.once('error', reject);
    });
  }

  function closed(socket: Socket): Promise<void> {
    return new Promise((resolve) => {
      if (socket.destroyed) resolve();
      socket.once('close', () => resolve());
    });
  }

  it.each([
    ['an unknown serialize type', Buffer.from([0, 0, 0, 8, 7, 0, 0, 2, 0x7b, 0x7d, 0, 0])],
    [
      'a header that is not JSON',
      Buffer.concat([Buffer.from([0, 0, 0, 9, 0, 0, 0, 5]), Buffer.from('nope!')]),
    ],
    ['a length beyond the frame limit', Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0])],
  ])('closes only the connection that sent %s', async (_what, garbage) => {
    const healthy = await RemotingConnection.connect(cluster.brokers[0].addr);
    try {
      expect((await createTopic(healthy, 'FrameTopic', 4)).code).toBe(ResponseCode.SUCCESS);
      const bad = await rawSocket();
      bad.on('error', () => undefined);
      bad.write(garbage);
      await closed(bad);

      const response = await sendMessage(healthy, sendHeader('FrameTopic'), Buffer.from('still here'));
      expect(response.code).toBe(ResponseCode.SUCCESS);
      expect(healthy.isActive).toBe(true);
    } finally {
      healthy.close();
    }
  });
});
