/** Injection token of the service's ioredis client: `@Inject(REDIS) private readonly redis: Redis`. */
export const REDIS = 'REDIS';
