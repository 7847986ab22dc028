module.exports = require('../../jest.preset.js').integration(__dirname, 'manage-order-state', { testTimeout: 60_000 });
