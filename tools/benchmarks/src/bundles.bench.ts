/**
 * Bundle sizes: for every function of the catalogue, dist/apps/<app>/main.js minified and
 * gzipped, its source map, and what the deployment archive holds (every file of
 * dist/apps/<app>, deflated as a zip stores it). The naive bundle (a handler importing
 * Powertools Logger and Tracer and the DynamoDB document client, built with esbuild's
 * defaults from the same node_modules) is built in the same run, for scale.
 * A benchmark, not a test: it prints figures and asserts nothing.
 *
 *   npx nx run benchmarks:bundles            (builds every app first)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { FUNCTIONS, type FunctionDefinition } from '@serverless-orders/function-catalogue';
import { buildNaiveBundle, bundleOf, kib } from './lambda-bench';

/** The size aims: HTTP functions, the authorizer, and the workflow's provider tasks. */
function aimOf(fn: FunctionDefinition): string {
  if (fn.trigger.kind === 'http') return '≤ 460 KiB';
  if (fn.trigger.kind === 'authorizer') return '≤ 235 KiB';
  if (fn.app === 'process-payment' || fn.app === 'send-order') return '≤ 250 KiB';
  return '';
}

function sizes(file: string) {
  const bytes = readFileSync(file);
  const dir = path.dirname(file);
  const archive = readdirSync(dir)
    .map((name) => path.join(dir, name))
    .filter((f) => statSync(f).isFile())
    .reduce((sum, f) => sum + deflateRawSync(readFileSync(f)).length, 0);
  const map = `${file}.map`;
  return { minified: bytes.length, gzipped: gzipSync(bytes).length, map: existsSync(map) ? statSync(map).size : 0, archive };
}

async function main() {
  const widths = [20, 11, 11, 11, 13, 12];
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('');
  console.log(row(['app', 'minified', 'gzipped', 'map', 'archive', 'aim']));
  for (const fn of FUNCTIONS) {
    const file = bundleOf(fn.app);
    if (!existsSync(file)) {
      console.log(`${fn.app.padEnd(20)} not built (nx run ${fn.app}:build)`);
      continue;
    }
    const s = sizes(file);
    console.log(row([fn.app, kib(s.minified), kib(s.gzipped), s.map ? kib(s.map) : '—', kib(s.archive), aimOf(fn)]));
  }
  const naive = readFileSync(await buildNaiveBundle());
  console.log(row(['(naive bundle)', kib(naive.length), kib(gzipSync(naive).length), '', '', '']));
  console.log('\narchive: every file of dist/apps/<app>, deflated (what the deployment zips and uploads)');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
