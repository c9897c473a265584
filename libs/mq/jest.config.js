const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'mq',
  rootDir: __dirname,
  // test/ is the mq-e2e project (libs/mq/test/project.json).
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
