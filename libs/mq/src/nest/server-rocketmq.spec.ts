import { Logger } from '@nestjs/common';
import { type MessageHandler } from '@nestjs/microservices';
import { RocketMQServer } from './server-rocketmq';

const handler = (): MessageHandler => Object.assign(async () => undefined, {});

describe(RocketMQServer.name, () => {
  it('registers event handlers under their canonical { group, topic } route', () => {
    const server = new RocketMQServer({ nameServer: '127.0.0.1:1', consumerGroup: 'default-group' });
    server.addHandler('OrderCreated', handler(), true, {});
    server.addHandler({ topic: 'OrderCreated', group: 'audit' }, handler(), true, { tags: 'A' });
    expect([...server.getHandlers().keys()].sort()).toEqual([
      '{"group":"audit","topic":"OrderCreated"}',
      '{"group":"default-group","topic":"OrderCreated"}',
    ]);
    expect(server.getHandlers().get('{"group":"audit","topic":"OrderCreated"}')?.extras).toEqual({
      tags: 'A',
    });
  });

  it('ignores request-response handlers (RocketMQ has no reply channel)', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const server = new RocketMQServer({ nameServer: '127.0.0.1:1', consumerGroup: 'g' });
    server.addHandler('T', handler(), false);
    expect(server.getHandlers().size).toBe(0);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('@MessagePattern T ignored'));
    warn.mockRestore();
  });

  it('reports a bad handler pattern to the listen callback', async () => {
    const server = new RocketMQServer({ nameServer: '127.0.0.1:1' });
    server.addHandler('T', handler(), true, {});
    const error = await new Promise((resolve) => void server.listen(resolve));
    expect(error).toMatchObject({ name: 'RocketMQTransportError', code: 'MISSING_CONSUMER_GROUP' });
  });

  it('cannot be unwrapped before it listens', () => {
    const server = new RocketMQServer({ nameServer: '127.0.0.1:1' });
    expect(() => server.unwrap()).toThrow(expect.objectContaining({ code: 'NOT_INITIALIZED' }));
  });
});
