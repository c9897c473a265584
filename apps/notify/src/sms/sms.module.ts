import { Module } from '@nestjs/common';
import { NotifyConfig } from '../config/notify.config';
import { LocalSmsGateway } from './local-sms-gateway';
import { SMS_PROVIDER, type SmsProvider } from './sms-provider';

/** Provides the SmsProvider chosen by SMS_PROVIDER (today only `local`). */
@Module({
  providers: [
    {
      provide: SMS_PROVIDER,
      inject: [NotifyConfig],
      useFactory: (config: NotifyConfig): SmsProvider => {
        switch (config.SMS_PROVIDER) {
          case 'local':
            return new LocalSmsGateway({
              latencyMs: config.SMS_LATENCY_MS,
              failureRate: config.SMS_FAILURE_RATE,
            });
        }
      },
    },
  ],
  exports: [SMS_PROVIDER],
})
export class SmsModule {}
