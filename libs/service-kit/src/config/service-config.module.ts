import { type DynamicModule, Global, Module, type ValueProvider } from '@nestjs/common';
import { BaseServiceConfig } from './base-service.config';

/** Injection token for the service's name (`order`, `inventory`, `notify`). */
export const SERVICE_NAME = 'SERVICE_NAME';

/**
 * Makes the validated configuration injectable everywhere, both by the service's own class
 * (`constructor(private readonly config: OrderConfig)`) and by {@link BaseServiceConfig} for shared code.
 */
@Global()
@Module({})
export class ServiceConfigModule {
  static forRoot(service: string, config: BaseServiceConfig): DynamicModule {
    const providers: ValueProvider[] = [
      { provide: SERVICE_NAME, useValue: service },
      { provide: BaseServiceConfig, useValue: config },
    ];
    if (config.constructor !== BaseServiceConfig)
      providers.push({ provide: config.constructor, useValue: config });
    return {
      module: ServiceConfigModule,
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }
}
