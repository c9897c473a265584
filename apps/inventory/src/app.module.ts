import { ServiceKitModule } from '@flashsale/service-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { InventoryConfig } from './config/inventory.config';
import { inventoryDatabase } from './database/inventory.database';

/** The inventory service. Its feature modules (stock deduction and release consumers) are added here. */
@Module({})
export class AppModule {
  static forRoot(config: InventoryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forRoot({ service: 'inventory', config, database: inventoryDatabase })],
    };
  }
}
