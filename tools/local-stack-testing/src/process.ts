import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The workspace root: the stack and the CLI run from there, as npm start runs them. */
export const ROOT = resolve(__dirname, '../../..');
/** The local stack's built entry point (npx nx run local-stack:build). */
export const STACK = join(ROOT, 'dist/tools/local-stack/main.mjs');
/** The orders CLI's bundle (npx nx run cli:build). */
export const CLI = join(ROOT, 'dist/tools/cli/main.js');
/** The orders CLI's bin, as `npx orders` runs it (it builds the bundle first if it is missing). */
export const ORDERS_BIN = join(ROOT, 'tools/cli/bin/orders.js');

/** A node of at least version 22 (the stack and puppeteer-core want it): jest's own, else the workspace's pinned one. */
export const NODE = Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : join(ROOT, 'node_modules/.bin/node');

/** Every port option of the stack, each set to 0: the system picks free ports, written to outputs.json. */
export const FREE_PORTS: readonly string[] = ['--port', '--cognito-port', '--dynamodb-port', '--sqs-port', '--sfn-port'].flatMap((p) => [p, '0']);

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs a program to its end, bounded: killed and failed after `timeoutMs` (default 60 s). */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${command} ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/**
 * The node options `npm start` gives the stack (package.json, and the Nx start target), so that
 * the tests run the stack as a user starts it.
 *
 * `--heap-growing-percent=100`: after a full garbage collection V8 lets a heap grow to twice what
 * survived, not the up to four times it picks for a busy isolate. In 5-minute runs of 50 clients
 * the stack's own old space otherwise reached 270 MB for 100 MB live, in steps, and the process
 * grew 234 MiB in about 4 minutes; with 100, 99 MiB, at the same orders per second (34.9 against
 * 34.5) and CPU per order; with 50, 43 MiB in 3 minutes, but 10% fewer orders per second. V8's
 * flags are the process's, so the functions' environments get it too.
 */
export const STACK_NODE_OPTIONS = ['--heap-growing-percent=100', '--disable-warning=ExperimentalWarning'] as const;

/** Runs a node script (on NODE) to its end, bounded. */
export function runNode(args: readonly string[], options: RunOptions | number = {}): Promise<RunResult> {
  const o = typeof options === 'number' ? { timeoutMs: options } : options;
  return run(NODE, ['--disable-warning=ExperimentalWarning', ...args], o);
}

/** The stack's entry point with `args`, until it exits (for start-up failures and --help). */
export const runStack = (args: readonly string[], timeoutMs = 30_000) => runNode([STACK, ...args], timeoutMs);

/** The orders CLI's bundle. */
export const runCli = (args: readonly string[], timeoutMs = 60_000) => runNode([CLI, ...args], timeoutMs);

/** The orders CLI through its bin, as a user runs it. */
export const orders = (args: readonly string[], timeoutMs = 60_000) => runNode([ORDERS_BIN, ...args], timeoutMs);

export interface StartedStack {
  readonly dataDir: string;
  /** The stack's outputs.json: the same keys the Pulumi stack exports, and the local endpoints. */
  readonly outputs: Record<string, string>;
  readonly outputsFile: string;
  readonly child: ChildProcess;
  /** Everything the stack printed so far. */
  log(): string;
  /** Ctrl-C (then SIGKILL after 15 s); resolves the exit code. */
  stop(): Promise<number | null>;
  /** Stops it and removes the data directory, unless the caller gave one. */
  dispose(): Promise<void>;
}

export interface StartOptions {
  /** Where the stack keeps its state; default a new temporary folder, removed by dispose(). */
  readonly dataDir?: string;
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/** The command line of a test stack: free ports, its own data directory, no Wait state, gone with its parent. */
export function testStackArguments(dataDir: string, args: readonly string[]): string[] {
  return ['--data-dir', dataDir, ...FREE_PORTS, '--wait-seconds', '0', '--exit-with-parent', ...args];
}

/**
 * Starts the whole stack from its built bundle on free ports (port 0) in a fresh data directory,
 * and waits for "local stack ready". Later arguments win over the defaults (e.g. --wait-seconds).
 */
export async function startStack(args: readonly string[] = [], options: StartOptions = {}): Promise<StartedStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'local-stack-test-'));
  const child = spawn(NODE, [...STACK_NODE_OPTIONS, STACK, ...testStackArguments(dataDir, args)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const removeOwnDataDir = () => {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await new Promise<void>((ready, failed) => {
      const timer = setTimeout(() => failed(new Error(`the stack was not ready in ${options.timeoutMs ?? 60_000} ms:\n${output}`)), options.timeoutMs ?? 60_000);
      child.stdout?.on('data', () => {
        if (/local stack ready in/.test(output)) {
          clearTimeout(timer);
          ready();
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        failed(new Error(`the stack exited (${code}) before it was ready:\n${output}`));
      });
    });
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGKILL');
    removeOwnDataDir();
    throw error;
  }

  const outputsFile = join(dataDir, 'outputs.json');
  const outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, string>;
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
    outputsFile,
    child,
    log: () => output,
    stop,
    dispose: async () => {
      await stop();
      removeOwnDataDir();
    },
  };
}

/** Polls `probe` every 200 ms until it returns a value (not undefined), or fails after `timeoutMs` with the last error. */
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
