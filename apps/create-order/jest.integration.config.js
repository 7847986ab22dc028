module.exports = require('../../jest.preset.js').integration(__dirname, 'create-order', { testTimeout: 60_000 });
