import { BrokerHealthIndicator, ServiceKitModule } from '@flashsale/service-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { NotifyConfig } from './config/notify.config';
import { notifyDatabase } from './database/notify.database';
import { NotificationModule } from './notification/notification.module';

/**
 * The notify service: the orderly status consumer of flows 4 and 5 (which runs once the app is
 * connected to a RocketMQServer, see notify-app.ts) and the notifications API. It only consumes, so
 * it has no MqModule producer.
 */
@Module({})
export class AppModule {
  static forRoot(config: NotifyConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'notify',
          config,
          database: notifyDatabase,
          health: { indicators: [BrokerHealthIndicator] },
        }),
        NotificationModule,
      ],
    };
  }
}
