import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_RETRY } from './api';
import { StepFunctionsWorkflow } from './history';
import { CognitoIdentity } from './identity';
import { runCli } from './program';

/**
 * `orders`: the bundle (dist/tools/cli/main.js) that tools/cli/bin/orders.js runs. It runs on
 * Node 20 and 22 (built for node20). Exit codes: see EXIT in errors.ts and the README.
 */
// dist/tools/cli/ → the workspace this CLI was built in; its version is the workspace's.
const ownWorkspace = resolve(__dirname, '../../..');

function version(): string {
  try {
    return String((JSON.parse(readFileSync(join(ownWorkspace, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdoutIsTerminal: process.stdout.isTTY === true,
  ownWorkspace,
  version: version(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  fetch: globalThis.fetch,
  identity: (pool) => new CognitoIdentity(pool),
  workflow: (workflow) => new StepFunctionsWorkflow(workflow),
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: Math.random,
  uuid: randomUUID,
  retry: DEFAULT_RETRY,
  pollMs: 500,
}).then((code) => {
  // Let stdout drain (a pipe is asynchronous) and the process end by itself.
  process.exitCode = code;
});
