import { Module } from '@nestjs/common';
import { SmsModule } from '../sms/sms.module';
import { NotificationController } from './notification.controller';
import { NotificationRepository } from './notification.repository';
import { OrderStatusConsumer } from './order-status.consumer';

/** Flows 4 and 5: the orderly ORDER_STATUS consumer, and `GET /orders/:orderId/notifications`. */
@Module({
  imports: [SmsModule],
  controllers: [OrderStatusConsumer, NotificationController],
  providers: [NotificationRepository],
})
export class NotificationModule {}
