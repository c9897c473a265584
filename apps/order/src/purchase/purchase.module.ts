import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { OrderModule } from '../order/order.module';
import { SaleModule } from '../sale/sale.module';
import { OrderPlacementService } from './order-placement.service';
import { PurchaseGate } from './purchase-gate';
import { PurchaseMetrics } from './purchase-metrics';
import { PurchasePace } from './purchase-pace';
import { PurchaseRateLimiter } from './purchase-rate-limiter';
import { PurchaseRequestConsumer } from './purchase-request.consumer';
import { PurchaseRoute } from './purchase.route';
import { PurchaseService } from './purchase.service';
import { TicketController } from './ticket.controller';

/**
 * The gate (`POST /sales/:id/purchases`, a plain Fastify route), the tickets buyers poll, and the
 * purchase request consumer that turns admitted requests into orders.
 */
@Module({
  imports: [SaleModule, OrderModule, MessagingModule],
  controllers: [TicketController, PurchaseRequestConsumer],
  providers: [
    PurchaseRoute,
    PurchaseService,
    PurchaseMetrics,
    PurchasePace,
    PurchaseGate,
    PurchaseRateLimiter,
    OrderPlacementService,
  ],
})
export class PurchaseModule {}
