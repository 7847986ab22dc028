// The stack, a browser and the CLI in one suite: more time than a unit of the stack alone.
module.exports = require('../../jest.preset.js').integration(__dirname, 'e2e', { testTimeout: 120_000 });
