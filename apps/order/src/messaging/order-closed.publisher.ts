import { type OrderClosedEvent, Topics } from '@flashsale/contracts';
import { Producer } from '@flashsale/mq';
import { InjectProducer } from '@flashsale/mq/nest';
import { Injectable } from '@nestjs/common';
import { requireSendOk } from './require-send-ok';

/**
 * ORDER_CLOSED: an order that will never be paid (closed by the timer, or cancelled by the buyer), so
 * inventory gives its stock back — in its database, and into the sale's Redis stock through the shared
 * `released` set, once per order. Keyed by order id: inventory's idempotency key.
 */
@Injectable()
export class OrderClosedPublisher {
  constructor(@InjectProducer() private readonly producer: Producer) {}

  async publish(event: OrderClosedEvent): Promise<void> {
    const result = await this.producer.send({
      topic: Topics.ORDER_CLOSED,
      body: JSON.stringify(event),
      tags: event.status,
      keys: event.orderId,
    });
    requireSendOk(result, `ORDER_CLOSED of ${event.orderId}`);
  }
}
