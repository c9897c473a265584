/**
 * Failure handling over real TCP: connect backoff, NameServer failover, and a producer retrying on the
 * other broker when one broker of the topic is gone.
 */
import { AdminClient, Producer, RemotingClient, RemotingConnectionError, createRequest } from '@flashsale/mq';
import { type TestCluster, startTestCluster, uniqueName, unusedPort } from './support/client-test-helpers';

describe('RemotingClient', () => {
  it('fails fast during the reconnect backoff after a failed connect', async () => {
    const addr = `127.0.0.1:${await unusedPort()}`;
    const client = new RemotingClient();
    try {
      await expect(client.invoke(addr, createRequest(105), 1000)).rejects.toBeInstanceOf(
        RemotingConnectionError,
      );
      await expect(client.invoke(addr, createRequest(105), 1000)).rejects.toThrow(/not reconnecting/);
      await new Promise((resolve) => setTimeout(resolve, 120));
      // Backoff over: a real attempt again (and a longer backoff after it).
      await expect(client.invoke(addr, createRequest(105), 1000)).rejects.toThrow(/connect to .* failed/);
    } finally {
      client.close();
    }
  });
});

describe('with two brokers', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({ brokers: 2 });
  });
  afterAll(async () => cluster.stop());

  it('finds routes through the next NameServer when the first is down', async () => {
    const deadNamesrv = `127.0.0.1:${await unusedPort()}`;
    const admin = new AdminClient({ nameServer: `${deadNamesrv};${cluster.namesrvAddr}` });
    try {
      const info = await admin.getClusterInfo();
      expect(Object.keys(info.brokerAddrTable).sort()).toEqual(['broker-a', 'broker-b']);
    } finally {
      admin.close();
    }
  });

  it('retries a send on the other broker when one broker is down', async () => {
    const topic = uniqueName('Failover');
    const admin = new AdminClient({ nameServer: cluster.namesrvAddr });
    await admin.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
    admin.close();
    const producer = new Producer({ nameServer: cluster.namesrvAddr, producerGroup: uniqueName('pg') });
    await producer.start();
    try {
      const warmup = await Promise.all(
        Array.from({ length: 8 }, (_, i) => producer.send({ topic, body: `w${i}` })),
      );
      expect(new Set(warmup.map((result) => result.messageQueue.brokerName))).toEqual(
        new Set(['broker-a', 'broker-b']),
      );

      // broker-b dies; the producer's cached route still lists it until the next refresh.
      await cluster.brokers[1].controller.shutdown();
      const results = [];
      for (let i = 0; i < 10; i++) results.push(await producer.send({ topic, body: `m${i}` }));
      expect(results.every((result) => result.sendStatus === 'SEND_OK')).toBe(true);
      expect(new Set(results.map((result) => result.messageQueue.brokerName))).toEqual(new Set(['broker-a']));
    } finally {
      await producer.shutdown();
    }
  });
});
