import nx from '@nx/eslint-plugin';
import { readFileSync } from 'node:fs';

// The test-only library imports the libraries whose fakes it holds, and their specs import it
// back: those edges exist only in tests, so such a pair is not a cycle of the shipped code.
const libraries = Object.keys(JSON.parse(readFileSync(new URL('./tsconfig.base.json', import.meta.url))).compilerOptions.paths)
  .map((alias) => alias.replace('@serverless-orders/', ''))
  .filter((name) => name !== 'testing');
const testOnlyCycles = libraries.map((name) => [name, 'testing']);

// The hexagon's arrows point inward: app → adapter/application → domain.
// A project may import only projects whose tag is listed for its own tag.
const layers = [
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:application', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:definitions', onlyDependOnLibsWithTags: ['type:definitions', 'type:domain'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:domain', 'type:definitions'] },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:application', 'type:domain', 'type:platform', 'type:definitions'] },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:adapter', 'type:application', 'type:domain', 'type:platform', 'type:definitions'],
  },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:definitions', 'type:domain'] },
  // The local AWS services (libs/local-aws): used by the local stack and by tests, never by shipped code.
  { sourceTag: 'type:emulator', onlyDependOnLibsWithTags: ['type:definitions', 'type:domain'] },
  {
    sourceTag: 'type:tools',
    onlyDependOnLibsWithTags: ['type:definitions', 'type:domain', 'type:adapter', 'type:application', 'type:platform', 'type:emulator'],
  },
  // Test helpers act as the system's clients do, with the adapters' own code (the Cognito secret hash).
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:application', 'type:definitions', 'type:emulator', 'type:adapter'] },
];

const boundaries = (extraTags) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    allow: [],
    ignoredCircularDependencies: testOnlyCycles,
    depConstraints: layers.map((c) => ({
      ...c,
      onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, ...extraTags],
    })),
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/.local', '**/coverage'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      // Production code never imports the test-only library.
      '@nx/enforce-module-boundaries': boundaries([]),
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Specs (and test helpers) may use the test-only library and the local AWS services.
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['type:testing', 'type:emulator']) },
  },
  {
    // Benchmarks drive the system as its tests do, with the same helpers.
    files: ['tools/benchmarks/**/*.ts', 'tools/benchmarks/**/*.mts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['type:testing', 'type:emulator']) },
  },
  {
    files: ['**/jest.config.js', '**/jest.integration.config.js', 'jest.preset.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off', '@nx/enforce-module-boundaries': 'off' },
  },
];
