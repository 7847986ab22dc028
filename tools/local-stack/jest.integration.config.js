// End-to-end: each suite starts the whole stack (the built bundle) on free ports.
module.exports = require('../../jest.preset.js').integration(__dirname, 'local-stack', { testTimeout: 120_000 });
