// Configuration
export {
  BaseServiceConfig,
  LOG_LEVELS,
  NODE_ENVS,
  type LogLevel,
  type NodeEnv,
} from './config/base-service.config';
export { ConfigValidationError, type ConfigProblem } from './config/config-validation.error';
export { IsConnectionUrl, isConnectionUrl } from './config/is-connection-url.validator';
export { loadServiceConfig, maskCredentials, type Environment } from './config/load-service-config';
export { SERVICE_NAME, ServiceConfigModule } from './config/service-config.module';

// PostgreSQL
export { databaseUrlFor, dropDatabase, ensureDatabaseExists } from './database/database-admin';
export { DatabaseModule, type DatabaseOptions } from './database/database.module';
export { TypeOrmNestLogger } from './database/typeorm-nest.logger';
export { ProcessedMessageEntity } from './messaging/processed-message.entity';
export { consumeOnce, type ConsumeOnceOutcome } from './messaging/consume-once';
export { InvalidMessageError, parseMessage } from './messaging/parse-message';
export {
  createProcessedMessageTable,
  dropProcessedMessageTable,
} from './messaging/processed-message.migration';

// Redis
export { closeRedisClient, createRedisClient, type RedisClientOptions } from './redis/create-redis-client';
export { REDIS } from './redis/redis.constants';
export { RedisModule } from './redis/redis.module';

// Health, logging, metrics
export { BrokerHealthIndicator } from './health/broker.health';
export { DatabaseHealthIndicator } from './health/database.health';
export { HealthController } from './health/health.controller';
export { HealthModule, type HealthOptions } from './health/health.module';
export { RedisHealthIndicator } from './health/redis.health';
export {
  HEALTH_INDICATORS,
  HEALTH_PROBE_TIMEOUT_MS,
  type ServiceHealthIndicator,
} from './health/service-health-indicator';
export { LoggingModule, type LoggingOptions } from './logging/logging.module';
export { pinoHttpOptions, type LogOptions } from './logging/pino-http.options';
export { createMetricsRegistry } from './metrics/create-metrics-registry';
export { METRICS_REGISTRY } from './metrics/metrics.constants';
export { MetricsModule } from './metrics/metrics.module';

// Errors
export { ServiceError, type ServiceErrorBody } from './errors/service.error';

// Putting it together
export { bootstrapService, type BootstrapOptions } from './bootstrap/bootstrap-service';
export { createServiceApp, type ServiceAppOptions } from './bootstrap/create-service-app';
export {
  createHybridServiceApp,
  waitForBroker,
  type HybridServiceOptions,
} from './bootstrap/create-hybrid-service-app';
export { OPENAPI_PATH, setupOpenApi, type OpenApiOptions } from './bootstrap/openapi';
export { ServiceKitModule, type ServiceKitOptions } from './service-kit.module';

// Test support (no Jest dependency; used by the services' integration tests)
export { deleteRedisKeys, startTestService, unusedPort, type TestService } from './testing/test-service';
