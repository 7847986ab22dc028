/**
 * How every Lambda bundle is built: nx.json points the build of each project tagged
 * `type:app` at this file. Nx adds the entry point, the output path, platform node, target
 * node22, the cjs format, minify and the source-map mode; this file says the rest.
 * Paths are relative to the workspace root (the build's working directory).
 */
import type { BuildOptions } from 'esbuild';

export const lambdaBundleOptions: BuildOptions = {
  outExtension: { '.js': '.js' },
  legalComments: 'none',
  // A package's ES module build where it ships one (its "module" field): the AWS SDK's clients
  // have no `exports` map, so by default esbuild takes their CommonJS build, whose require()s
  // pull in whole packages (@smithy/core, @aws-sdk/core) with nothing left out. From the ES
  // builds, esbuild keeps only what is used.
  mainFields: ['module', 'main'],
  // The ES builds load some node built-ins lazily with import() (node:http in the SDK's HTTP
  // handler); in a CommonJS bundle that is a require() kept lazy, which also runs where import()
  // cannot (a vm context without --experimental-vm-modules, as jest loads the bundles).
  supported: { 'dynamic-import': false },
  keepNames: true,
  alias: {
    // Credentials come from the environment in Lambda: see environment-credentials.ts.
    '@aws-sdk/credential-provider-node': './libs/platform/lambda/src/bundling/environment-credentials.ts',
    // Never used at run time, each for the reason its stand-in gives; a call would throw, naming it.
    semver: './libs/platform/lambda/src/bundling/semver-left-out.ts',
    '@smithy/core/event-streams': './libs/platform/lambda/src/bundling/event-streams-left-out.ts',
  },
};

export default lambdaBundleOptions;
