module.exports = require('../../jest.preset.js').unit(__dirname, 'local-stack-testing');
