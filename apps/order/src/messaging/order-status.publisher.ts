/**
 * Flow 4 (DESIGN §4.4) — ordered status updates, the producer side: every status change of an order
 * goes to ORDER_STATUS with the order id as the sharding key, so all of one order's changes land in
 * one queue and notify's orderly consumer sees them in the order they happened.
 *
 * Interview: "顺序消息是如何实现的？有没有副作用？" (How are ordered messages implemented, and what does
 * it cost?) — by queue choice: `hashSelector(orderId)` = abs(hash % queueCount), the same queue every
 * time (Java's SelectMessageQueueByHash). The cost: no retry on another broker for these sends, a hot
 * order cannot spread over queues, and the order holds only while the queue count stays the same.
 */
import { type OrderStatusChangedEvent, Topics } from '@flashsale/contracts';
import { Producer, hashSelector } from '@flashsale/mq';
import { InjectProducer } from '@flashsale/mq/nest';
import { Injectable } from '@nestjs/common';
import type { OrderStatus } from '../order/order-status';
import { requireSendOk } from './require-send-ok';

/** What the publisher needs of an order. */
export interface StatusSubject {
  id: string;
  userId: string;
}

@Injectable()
export class OrderStatusPublisher {
  constructor(@InjectProducer() private readonly producer: Producer) {}

  async publish(order: StatusSubject, status: OrderStatus, changedAt = new Date()): Promise<void> {
    const event: OrderStatusChangedEvent = {
      orderId: order.id,
      userId: order.userId,
      status,
      changedAt: changedAt.toISOString(),
    };
    const result = await this.producer.send(
      { topic: Topics.ORDER_STATUS, body: JSON.stringify(event), tags: status, keys: order.id },
      { selector: hashSelector(order.id) },
    );
    requireSendOk(result, `ORDER_STATUS ${status} of ${order.id}`);
  }
}
