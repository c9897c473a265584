import { EventPattern } from '@nestjs/microservices';
import {
  PATTERN_EXTRAS_METADATA,
  PATTERN_HANDLER_METADATA,
  PATTERN_METADATA,
  TRANSPORT_METADATA,
} from '@nestjs/microservices/constants';
import { PatternHandler } from '@nestjs/microservices/enums/pattern-handler.enum';
import { MqConsumer } from './decorators/mq-consumer.decorator';
import { MQ_CONSUMER_METADATA, ROCKETMQ_TRANSPORT } from './mq.constants';

describe(MqConsumer.name, () => {
  class Handlers {
    @MqConsumer({ topic: 'OrderCreated', group: 'inventory', tags: 'Created', concurrency: 4 })
    onCreated(): void {}

    @MqConsumer({ topic: 'CacheInvalidated', messageModel: 'BROADCASTING' })
    onInvalidated(): void {}

    @EventPattern({ topic: 'OrderStatus', group: 'notify' }, ROCKETMQ_TRANSPORT, { tags: 'Paid' })
    onStatus(): void {}
  }
  const meta = (key: string, method: keyof Handlers): unknown =>
    Reflect.getMetadata(key, Handlers.prototype[method]);

  it('is an event pattern { topic, group } bound to the RocketMQ transport', () => {
    expect(meta(PATTERN_METADATA, 'onCreated')).toEqual([{ topic: 'OrderCreated', group: 'inventory' }]);
    expect(meta(PATTERN_HANDLER_METADATA, 'onCreated')).toBe(PatternHandler.EVENT);
    expect(meta(TRANSPORT_METADATA, 'onCreated')).toBe(ROCKETMQ_TRANSPORT);
  });

  it('carries tags and group settings as extras, without undefined entries', () => {
    expect(meta(PATTERN_EXTRAS_METADATA, 'onCreated')).toEqual({ tags: 'Created', concurrency: 4 });
    expect(meta(PATTERN_EXTRAS_METADATA, 'onInvalidated')).toEqual({ messageModel: 'BROADCASTING' });
  });

  it('leaves the group out of the pattern when none is given (the server default applies)', () => {
    expect(meta(PATTERN_METADATA, 'onInvalidated')).toEqual([{ topic: 'CacheInvalidated' }]);
  });

  it('keeps its options for introspection', () => {
    expect(meta(MQ_CONSUMER_METADATA, 'onCreated')).toEqual({
      topic: 'OrderCreated',
      group: 'inventory',
      tags: 'Created',
      concurrency: 4,
    });
  });

  it('produces the same metadata as the equivalent plain @EventPattern', () => {
    expect(meta(PATTERN_METADATA, 'onStatus')).toEqual([{ topic: 'OrderStatus', group: 'notify' }]);
    expect(meta(TRANSPORT_METADATA, 'onStatus')).toBe(ROCKETMQ_TRANSPORT);
    expect(meta(PATTERN_EXTRAS_METADATA, 'onStatus')).toEqual({ tags: 'Paid' });
  });
});
