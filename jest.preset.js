// One place for how every project's tests run.
// Unit tests: `*.spec.ts` beside the code. Integration tests (they start real local
// servers: dynalite, fauxqs, the identity provider, the gateway): `*.int.spec.ts`,
// run as their own jest project through each project's `integration` target.
const path = require('node:path');

// No decorators anywhere: the composition roots bind plain classes with factory bindings.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript' },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

// inversify v8 (and its @inversifyjs packages) and fauxqs ship ESM only: let swc turn them into CJS for jest.
const esmOnly = ['inversify', '@inversifyjs', 'aws-jwt-verify', 'fauxqs'];
// ESM-only packages whose `exports` offer no condition jest's CommonJS resolver takes.
const esmEntryPoints = { fauxqs: 'node_modules/fauxqs/dist/app.js' };

function base(dir, displayName) {
  const root = path.resolve(__dirname);
  const tsconfig = require('./tsconfig.base.json');
  const moduleNameMapper = {};
  for (const [name, [target]] of Object.entries(tsconfig.compilerOptions.paths)) {
    moduleNameMapper[`^${name}$`] = path.join(root, target);
  }
  for (const [name, entry] of Object.entries(esmEntryPoints)) moduleNameMapper[`^${name}$`] = path.join(root, entry);
  return {
    displayName,
    rootDir: dir,
    testEnvironment: 'node',
    transform: { '^.+\\.[tj]s$': swc },
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
    moduleNameMapper,
    cacheDirectory: path.join(root, 'node_modules/.cache/jest'),
    // Once the tests have run, jest exits: a server or child process a failing test left open
    // must never keep a CI run waiting (each test and hook is bounded by its own timeout).
    forceExit: true,
  };
}

/** Unit tests of a project: fast, no servers, no network. */
function unit(dir, name) {
  return {
    ...base(dir, `${name}:unit`),
    testMatch: ['<rootDir>/**/*.spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '\\.int\\.spec\\.ts$'],
  };
}

/** Integration tests of a project: real local servers on loopback, started by the tests. */
function integration(dir, name, extra = {}) {
  return {
    ...base(dir, `${name}:integration`),
    testMatch: ['<rootDir>/**/*.int.spec.ts'],
    // The workspace's built bundles (dist/) are loaded as they are, not transformed again.
    transformIgnorePatterns: [...base(dir, name).transformIgnorePatterns, `^${path.join(__dirname, 'dist')}/`],
    testTimeout: 30_000,
    ...extra,
  };
}

module.exports = { unit, integration };
