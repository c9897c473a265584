import { createServer } from 'node:net';
import { freePort } from './free-port';

describe('freePort', () => {
  it('returns the preferred port when it is free and another one when it is taken', async () => {
    const preferred = await freePort();
    expect(await freePort(preferred)).toBe(preferred);

    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(preferred, '127.0.0.1', resolve));
    try {
      const other = await freePort(preferred);
      expect(other).not.toBe(preferred);
      expect(other).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
