// Helpers shared by the tests of every project.
export * from './broker-node-args';
export * from './free-port';
export * from './spawn-broker';
export * from './temp-dir';
export * from './wait-for';
