import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { OrderTransactionProducer } from '../messaging/order-transaction.producer';
import { SaleModule } from '../sale/sale.module';
import { OrderCloseConsumer } from './order-close.consumer';
import { OrderTransactionListener } from './order-transaction.listener';
import { OrderController } from './order.controller';
import { OrderService } from './order.service';
import { StockDeductFailedConsumer } from './stock-deduct-failed.consumer';

/** Orders after creation (pay, cancel, close) and the transactional producer that creates them. */
@Module({
  imports: [SaleModule, MessagingModule],
  controllers: [OrderController, OrderCloseConsumer, StockDeductFailedConsumer],
  providers: [OrderService, OrderTransactionListener, OrderTransactionProducer],
  exports: [OrderService, OrderTransactionProducer],
})
export class OrderModule {}
