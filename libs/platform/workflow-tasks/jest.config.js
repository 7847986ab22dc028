module.exports = require('../../../jest.preset.js').unit(__dirname, 'platform-workflow-tasks');
