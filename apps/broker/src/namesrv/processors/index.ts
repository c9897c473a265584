export * from './broker-registration.processor';
export * from './route-query.processor';
export * from './kv-config.processor';
