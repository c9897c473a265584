/**
 * Flow 3 (DESIGN §4.3) — delayed order close, the consuming side: when an order's close check fires
 * and the order is still unpaid, it closes and its stock goes back (inventory, on ORDER_CLOSED).
 *
 * Interview: "延迟消息可以精确到毫秒吗？" (Can a delay message be precise to the millisecond?) — see
 * order-close.scheduler.ts; and "a payment that arrives after the close": the close is a conditional
 * update (OrderService.closeIfUnpaid), so pay and close race on the row lock and exactly one wins; the
 * losing payment is refused with 409 ORDER_CLOSED.
 *
 * Idempotent by construction: the update moves an order out of CREATED once; a duplicate close check
 * changes nothing and only re-sends ORDER_CLOSED / ORDER_STATUS, which are deduped by order id.
 */
import { ConsumerGroups, Topics } from '@flashsale/contracts';
import { MqConsumer, RocketMQContext } from '@flashsale/mq/nest';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { OrderCloseCheckMessage } from '../messaging/order-close.scheduler';
import { OrderService } from './order.service';

@Controller()
export class OrderCloseConsumer {
  private readonly logger = new Logger(OrderCloseConsumer.name);

  constructor(private readonly orders: OrderService) {}

  @MqConsumer({ topic: Topics.ORDER_CLOSE_CHECK, group: ConsumerGroups.ORDER_CLOSE, concurrency: 4 })
  async onCloseCheck(@Payload() message: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    const orderId = (message as Partial<OrderCloseCheckMessage> | null)?.orderId;
    if (typeof orderId !== 'string') {
      this.logger.error(`malformed close check ${context.getMsgId()} dropped`);
      return;
    }
    const outcome = await this.orders.closeIfUnpaid(orderId);
    this.logger.log(`close check of order ${orderId}: ${outcome}`);
  }
}
