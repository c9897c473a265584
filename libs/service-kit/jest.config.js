const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  ...preset.withInfrastructure,
  displayName: 'service-kit',
  rootDir: __dirname,
};
