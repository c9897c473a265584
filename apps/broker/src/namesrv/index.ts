// The NameServer: route tables, its request processors and the controller that runs them.
export * from './route-info-manager';
export * from './kv-config-manager';
export * from './processors';
export * from './namesrv-controller';
