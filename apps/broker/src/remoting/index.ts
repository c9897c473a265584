// RocketMQ remoting, server side: the TCP server, its channels and the processor contract.
export * from './remoting-channel';
export * from './request-processor';
export * from './socket-channel';
export * from './remoting-server';
