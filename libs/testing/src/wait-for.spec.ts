import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first truthy value the probe returns', async () => {
    let calls = 0;
    const value = await waitFor(
      () => (++calls >= 3 ? `ready after ${calls}` : undefined),
      'the probe',
      1000,
      5,
    );
    expect(value).toBe('ready after 3');
  });

  it('rejects naming what it waited for once the time is up', async () => {
    await expect(waitFor(async () => false, 'a queue to drain', 50, 10)).rejects.toThrow(
      'timed out waiting for a queue to drain',
    );
  });
});
