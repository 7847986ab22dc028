/**
 * How every Lambda bundle is built: nx.json points the build of each project tagged
 * `type:app` at this file. Nx adds the entry point, the output path, platform node, target
 * node22, the cjs format, minify and the source-map mode; this file says the rest.
 * Paths are relative to the workspace root (the build's working directory).
 */
import { readFile } from 'node:fs/promises';
import { transform, type BuildOptions, type Plugin } from 'esbuild';

/**
 * Modules (under node_modules) whose classes are told apart by name at run time. The bundles
 * are minified without keeping names, so these alone keep theirs.
 */
export const NAMED_AT_RUN_TIME = [
  // The SDK recognises its default logger by constructor.name === 'NoOpLogger' (@aws-sdk/core,
  // @smithy/core). Renamed, it would be handed to the HTTP handler as a real logger, and the
  // handler's warnings (sockets at capacity, request timeouts) would go nowhere instead of
  // to the console.
  '@smithy/core/dist-es/submodules/client/smithy-client/NoOpLogger.js',
  // Powertools batch: processSync() fails fast on the async processor by
  // this.constructor.name === 'BatchProcessor'.
  '@aws-lambda-powertools/batch/lib/esm/BatchProcessor.js',
] as const;

/** Compiles the given modules with keepNames, so their classes and functions keep their names in a minified bundle. */
export function keepNamesIn(modules: readonly string[]): Plugin {
  const escape = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const filter = new RegExp(`node_modules[\\\\/](${modules.map((m) => m.split('/').map(escape).join('[\\\\/]')).join('|')})$`);
  return {
    name: 'keep-names-in',
    setup(build) {
      build.onLoad({ filter }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        const { code } = await transform(source, { loader: 'js', keepNames: true, sourcefile: path, sourcemap: 'inline' });
        return { contents: code, loader: 'js' };
      });
    },
  };
}

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
  // Names are minified too, which makes every bundle smaller and quicker to load. Nothing of
  // ours takes a name from a class (errors name themselves), and the few modules whose class
  // names are read at run time keep them (NAMED_AT_RUN_TIME).
  keepNames: false,
  plugins: [keepNamesIn(NAMED_AT_RUN_TIME)],
  // Source maps: nx.json asks for an external main.js.map (no sourceMappingURL comment, so
  // nothing reads it at load), here without the sources' text: positions and names are what
  // mapping a stack trace needs, and the deployed archive carries no source code.
  // source-mapped-stacks.ts, at the top of every bundle, applies it when a stack is formatted.
  sourcesContent: false,
  inject: ['./libs/platform/lambda/src/bundling/source-mapped-stacks.ts'],
  alias: {
    // Credentials come from the environment in Lambda: see environment-credentials.ts.
    '@aws-sdk/credential-provider-node': './libs/platform/lambda/src/bundling/environment-credentials.ts',
    // Never used at run time, each for the reason its stand-in gives; a call would throw, naming it.
    semver: './libs/platform/lambda/src/bundling/semver-left-out.ts',
    '@smithy/core/event-streams': './libs/platform/lambda/src/bundling/event-streams-left-out.ts',
  },
};

export default lambdaBundleOptions;
