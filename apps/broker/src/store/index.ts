// The broker's message store: only the facade and its value types are public.
export { MessageStore } from './message-store';
export type {
  DeleteExpiredFilesOptions,
  MessageArrivingListener,
  QueryMessageResult,
  StoreRuntimeInfo,
} from './message-store';
export * from './message-store.config';
export * from './put-message-result';
export * from './get-message-result';
export type { DispatchRequest } from './dispatch-request';
export { JsonConfigFile } from './json-config-file';
export { StoreError } from './store-error';
export type { StoreLogger } from './store-logger';
