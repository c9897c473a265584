import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { OrderModule } from '../order/order.module';
import { SaleModule } from '../sale/sale.module';
import { OrderPlacementService } from './order-placement.service';
import { PurchaseGate } from './purchase-gate';
import { PurchaseMetrics } from './purchase-metrics';
import { PurchaseRateLimiter } from './purchase-rate-limiter';
import { PurchaseRequestConsumer } from './purchase-request.consumer';
import { PurchaseController } from './purchase.controller';
import { PurchaseService } from './purchase.service';

/** The gate (HTTP) and the purchase request consumer that turns admitted requests into orders. */
@Module({
  imports: [SaleModule, OrderModule, MessagingModule],
  controllers: [PurchaseController, PurchaseRequestConsumer],
  providers: [PurchaseService, PurchaseMetrics, PurchaseGate, PurchaseRateLimiter, OrderPlacementService],
})
export class PurchaseModule {}
