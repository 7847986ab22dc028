/**
 * How every Lambda bundle is built: nx.json points the build of each project tagged
 * `type:app` at this file. Nx adds the entry point, the output path, platform node, target
 * node22, the cjs format, minify and the source-map mode; this file says the rest.
 * Paths are relative to the workspace root (the build's working directory).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
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

/** A module the functions never use at run time, and why. */
export interface LeftOut {
  /** Its path under node_modules. */
  readonly module: string;
  readonly why: string;
}

/**
 * CommonJS modules the functions never use at run time. Each is replaced by a stand-in whose
 * properties are functions that throw, naming the module and why, if ever called.
 */
export const LEFT_OUT: readonly LeftOut[] = [
  {
    // And with it semver (30 KiB), which only this patcher uses, to check the SDK v2's version.
    module: 'aws-xray-sdk-core/dist/lib/patchers/aws_p.js',
    why: 'X-Ray capture of the AWS SDK v2 (captureAWS, captureAWSClient) is not supported; the functions use the SDK v3, captured with captureAWSv3Client',
  },
  {
    // And the rule and target pollers, the rule cache and the X-Ray service connector behind it.
    module: 'aws-xray-sdk-core/dist/lib/middleware/sampling/default_sampler.js',
    why: "X-Ray's centralized sampling serves its web-framework middleware; in Lambda, Lambda decides sampling and the SDK turns it off at load",
  },
  ...['ec2_plugin', 'ecs_plugin', 'elastic_beanstalk_plugin'].map((plugin) => ({
    module: `aws-xray-sdk-core/dist/lib/segments/plugins/${plugin}.js`,
    why: 'X-Ray plugins add EC2, ECS or Elastic Beanstalk metadata (AWSXRay.config); there is none in Lambda',
  })),
];

/** Replaces the LEFT_OUT modules, wherever they are required from, by stand-ins that throw when used. */
export function leaveOut(modules: readonly LeftOut[]): Plugin {
  const base = (module: string) => module.split('/').at(-1)?.replace(/\.js$/, '') ?? module;
  const filter = new RegExp(`(^|/)(${modules.map((m) => base(m.module)).join('|')})(\\.js)?$`);
  return {
    name: 'leave-out',
    setup(build) {
      build.onResolve({ filter }, ({ path: specifier, resolveDir }) => {
        if (!specifier.startsWith('.')) return undefined;
        const resolved = path.resolve(resolveDir, specifier).replace(/\\/g, '/');
        const found = modules.find((m) => `${resolved}${resolved.endsWith('.js') ? '' : '.js'}`.endsWith(`/node_modules/${m.module}`));
        return found ? { path: found.module, namespace: 'left-out', pluginData: found } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'left-out' }, ({ pluginData }) => {
        const { module, why } = pluginData as LeftOut;
        const message = JSON.stringify(`${module} is left out of the Lambda bundles: ${why}`);
        return {
          loader: 'js',
          contents: [
            `const leftOut = () => { throw new Error(${message}); };`,
            // Reading a property (as the package does when it loads) is fine; calling one throws.
            "const quiet = new Set(['then', '__esModule', 'toJSON', 'default']);",
            "module.exports = new Proxy({}, { get: (_, key) => (typeof key === 'symbol' || quiet.has(key) ? undefined : leftOut) });",
          ].join('\n'),
        };
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
  // Names kept where they are read (NAMED_AT_RUN_TIME); modules that never run left out (LEFT_OUT).
  plugins: [keepNamesIn(NAMED_AT_RUN_TIME), leaveOut(LEFT_OUT)],
  // Source maps: nx.json asks for an external main.js.map (no sourceMappingURL comment, so
  // nothing reads it at load), here without the sources' text: positions and names are what
  // mapping a stack trace needs, and the deployed archive carries no source code.
  // source-mapped-stacks.ts, at the top of every bundle, applies it when a stack is formatted.
  sourcesContent: false,
  inject: ['./libs/platform/lambda/src/bundling/source-mapped-stacks.ts'],
  alias: {
    // Credentials come from the environment in Lambda: see environment-credentials.ts.
    '@aws-sdk/credential-provider-node': './libs/platform/lambda/src/bundling/environment-credentials.ts',
    // Never loaded at run time, for the reason its stand-in gives; it would throw, naming it.
    '@smithy/core/event-streams': './libs/platform/lambda/src/bundling/event-streams-left-out.ts',
  },
};

/**
 * One bundle's whole build, as nx.json runs it for a `type:app` project (its esbuild executor
 * adds entry, output, platform node, target node22, cjs, minify and the external source map to
 * the options above), for builds outside Nx: the local stack's --watch, and the specs that
 * check what a bundle does. Paths resolve from `root`, the workspace.
 */
export function lambdaBuild(root: string, input: Pick<BuildOptions, 'entryPoints' | 'stdin' | 'tsconfig'>, outfile: string): BuildOptions {
  // outExtension is for an output folder; one bundle is written to `outfile`.
  const { outExtension: _outExtension, ...options } = lambdaBundleOptions;
  return {
    ...options,
    ...input,
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: 'external',
    outfile,
    metafile: true,
    logLevel: 'silent',
  };
}

export default lambdaBundleOptions;
