export * from './heartbeat-data.body';
export * from './topic-route-data.body';
export * from './cluster-info.body';
export * from './consumer-id-list.body';
export * from './lock-batch.body';
export * from './register-broker.body';
export * from './topic-list.body';
