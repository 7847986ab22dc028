const path = require('node:path');
const preset = require('../../jest.preset.js');

// fauxqs ships ES modules only: let swc compile it (and only it, among ESM packages) for jest.
const root = path.resolve(__dirname, '../..');
const base = preset.integration(__dirname, 'manage-order-state');
module.exports = {
  ...base,
  testTimeout: 60_000,
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs|aws-jwt-verify|fauxqs)/)', `^${root}/dist/`],
  moduleNameMapper: { ...base.moduleNameMapper, '^fauxqs$': path.join(root, 'node_modules/fauxqs/dist/app.js') },
};
