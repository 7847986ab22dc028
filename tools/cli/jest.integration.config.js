module.exports = require('../../jest.preset.js').integration(__dirname, 'cli');
