// libs/mq's integration tests run the client and the NestJS transport against a real broker, so they
// form a project of their own (`mq-e2e`) that may depend on apps/broker, which libs/mq itself may not.
const preset = require('../../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'mq-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
};
