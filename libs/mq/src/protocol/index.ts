// The RocketMQ remoting protocol and message format: shared by the broker and the client.
export * from './remoting';
export * from './message';
