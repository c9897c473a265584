import { bootstrapService, loadServiceConfig } from '@flashsale/service-kit';
import { NotifyConfig } from './config/notify.config';
import { createNotifyApp, notifyAppOptions } from './notify-app';

void bootstrapService({
  service: 'notify',
  loadConfig: () => loadServiceConfig(NotifyConfig, process.env),
  create: createNotifyApp,
  app: notifyAppOptions,
});
