// The load-test tooling's own tests: the books-balance rules, the report renderer and the stack lookup
// as units; the scenario driver, sampler and checker against a real stack live in apps/flashsale-e2e.
const { withInfrastructure, ...preset } = require('../jest.preset.js');

module.exports = {
  ...preset,
  ...withInfrastructure,
  displayName: 'load-tests',
  rootDir: __dirname,
};
