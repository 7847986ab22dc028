// The program as Pulumi runs it: the built bundle (infra/dist/main.js), each run in a process of its own.
module.exports = require('../jest.preset.js').integration(__dirname, 'infra', { testTimeout: 60_000 });
