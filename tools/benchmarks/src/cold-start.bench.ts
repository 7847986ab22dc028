/**
 * P4, cold-start CPU: what loading each function's bundle costs over a bare `node`, as a
 * share of what the naive bundle costs (a handler importing Powertools Logger, Tracer and the
 * DynamoDB document client, built with esbuild's defaults), built in the same run from the
 * same node_modules.
 *
 *   ratio = (bundle − node) ÷ (naive − node), CPU time (user + system) of the child process
 *
 * Each child runs with the environment Lambda gives a function, loads the bundle (module
 * evaluation: SDK clients, logger, tracer, configuration and container, as at a cold start),
 * and reports its own process.resourceUsage() as it exits, as `node -e 0` does with nothing
 * loaded. The three are run interleaved, round after round, and the figures are medians.
 *
 * Also printed, as "first error": the CPU of reading and parsing the app's main.js.map, which
 * the bundle pays once per container, the first time it formats a stack trace (with
 * NODE_OPTIONS=--enable-source-maps and a linked map, Node would pay it at every cold start).
 * A benchmark, not a test: it prints figures and asserts nothing.
 *
 *   npx nx run benchmarks:cold-start                    (builds every app first)
 *   BENCH_RUNS=31 npx nx run benchmarks:cold-start      (more rounds; default 21)
 *   BENCH_NODE_OPTIONS=--enable-source-maps npx nx run benchmarks:cold-start
 *                                                       (what a node option costs the bundles)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { FUNCTIONS, type FunctionDefinition } from '@serverless-orders/function-catalogue';
import { buildNaiveBundle, bundleOf, lambdaEnv, median } from './lambda-bench';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? '';

/**
 * Run by the child: load the bundle named in BENCH_FILE (if any; without one, this is
 * `node -e 0`), and when the process exits, with whatever the load set going finished,
 * report its CPU time on fd 3.
 */
const CHILD = [
  'const file = process.env.BENCH_FILE;',
  'if (file) require(file);',
  "process.on('exit', () => {",
  '  const u = process.resourceUsage();',
  "  require('node:fs').writeSync(3, String(u.userCPUTime + u.systemCPUTime));",
  '});',
].join('\n');

/** Reads and parses a source map the way the bundles do on their first error (node:module's SourceMap). */
const MAP_PARSE = [
  "const { readFileSync } = require('node:fs'); const { SourceMap } = require('node:module');",
  'const before = process.cpuUsage();',
  'new SourceMap(JSON.parse(readFileSync(process.env.BENCH_FILE, "utf8"))).findOrigin(1, 1);',
  'const used = process.cpuUsage(before);',
  "require('node:fs').writeSync(3, String(used.user + used.system));",
].join('\n');

function cpuMs(code: string, env: Record<string, string>): number {
  const run = spawnSync(process.execPath, ['-e', code], { env, cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(`node failed (${env.BENCH_FILE ?? 'node'}): ${String(run.stderr).slice(-800)}`);
  return Number(run.output[3]) / 1000;
}

type Kind = 'node' | 'naive' | 'bundle';

function measure(fn: FunctionDefinition, naive: string): Record<Kind, number[]> {
  const bundle = bundleOf(fn.app);
  const env = lambdaEnv(fn, bundle);
  const withOptions: Record<string, string> = NODE_OPTIONS ? { NODE_OPTIONS } : {};
  const runs: Record<Kind, number[]> = { node: [], naive: [], bundle: [] };
  const order: Kind[] = ['node', 'naive', 'bundle'];
  for (let round = 0; round < RUNS; round++) {
    // Rotate who goes first, so that no one always runs right after the same neighbour.
    for (let i = 0; i < order.length; i++) {
      const kind = order[(i + round) % order.length];
      const file = kind === 'naive' ? naive : kind === 'bundle' ? bundle : undefined;
      runs[kind].push(cpuMs(CHILD, file ? { ...env, ...withOptions, BENCH_FILE: file } : { ...env, ...withOptions }));
    }
  }
  return runs;
}

const AIM: Record<FunctionDefinition['trigger']['kind'], number> = { http: 0.7, queue: 0.7, 'workflow-task': 0.7, schedule: 0.7, authorizer: 0.4 };

async function main() {
  const naive = await buildNaiveBundle();
  console.log(`node ${process.version}, ${RUNS} interleaved rounds, medians of CPU time (user + system)${NODE_OPTIONS ? `, NODE_OPTIONS=${NODE_OPTIONS}` : ''}`);
  console.log('ratio = (bundle − node) ÷ (naive − node); the naive bundle is rebuilt in this run\n');
  const header = ['app', 'node', 'naive', 'bundle', 'ratio', 'aim', 'first error'];
  const widths = [20, 9, 9, 9, 7, 7, 13];
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('');
  console.log(row(header));
  for (const fn of FUNCTIONS) {
    const bundle = bundleOf(fn.app);
    if (!existsSync(bundle)) {
      console.log(`${fn.app.padEnd(20)} not built (nx run ${fn.app}:build)`);
      continue;
    }
    const runs = measure(fn, naive);
    const [node, naiveMs, bundleMs] = [median(runs.node), median(runs.naive), median(runs.bundle)];
    const ratio = (bundleMs - node) / (naiveMs - node);
    const map = `${bundle}.map`;
    const firstError = existsSync(map) ? `+${median(Array.from({ length: 5 }, () => cpuMs(MAP_PARSE, { PATH: process.env.PATH ?? '', BENCH_FILE: map }))).toFixed(1)} ms` : 'no map';
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    console.log(row([fn.app, ms(node), ms(naiveMs), ms(bundleMs), ratio.toFixed(2), `≤ ${AIM[fn.trigger.kind].toFixed(2)}`, firstError]));
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
