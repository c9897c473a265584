/**
 * Flow 3 (DESIGN §4.3) — delayed order close, the sending side: one delayed message per order, sent
 * once the order exists; when it fires, OrderCloseConsumer closes the order if it is still unpaid.
 *
 * Interview: "延迟消息可以精确到毫秒吗？" (Can a delay message be precise to the millisecond?) — with 4.x
 * delay levels, no: 18 fixed levels (1s 5s 10s 30s 1m ... 30m 1h 2h), which is why a 30-minute close
 * uses level 16. 5.x timer messages take any delay (TIMER_DELAY_MS, sent here by default), but the
 * broker's timing wheel rounds the delivery time down to its precision (1 s by default), so a timer
 * message can arrive up to one step early (and a few ms late). Neither is a millisecond scheduler,
 * which a close does not need: the conditional update makes an early close check simply find the
 * order still unpaid or already paid.
 */
import { Topics } from '@flashsale/contracts';
import { type Message, Producer } from '@flashsale/mq';
import { InjectProducer } from '@flashsale/mq/nest';
import { Injectable } from '@nestjs/common';
import { OrderConfig } from '../config/order.config';
import { requireSendOk } from './require-send-ok';

/** Body of an ORDER_CLOSE_CHECK message; the order service both sends and consumes it. */
export interface OrderCloseCheckMessage {
  orderId: string;
  /** When the close was scheduled (the broker decides the delivery time). */
  scheduledAt: string;
}

@Injectable()
export class OrderCloseScheduler {
  constructor(
    @InjectProducer() private readonly producer: Producer,
    private readonly config: OrderConfig,
  ) {}

  async schedule(orderId: string, now = Date.now()): Promise<void> {
    const level = this.config.ORDER_CLOSE_DELAY_LEVEL;
    const body: OrderCloseCheckMessage = { orderId, scheduledAt: new Date(now).toISOString() };
    const message: Message = {
      topic: Topics.ORDER_CLOSE_CHECK,
      body: JSON.stringify(body),
      keys: orderId,
      ...(level !== undefined
        ? { delayTimeLevel: level }
        : { delayTimeMs: this.config.ORDER_CLOSE_DELAY_MS }),
    };
    requireSendOk(await this.producer.send(message), `ORDER_CLOSE_CHECK of ${orderId}`);
  }
}
