import { ServiceKitModule } from '@flashsale/service-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { OrderConfig } from './config/order.config';
import { orderDatabase } from './database/order.database';

/** The order service. Its feature modules (sale gate, orders, delayed close) are added here. */
@Module({})
export class AppModule {
  static forRoot(config: OrderConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forRoot({ service: 'order', config, database: orderDatabase })],
    };
  }
}
