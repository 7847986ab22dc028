/**
 * Bundle size and cold-start cost of every Lambda app, as built into dist/apps/<app>/main.js.
 *
 * For each app of the catalogue: the minified bundle's size (raw and gzipped), and the
 * median wall time of `node -e "require('./dist/apps/<app>/main.js')"` (module evaluation:
 * SDK clients, logger, tracer, config and container, as at a cold start) next to `node -e 0`.
 * A benchmark, not a test: it reports numbers and asserts nothing.
 *
 *   npx nx run benchmarks:bundles            (builds every app first; BENCH_RUNS=30 for more runs)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { FUNCTIONS, type FunctionDefinition } from '@serverless-orders/function-catalogue';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const root = process.cwd();

/** Placeholders for the required settings (optional ones keep their defaults): a cold start reads them, it calls nothing. */
function envFor(fn: FunctionDefinition): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  for (const setting of fn.settings.filter((s) => s.required)) env[setting.name] = placeholder(setting.name);
  if (fn.app === 'authorizer') {
    Object.assign(env, {
      AUTH_SCHEME: 'cognito',
      COGNITO_USER_POOL_ID: 'us-east-1_bench0001',
      COGNITO_CLIENT_ID: 'benchclient',
    });
  }
  return env;
}

function placeholder(name: string): string {
  if (name.endsWith('_ARN')) return 'arn:aws:states:us-east-1:123456789012:stateMachine:bench';
  return 'bench';
}

function wallMs(args: string[], env: Record<string, string>): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env, cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${run.stderr.slice(-800)}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Paired runs: each `require` is timed right after a `node -e 0`, and the figure is the
 * median of the differences, so that load from other processes cancels out as far as it can.
 */
function requireCost(file: string, env: Record<string, string>): { total: number; over: number } {
  const totals: number[] = [];
  const overs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const base = wallMs(['-e', '0'], { PATH: env.PATH });
    const total = wallMs(['-e', `require('./${file}')`], env);
    totals.push(total);
    overs.push(total - base);
  }
  return { total: median(totals), over: median(overs) };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const baseline = median(Array.from({ length: RUNS }, () => wallMs(['-e', '0'], { PATH: process.env.PATH ?? '' })));

console.log(`node ${process.version}, ${RUNS} paired runs each, medians of wall time`);
console.log(`node -e 0: ${baseline.toFixed(1)} ms\n`);
console.log(['app'.padEnd(20), 'minified'.padStart(12), 'gzipped'.padStart(12), 'require'.padStart(10), 'over node -e 0'.padStart(16)].join(''));
for (const fn of FUNCTIONS) {
  const file = path.join('dist/apps', fn.app, 'main.js');
  if (!existsSync(file)) {
    console.log(`${fn.app.padEnd(20)} not built (nx run ${fn.app}:build)`);
    continue;
  }
  const size = statSync(file).size;
  const gz = gzipSync(readFileSync(file)).length;
  const { total, over } = requireCost(file, envFor(fn));
  console.log(
    [fn.app.padEnd(20), kib(size).padStart(12), kib(gz).padStart(12), `${total.toFixed(1)} ms`.padStart(10), `+${over.toFixed(1)} ms`.padStart(16)].join(''),
  );
}
