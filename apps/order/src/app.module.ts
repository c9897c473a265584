import { ProducerGroups } from '@flashsale/contracts';
import { MqModule } from '@flashsale/mq/nest';
import { BrokerHealthIndicator, ServiceKitModule } from '@flashsale/service-kit';
import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { OrderConfig } from './config/order.config';
import { orderDatabase } from './database/order.database';
import { OrderModule } from './order/order.module';
import { PurchaseModule } from './purchase/purchase.module';
import { SaleRedisModule } from './redis/sale-redis.module';
import { SaleModule } from './sale/sale.module';

/**
 * The order service: sales, the purchase gate, orders. Consumers are the @MqConsumer handlers of its
 * controllers, run by the RocketMQServer that app.factory.ts connects (a hybrid HTTP + RocketMQ app).
 */
@Module({})
export class AppModule {
  static forRoot(config: OrderConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'order',
          config,
          database: orderDatabase,
          health: { indicators: [BrokerHealthIndicator] },
          // The purchase route logs its winners itself; losers are counted in /metrics, not logged.
          logging: { selfLoggingRoutes: [{ path: 'sales/:id/purchases', method: RequestMethod.POST }] },
        }),
        MqModule.forRoot({
          isGlobal: true,
          nameServer: config.NAMESRV_ADDR,
          producerGroup: ProducerGroups.ORDER,
        }),
        SaleRedisModule,
        SaleModule,
        PurchaseModule,
        OrderModule,
      ],
    };
  }
}
