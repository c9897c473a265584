const { withInfrastructure, ...preset } = require('../../jest.preset.js');

module.exports = {
  ...preset,
  // The integration tests under test/ need PostgreSQL and Redis.
  ...withInfrastructure,
  displayName: 'order',
  rootDir: __dirname,
};
