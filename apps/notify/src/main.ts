import { bootstrapService, loadServiceConfig } from '@flashsale/service-kit';
import { AppModule } from './app.module';
import { NotifyConfig } from './config/notify.config';

void bootstrapService({
  service: 'notify',
  loadConfig: () => loadServiceConfig(NotifyConfig, process.env),
  module: (config) => AppModule.forRoot(config),
});
