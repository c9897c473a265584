import { ServiceKitModule } from '@flashsale/service-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { NotifyConfig } from './config/notify.config';
import { notifyDatabase } from './database/notify.database';

/** The notify service. Its feature modules (ordered status consumer, SMS sender) are added here. */
@Module({})
export class AppModule {
  static forRoot(config: NotifyConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forRoot({ service: 'notify', config, database: notifyDatabase })],
    };
  }
}
