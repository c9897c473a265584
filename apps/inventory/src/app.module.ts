import { ProducerGroups } from '@flashsale/contracts';
import { MqModule } from '@flashsale/mq/nest';
import { BrokerHealthIndicator, ServiceKitModule } from '@flashsale/service-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { InventoryConfig } from './config/inventory.config';
import { inventoryDatabase } from './database/inventory.database';
import { ProductModule } from './product/product.module';
import { StockModule } from './stock/stock.module';

/**
 * The inventory service: the product catalogue (HTTP), and the consumers of flows 2 and 3 (stock
 * deduction on ORDER_CREATED, release on ORDER_CLOSED), which run once the app is connected to a
 * RocketMQServer (see inventory-app.ts).
 */
@Module({})
export class AppModule {
  static forRoot(config: InventoryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'inventory',
          config,
          database: inventoryDatabase,
          health: { indicators: [BrokerHealthIndicator] },
        }),
        // The producer of STOCK_DEDUCT_FAILED; started in onModuleInit, before any consumer runs.
        MqModule.forRoot({
          isGlobal: true,
          nameServer: config.NAMESRV_ADDR,
          producerGroup: ProducerGroups.INVENTORY,
        }),
        ProductModule,
        StockModule,
      ],
    };
  }
}
