/**
 * Flows 4 and 5 of DESIGN.md §4 — ordered status updates, and one SMS per (order, status).
 *
 * Interview questions answered here:
 * - 「顺序消息是如何实现的？有没有副作用？」 (How are ordered messages implemented, and what are the
 *   side effects?) — the order service sends every status change of an order with the order id as the
 *   sharding key, so all of them land on one queue; this consumer is orderly: one handler call per
 *   queue at a time, under the broker's queue lock. A failed SMS suspends the queue and retries the
 *   same message in place, so PAID can never be texted before CREATED. The side effect: while it
 *   retries, every other order hashed to that queue waits too (head-of-line blocking), hence the
 *   bounded NOTIFY_MAX_RECONSUME_TIMES.
 * - 「死信队列的使用场景？」 (What is the dead-letter queue for?) — after NOTIFY_MAX_RECONSUME_TIMES
 *   failed retries the message goes to %DLQ%notify-status-consumer, the queue moves on, and the row is
 *   left FAILED until the dead letter is resent.
 *
 * Exactly one SMS per (order, status) — the steps and why:
 * 1. claim: insert the row (unique (order_id, status)) if new and count the attempt, in one committed
 *    transaction; a row already SENT means a redelivery after a successful send → acknowledge, skip.
 * 2. send through the SmsProvider with the idempotency key `<orderId>:<status>`.
 * 3. mark SENT (sent_at, provider message id). On a provider error: record it, and throw so the queue
 *    is suspended and the message retried in place.
 * The window left: the provider accepted the SMS but step 3 never happened (crash, database down). The
 * row is still PENDING, the redelivery sends again — and only the provider can tell: it sees the same
 * idempotency key and answers with the first message id without texting again (LocalSmsGateway does).
 * A provider without such a key would text twice in that window; no ordering of our own steps avoids
 * it, because "send" and "record" cannot be one transaction.
 */
import { ConsumerGroups, Topics } from '@flashsale/contracts';
import { MqConsumer, RocketMQContext } from '@flashsale/mq/nest';
import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { NotifyConfig } from '../config/notify.config';
import { parseMessage } from '@flashsale/service-kit';
import { SMS_PROVIDER, type SmsProvider } from '../sms/sms-provider';
import {
  idempotencyKeyOf,
  notificationBody,
  OrderStatusChangedMessage,
  recipientOf,
} from './order-status-message';
import { NotificationRepository } from './notification.repository';

@Controller()
export class OrderStatusConsumer {
  private readonly logger = new Logger(OrderStatusConsumer.name);

  constructor(
    private readonly notifications: NotificationRepository,
    @Inject(SMS_PROVIDER) private readonly sms: SmsProvider,
    private readonly config: NotifyConfig,
  ) {}

  // maxReconsumeTimes comes from NOTIFY_MAX_RECONSUME_TIMES through the RocketMQServer (notify-app.ts).
  @MqConsumer({
    topic: Topics.ORDER_STATUS,
    group: ConsumerGroups.NOTIFY_STATUS,
    orderly: true,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  })
  async onStatusChanged(@Payload() payload: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    const change = parseMessage(OrderStatusChangedMessage, payload);
    const notification = await this.notifications.claimAttempt({
      orderId: change.orderId,
      status: change.status,
      phone: recipientOf(change),
      body: notificationBody(change),
    });
    if (notification === null) {
      this.logger.log(`order ${change.orderId} ${change.status}: already sent, not sending again`);
      return;
    }

    try {
      const receipt = await this.sms.send({
        to: notification.phone,
        body: notification.body,
        idempotencyKey: idempotencyKeyOf(change),
      });
      await this.notifications.markSent(notification.id, receipt.providerMessageId);
    } catch (error) {
      // The orderly consumer dead-letters a message that fails with reconsumeTimes at the maximum.
      const lastAttempt = context.getReconsumeTimes() >= this.config.NOTIFY_MAX_RECONSUME_TIMES;
      const reason = error instanceof Error ? error.message : String(error);
      await this.notifications.markFailed(notification.id, reason, lastAttempt).catch(() => undefined);
      this.logger.warn(
        `order ${change.orderId} ${change.status}: attempt ${notification.attempts} failed (${reason})` +
          (lastAttempt ? '; going to the dead-letter queue' : '; retrying in place'),
      );
      throw error;
    }
  }
}
