import { ConsumerGroups, type PurchaseRequestedEvent, Topics } from '@flashsale/contracts';
import { MqConsumer, RocketMQContext } from '@flashsale/mq/nest';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { OrderPlacementService } from './order-placement.service';
import { PurchasePace } from './purchase-pace';

/**
 * Consumes admitted purchase requests at the pace the database takes, however fast the gate lets
 * requests in: PURCHASE_ORDERS_PER_SECOND (purchase-pace.ts), with at most
 * PURCHASE_CONSUMER_CONCURRENCY in flight (the RocketMQServer's default, see app.factory.ts). The
 * backlog waits in the broker as consumer lag, not in the database.
 */
@Controller()
export class PurchaseRequestConsumer {
  private readonly logger = new Logger(PurchaseRequestConsumer.name);

  constructor(
    private readonly placement: OrderPlacementService,
    private readonly pace: PurchasePace,
  ) {}

  @MqConsumer({ topic: Topics.PURCHASE_REQUEST, group: ConsumerGroups.ORDER_PURCHASE })
  async onPurchaseRequest(@Payload() request: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    if (!isPurchaseRequest(request)) {
      // A retry cannot fix a malformed body: acknowledge it, and say so.
      this.logger.error(`malformed purchase request ${context.getMsgId()} dropped`);
      return;
    }
    await this.pace.take();
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
