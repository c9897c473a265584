import { spawnBrokerForTests, type SpawnedBroker } from '@flashsale/testing';
import { createServer, type Server } from 'node:net';
import { waitForBroker } from '../src/bootstrap/create-hybrid-service-app';

/** `npm start` starts the broker and the services side by side: a service waits for the broker. */
describe('waitForBroker', () => {
  let broker: SpawnedBroker | undefined;

  afterAll(async () => {
    await broker?.stop();
  });

  it('gives up with a clear error when no NameServer answers', async () => {
    const silent: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const started = Date.now();
    try {
      await expect(waitForBroker(`127.0.0.1:${port}`, 1500)).rejects.toThrow(/no broker registered/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    } finally {
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('returns once a broker has registered with the NameServer', async () => {
    broker = await spawnBrokerForTests();
    await expect(waitForBroker(broker.namesrvAddr, 10_000)).resolves.toBeUndefined();
  }, 60_000);
});
