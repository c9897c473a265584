/** RocketMQ 4.x remoting protocol: frames, commands, codes, typed headers and JSON bodies. */
export * from './request-code';
export * from './response-code';
export * from './language-code';
export * from './remoting-flag';
export * from './remoting-command';
export * from './remoting-errors';
export * from './remoting-command-codec';
export * from './frame-decoder';
export * from './fastjson';
export * from './json-body';
export * from './headers';
export * from './bodies';
export * from './remoting-connection';
