import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS, type FunctionDefinition } from '@serverless-orders/function-catalogue';
import { lambdaBuild } from '@serverless-orders/platform-lambda/bundling';
import { DEFAULT_CORS_ALLOW_ORIGIN } from '../apigateway/api';
import type { StackOptions } from '../options';
import { ACCOUNT_ID, NAMES, type Started } from '../started';
import { functionEnvironment, type StackResources } from './function-environment';
import { formatLogLine } from './function-logs';
import { FunctionRuntime } from './function-runtime';
import { MachineLoad } from './machine-load';
import { FunctionWatcher } from './watch';

// Lambda's steps of the start-up: every function from a snapshot of its bundle, with its own
// environment (step 4), and with --watch, their rebuilds (step 7).

function bundleOf(root: string, app: string): string {
  return join(root, 'dist', 'apps', app, 'main.js');
}

/** The functions this mode needs: all of them, the authorizer only with --authorizer lambda. */
function neededFunctions(options: StackOptions): FunctionDefinition[] {
  return FUNCTIONS.filter((f) => f.trigger.kind !== 'authorizer' || options.authorizer === 'lambda');
}

/**
 * Copies each function's bundle (and source map) from dist/apps into the data directory, like a
 * deployment: a rebuild of dist/ while the stack runs changes nothing until it is reloaded. A
 * bundle that is missing is waited for a little (a build may be rewriting dist/), then named.
 */
async function snapshotBundles(s: Started): Promise<Record<string, string>> {
  const { root, log } = s.env;
  const fns = neededFunctions(s.options);
  const deadline = Date.now() + 30_000;
  for (let warned = false; ; warned = true) {
    const missing = fns.filter((f) => !existsSync(bundleOf(root, f.app)));
    if (missing.length === 0) break;
    const names = missing.map((f) => f.app).join(', ');
    if (Date.now() > deadline) {
      throw Object.assign(new Error(`no bundle for ${names} in dist/apps: build them first (npx nx run-many -t build)`), { name: 'BundleMissingError' });
    }
    if (!warned) log(`waiting for the bundles of ${names} in dist/apps…`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const files: Record<string, string> = {};
  for (const fn of fns) files[fn.app] = snapshotBundle(root, s.dataDir, fn.app);
  return files;
}

/** One function's bundle copied into the data directory; its path. */
export function snapshotBundle(root: string, dataDir: string, app: string): string {
  const target = join(dataDir, 'functions', app);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const name of ['main.js', 'main.js.map']) {
    const from = join(root, 'dist', 'apps', app, name);
    if (existsSync(from)) copyFileSync(from, join(target, name));
  }
  return join(target, 'main.js');
}

/**
 * The values of `from: 'config'` settings, as infra's stack config gives them: the CORS origin,
 * how long the reconciler waits, and the simulated providers' ledgers (in the data directory,
 * so that tests and a curious developer can see what was charged and sent, exactly once each).
 */
function configValues(s: Started): Record<string, string> {
  return {
    CORS_ALLOW_ORIGIN: DEFAULT_CORS_ALLOW_ORIGIN,
    RECONCILE_AFTER_SECONDS: String(s.options.waitSeconds + 600),
    PAYMENT_LEDGER_DIR: join(s.dataDir, 'ledger', 'payments'),
    RESTAURANT_LEDGER_DIR: join(s.dataDir, 'ledger', 'restaurant'),
  };
}

/** Step 4: every function, from its snapshot bundle, with its own environment. */
export async function startFunctions(s: Started): Promise<void> {
  const { options, env } = s;
  const bundles = await snapshotBundles(s);
  // Without --persist every start is a new system: what the providers did before is gone too.
  if (!options.persist) rmSync(join(s.dataDir, 'ledger'), { recursive: true, force: true });
  const resources: StackResources = {
    region: options.region,
    tableName: NAMES.table,
    idempotencyTableName: NAMES.idempotencyTable,
    stateMachineArn: s.stateMachineArn,
    topicArn: s.queues.topicArn,
    deadLetterQueueUrl: s.queues.deadLetterQueueUrl,
    endpoints: { dynamodb: s.store.endpoint, sqs: s.messaging.endpoint, sns: s.messaging.endpoint, sfn: s.sfnEndpoint, cognito: s.idp.endpoint },
  };
  const authorizerEnv: Record<string, string> = {
    AUTH_SCHEME: 'cognito',
    COGNITO_USER_POOL_ID: s.pool.poolId,
    COGNITO_CLIENT_ID: s.pool.clientId,
    COGNITO_TOKEN_USE: 'id',
    COGNITO_JWKS_URI: s.idp.jwksUri(s.pool.poolId),
  };
  const width = Math.max(...FUNCTIONS.map((f) => f.app.length));
  // One reading of the machine for every function: none scales out while the cores are all busy.
  const load = new MachineLoad();
  s.cleanups.push(() => load.stop());
  s.environments = new Map();
  for (const fn of neededFunctions(options)) {
    const extra = { ...(fn.app === 'authorizer' ? authorizerEnv : {}), ...(options.functionEnv[fn.app] ?? {}) };
    const environment = functionEnvironment(fn, resources, configValues(s), extra, options.logLevel);
    s.environments.set(fn.app, environment);
    const runtime = new FunctionRuntime({
      name: fn.app,
      file: bundles[fn.app],
      env: environment,
      timeoutSeconds: fn.timeoutSeconds,
      memoryMb: fn.memoryMb,
      region: options.region,
      accountId: ACCOUNT_ID,
      concurrency: options.functionConcurrency,
      maxEnvironments: options.functionEnvironments,
      compileCacheDir: join(s.dataDir, 'compile-cache'),
      mayScaleOut: () => !load.saturated,
      // One write per batch of lines (an invocation's lines arrive together with its result).
      output: options.quiet ? undefined : (lines) => env.log(lines.map((line) => `[${fn.app.padEnd(width)}] ${formatLogLine(line, options.verbose)}`).join('\n')),
    });
    s.functions.set(fn.app, runtime);
    s.cleanups.push(() => {
      // What a function's CloudWatch metrics would say: Invocations, Throttles, and its cold starts.
      if (runtime.invocations > 0) env.log(`[${fn.app.padEnd(width)}] ${runtime.invocations} invocations, ${runtime.coldStarts} cold starts, ${runtime.throttles} throttled`);
      return runtime.close();
    });
  }
}

/**
 * Step 7 (--watch): a change under apps/ or libs/ rebuilds the functions it is part of, as the
 * deployed bundles are built, and replaces only their environments. The first build of each
 * runs after the stack is ready, so that the start is no slower.
 */
export function startWatching(s: Started): void {
  const { options, env } = s;
  const buildOptions = (app: string, outfile: string) =>
    lambdaBuild(env.root, { entryPoints: [join(env.root, 'apps', app, 'src', 'main.ts')], tsconfig: join(env.root, 'apps', app, 'tsconfig.json') }, outfile);
  const functions = neededFunctions(options).map((fn) => ({ app: fn.app, reload: (file: string) => s.functions.get(fn.app)?.reload(file) ?? Promise.resolve() }));
  const started = FunctionWatcher.start({ root: env.root, outDir: join(s.dataDir, 'functions', '.watch'), functions, buildOptions, log: env.log }).then(
    (watcher) => {
      env.log(`[watch] watching apps/ and libs/: a change rebuilds the ${functions.length} functions it is part of`);
      return watcher;
    },
    (error: Error) => {
      env.log(`[watch] not watching: ${error.message}`);
      return undefined;
    },
  );
  s.cleanups.push(async () => (await started)?.close());
}
