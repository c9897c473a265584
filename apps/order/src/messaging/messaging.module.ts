import { Module } from '@nestjs/common';
import { OrderCloseScheduler } from './order-close.scheduler';
import { OrderClosedPublisher } from './order-closed.publisher';
import { OrderStatusPublisher } from './order-status.publisher';

/** The messages the order service sends with its plain producer (MqModule's default producer). */
@Module({
  providers: [OrderStatusPublisher, OrderClosedPublisher, OrderCloseScheduler],
  exports: [OrderStatusPublisher, OrderClosedPublisher, OrderCloseScheduler],
})
export class MessagingModule {}
