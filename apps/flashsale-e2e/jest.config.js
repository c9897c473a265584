// Cross-service acceptance tests: the broker and the three services run as real processes, exactly as
// `npm start` runs them, and the tests talk to them only over HTTP and read their databases and Redis.
const { withInfrastructure, ...preset } = require('../../jest.preset.js');

module.exports = {
  ...preset,
  // The services need PostgreSQL and Redis (the global setup starts throw-away ones when not given).
  ...withInfrastructure,
  displayName: 'flashsale-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  // Each file starts a broker and three services; two at once would starve each other on 2 cores.
  maxWorkers: 1,
};
