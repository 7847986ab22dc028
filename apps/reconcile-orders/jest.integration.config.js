module.exports = require('../../jest.preset.js').integration(__dirname, 'reconcile-orders', { testTimeout: 60_000 });
