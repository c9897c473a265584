import { ConsumerGroups, type StockDeductFailedEvent, Topics } from '@flashsale/contracts';
import { MqConsumer, RocketMQContext } from '@flashsale/mq/nest';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { OrderService } from './order.service';

/**
 * Inventory refused to deduct the stock of a created order (it would go negative, or the SKU is
 * unknown): the order is cancelled and its Redis unit given back (OrderService.cancelAfterFailedDeduction).
 */
@Controller()
export class StockDeductFailedConsumer {
  private readonly logger = new Logger(StockDeductFailedConsumer.name);

  constructor(private readonly orders: OrderService) {}

  @MqConsumer({
    topic: Topics.STOCK_DEDUCT_FAILED,
    group: ConsumerGroups.ORDER_DEDUCT_FAILED,
    concurrency: 4,
  })
  async onStockDeductFailed(@Payload() event: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    const failed = event as Partial<StockDeductFailedEvent> | null;
    if (typeof failed?.orderId !== 'string') {
      this.logger.error(`malformed stock-deduct-failed message ${context.getMsgId()} dropped`);
      return;
    }
    await this.orders.cancelAfterFailedDeduction(failed as StockDeductFailedEvent);
  }
}
