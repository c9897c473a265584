import { ConsumerGroups, type PurchaseRequestedEvent, Topics } from '@flashsale/contracts';
import { MqConsumer, RocketMQContext } from '@flashsale/mq/nest';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { OrderPlacementService } from './order-placement.service';

/**
 * Consumes admitted purchase requests at the pace the database takes: the group's concurrency is
 * PURCHASE_CONSUMER_CONCURRENCY (the RocketMQServer's default, see app.factory.ts), however fast the
 * gate lets requests in. The backlog waits in the broker, not in this process or the database.
 */
@Controller()
export class PurchaseRequestConsumer {
  private readonly logger = new Logger(PurchaseRequestConsumer.name);

  constructor(private readonly placement: OrderPlacementService) {}

  @MqConsumer({ topic: Topics.PURCHASE_REQUEST, group: ConsumerGroups.ORDER_PURCHASE })
  async onPurchaseRequest(@Payload() request: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    if (!isPurchaseRequest(request)) {
      // A retry cannot fix a malformed body: acknowledge it, and say so.
      this.logger.error(`malformed purchase request ${context.getMsgId()} dropped`);
      return;
    }
    await this.placement.place(request);
  }
}

function isPurchaseRequest(value: unknown): value is PurchaseRequestedEvent {
  const event = value as Partial<PurchaseRequestedEvent> | null;
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof event.ticket === 'string' &&
    typeof event.saleId === 'string' &&
    typeof event.userId === 'string' &&
    Number.isInteger(event.quantity) &&
    (event.quantity ?? 0) > 0
  );
}
