/**
 * The `@Ctx()` of a RocketMQ handler: the consumed MessageExt and the group that consumes it.
 *
 * Interview question: "How do you make a consumer idempotent?" — dedupe on what the context exposes:
 * `getKeys()` (the business key the producer set, e.g. the order id) or `getMsgId()`, and look at
 * `getReconsumeTimes()` to see a redelivery.
 */
import { BaseRpcContext } from '@nestjs/microservices';
import { type MessageExt } from '../../client';

type RocketMQContextArgs = [message: MessageExt, group: string];

export class RocketMQContext extends BaseRpcContext<RocketMQContextArgs> {
  constructor(args: RocketMQContextArgs) {
    super(args);
  }

  /** The message as consumed: body (Buffer), properties, store and born timestamps, offsets. */
  getMessage(): MessageExt {
    return this.args[0];
  }

  getConsumerGroup(): string {
    return this.args[1];
  }

  /** The original topic, also for a message redelivered through %RETRY%<group>. */
  getTopic(): string {
    return this.args[0].topic;
  }

  getTags(): string | undefined {
    return this.args[0].tags;
  }

  getKeys(): string[] {
    return this.args[0].keys;
  }

  /** The producer's UNIQ_KEY (stable across retries), else the broker's offset message id. */
  getMsgId(): string {
    return this.args[0].msgId;
  }

  getQueueId(): number {
    return this.args[0].queueId;
  }

  getQueueOffset(): number {
    return this.args[0].queueOffset;
  }

  /** 0 on first delivery; n on the n-th redelivery after a failure. */
  getReconsumeTimes(): number {
    return this.args[0].reconsumeTimes;
  }

  getProperties(): Record<string, string> {
    return this.args[0].properties;
  }
}
