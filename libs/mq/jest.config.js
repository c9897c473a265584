const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'mq',
  rootDir: __dirname,
};
