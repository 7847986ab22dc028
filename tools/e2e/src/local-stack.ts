import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The workspace root: the built stack, the functions' bundles and the CLI are under it. */
export const ROOT = resolve(__dirname, '../../..');
const STACK = join(ROOT, 'dist/tools/local-stack/main.mjs');
const ORDERS = join(ROOT, 'tools/cli/bin/orders.js');

/** Node 22 (puppeteer-core and the stack want ≥ 22.12): jest's own, else the workspace's pinned one. */
export const NODE = Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : join(ROOT, 'node_modules/.bin/node');

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a node script to its end (bounded). */
export function runNode(args: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(NODE, ['--disable-warning=ExperimentalWarning', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`node ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** The orders CLI, through its bin, as a user runs it. */
export const orders = (args: string[], timeoutMs?: number) => runNode([ORDERS, ...args], timeoutMs);

export interface LocalStack {
  readonly dataDir: string;
  readonly outputs: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts the whole local stack from its built bundle on free ports (port 0) in a fresh data
 * directory, as tools/local-stack's own integration tests do, and waits until it is ready.
 */
export async function startLocalStack(args: string[] = []): Promise<LocalStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orders-e2e-'));
  const ports = ['--port', '--cognito-port', '--dynamodb-port', '--sqs-port', '--sfn-port'].flatMap((p) => [p, '0']);
  const child: ChildProcess = spawn(
    NODE,
    ['--disable-warning=ExperimentalWarning', STACK, '--data-dir', dataDir, ...ports, '--wait-seconds', '0', '--quiet', '--exit-with-parent', ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  try {
    await new Promise<void>((ready, failed) => {
      const timer = setTimeout(() => failed(new Error(`the local stack was not ready in 60 s:\n${log}`)), 60_000);
      child.stdout?.on('data', () => {
        if (/local stack ready in/.test(log)) {
          clearTimeout(timer);
          ready();
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        failed(new Error(`the local stack exited before it was ready:\n${log}`));
      });
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const outputs = JSON.parse(readFileSync(join(dataDir, 'outputs.json'), 'utf8')) as Record<string, string>;
  return {
    dataDir,
    outputs,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
