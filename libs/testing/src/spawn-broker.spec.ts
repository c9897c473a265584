import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { type SpawnedBroker, spawnBrokerForTests } from './spawn-broker';

/** Whether something accepts TCP connections on `addr` (host:port). */
function accepts(addr: string): Promise<boolean> {
  const [host, port] = addr.split(':');
  return new Promise((resolve) => {
    const socket = connect(Number(port), host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('spawnBrokerForTests', () => {
  let broker: SpawnedBroker | undefined;

  afterEach(() => broker?.stop());

  it('starts a NameServer and a registered broker on free ports, and stop() removes everything', async () => {
    broker = await spawnBrokerForTests({ env: { TRANSACTION_CHECK_INTERVAL: '500' } });

    expect(broker.namesrvAddr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(broker.brokerAddr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(broker.brokerAddr).not.toBe(broker.namesrvAddr);
    expect(await accepts(broker.namesrvAddr)).toBe(true);
    expect(await accepts(broker.brokerAddr)).toBe(true);
    expect(existsSync(broker.storeDir)).toBe(true);

    await broker.stop();
    await broker.stop(); // twice is fine

    expect(await accepts(broker.namesrvAddr)).toBe(false);
    expect(await accepts(broker.brokerAddr)).toBe(false);
    expect(existsSync(broker.storeDir)).toBe(false);
  }, 90_000);

  it('fails with the broker output when the broker refuses its settings', async () => {
    await expect(spawnBrokerForTests({ env: { TRANSACTION_CHECK_INTERVAL: 'soon' } })).rejects.toThrow(
      /broker did not start[\s\S]*TRANSACTION_CHECK_INTERVAL/,
    );
  }, 90_000);
});
