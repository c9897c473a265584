import { lastValueFrom } from 'rxjs';
import { Producer } from '../client';
import { RocketMQClient } from './client-rocketmq';

describe(RocketMQClient.name, () => {
  it('needs a producer or nameServer + producerGroup', () => {
    expect(() => new RocketMQClient({ nameServer: '127.0.0.1:1' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });

  it('refuses send(): RocketMQ has no request-response', async () => {
    const client = new RocketMQClient({ nameServer: '127.0.0.1:1', producerGroup: 'pg' });
    await expect(lastValueFrom(client.send('T', {}))).rejects.toMatchObject({
      code: 'REQUEST_RESPONSE_NOT_SUPPORTED',
    });
  });

  it('rejects an emit pattern without a topic', async () => {
    const producer = new Producer({ nameServer: '127.0.0.1:1', producerGroup: 'pg' });
    const client = new RocketMQClient({ producer });
    await expect(lastValueFrom(client.emit({ tags: 'A' }, {}))).rejects.toMatchObject({
      code: 'INVALID_PATTERN',
    });
    expect(client.unwrap()).toBe(producer);
  });
});
