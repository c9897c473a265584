import { SetMetadata, applyDecorators } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { MQ_CONSUMER_METADATA, ROCKETMQ_TRANSPORT } from '../mq.constants';
import {
  type MqConsumerExtras,
  type MqConsumerOptions,
  type RocketMQPattern,
} from '../interfaces/rocketmq-options.interface';

/**
 * Marks a controller method as the handler of one topic in one consumer group:
 * `@EventPattern({ topic, group }, ROCKETMQ_TRANSPORT, { tags, ...groupSettings })` under a RocketMQ
 * name, so `@Payload()`, `@Ctx()`, pipes, guards, interceptors and filters work as for any Nest event.
 * Bound to RocketMQServer only: in a hybrid app with other transports they do not see the handler.
 *
 * Resolve (or return an Observable that emits or completes) to acknowledge; throw or reject to have
 * the message redelivered through %RETRY%<group>, up to maxReconsumeTimes, then %DLQ%<group>.
 */
export function MqConsumer(options: MqConsumerOptions): MethodDecorator {
  const { topic, group, ...rest } = options;
  const pattern: RocketMQPattern = group === undefined ? { topic } : { topic, group };
  const extras: MqConsumerExtras = Object.fromEntries(
    Object.entries(rest).filter(([, value]) => value !== undefined),
  );
  return applyDecorators(
    EventPattern(pattern, ROCKETMQ_TRANSPORT, extras),
    SetMetadata(MQ_CONSUMER_METADATA, options),
  );
}
