import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The workspace root: the stack and the CLI run from there, as npm start runs them. */
export const ROOT = resolve(__dirname, '../../..');
const STACK = join(ROOT, 'dist/tools/local-stack/main.mjs');
export const CLI = join(ROOT, 'dist/tools/cli/main.js');

/** A node of at least version 22 (jest runs under the workspace's node; fall back to node_modules/.bin). */
export const NODE = Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : join(ROOT, 'node_modules/.bin/node');

export interface StartedStack {
  readonly dataDir: string;
  readonly outputs: Record<string, string>;
  readonly child: ChildProcess;
  /** Everything the stack printed so far. */
  log(): string;
  /** Ctrl-C; resolves the exit code. */
  stop(): Promise<number | null>;
  /** Removes the data directory too. */
  dispose(): Promise<void>;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the stack with `args` until it exits (for start-up failures). */
export function runStack(args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return runNode([STACK, ...args], timeoutMs);
}

export function runCli(args: string[], timeoutMs = 60_000): Promise<RunResult> {
  return runNode([CLI, ...args], timeoutMs);
}

function runNode(args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(NODE, ['--disable-warning=ExperimentalWarning', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Starts the whole stack on free ports in a fresh data directory, and waits until it is ready. */
export async function startStack(args: string[] = [], options: { dataDir?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<StartedStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'local-stack-e2e-'));
  const child = spawn(
    NODE,
    [
      '--disable-warning=ExperimentalWarning',
      STACK,
      '--data-dir', dataDir,
      '--port', '0', '--cognito-port', '0', '--dynamodb-port', '0', '--sqs-port', '0', '--sfn-port', '0',
      '--wait-seconds', '0',
      '--exit-with-parent',
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));

  await new Promise<void>((ready, failed) => {
    const timer = setTimeout(() => failed(new Error(`the stack was not ready in time:\n${output}`)), options.timeoutMs ?? 60_000);
    const check = () => {
      if (/local stack ready in/.test(output)) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      failed(new Error(`the stack exited (${code}) before it was ready:\n${output}`));
    });
  });

  const outputs = JSON.parse(readFileSync(join(dataDir, 'outputs.json'), 'utf8')) as Record<string, string>;
  let stopped: Promise<number | null> | undefined;
  const stop = () => {
    if (!stopped) {
      if (child.exitCode === null) child.kill('SIGINT');
      stopped = Promise.race([
        exited,
        new Promise<number | null>((r) =>
          setTimeout(() => {
            child.kill('SIGKILL');
            r(null);
          }, 15_000).unref(),
        ),
      ]);
    }
    return stopped;
  };
  return {
    dataDir,
    outputs,
    child,
    log: () => output,
    stop,
    dispose: async () => {
      await stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
