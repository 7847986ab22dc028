import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, STACK_NODE_OPTIONS } from '../test/local-stack.process';
import { newUser } from '../test/users';

// `npm start -- <options>` as a developer types it: npm runs the prestart build through Nx, then
// the stack's own entry point with every option after `--`, untouched by Nx (which used to parse
// --env as its own option, and keep --verbose and --help for itself). Ctrl-C reaches the stack
// alone, which stops and exits 0: nothing from Nx or npm is printed after it.

interface Run {
  readonly child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** npm start, in its own process group as a terminal runs it, so that Ctrl-C can be sent to the group. */
function npmStart(args: string[], env: Record<string, string | undefined>): Run {
  // Without the prestart build: this target already depends on the bundles, and a build from
  // inside a test would rewrite dist/ under other tasks that run beside it (the prestart script
  // itself is pinned below).
  const child = spawn('npm', ['start', '--ignore-scripts', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, NX_DAEMON: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

const killGroup = (run: Run, signal: NodeJS.Signals) => {
  try {
    process.kill(-(run.child.pid as number), signal);
  } catch {
    // already gone
  }
};

async function within<T>(promise: Promise<T>, ms: number, what: string, run: Run): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms:\n${run.output()}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('npm start', () => {
  it('builds the stack and every function bundle first (prestart), then runs the stack’s own entry point', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts['prestart']).toMatch(/^nx run local-stack:bundles\b/);
    expect(scripts['start']).toMatch(/^exec node .*dist\/tools\/local-stack\/main\.mjs$/);
  });

  it('gives the stack the node options its tests and benchmarks run it with, as does `nx run local-stack:start`', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const project = JSON.parse(readFileSync(join(ROOT, 'tools/local-stack/project.json'), 'utf8')) as { targets: { start: { options: { command: string } } } };
    expect(scripts['start']).toBe(`exec node ${STACK_NODE_OPTIONS.join(' ')} dist/tools/local-stack/main.mjs`);
    expect(project.targets.start.options.command).toBe(scripts['start']);
  });

  const runs: Run[] = [];
  afterAll(() => runs.forEach((run) => killGroup(run, 'SIGKILL')));

  it('-- --help prints the stack’s usage (in CI too)', async () => {
    const run = npmStart(['--help'], { CI: 'true' });
    runs.push(run);
    expect(await within(run.exited, 120_000, 'npm start -- --help', run)).toBe(0);
    const output = run.output();
    expect(output).toContain('Usage: npm start -- [options]');
    expect(output).toMatch(/^ {2}--env <app>:<NAME>=<value> /m);
    expect(output).toMatch(/^ {2}--verbose /m);
    expect(output).not.toContain('does not match the schema');
  }, 150_000);

  it('-- --env … --verbose reaches the stack and its functions; Ctrl-C stops it with nothing from Nx', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'local-stack-npm-start-'));
    const origin = 'https://shop.example';
    const ports = ['--port', '--cognito-port', '--dynamodb-port', '--sqs-port', '--sfn-port'].flatMap((p) => [p, '0']);
    const run = npmStart(['--data-dir', dataDir, ...ports, '--exit-with-parent', '--env', `get-orders:CORS_ALLOW_ORIGIN=${origin}`, '--verbose'], { CI: undefined });
    runs.push(run);
    try {
      const ready = new Promise<void>((resolve, reject) => {
        const check = () => /local stack ready in/.test(run.output()) && resolve();
        run.child.stdout?.on('data', check);
        void run.exited.then((code) => reject(new Error(`npm start exited (${code}) before the stack was ready:\n${run.output()}`)));
      });
      await within(ready, 120_000, 'the start', run);
      const outputs = JSON.parse(readFileSync(join(dataDir, 'outputs.json'), 'utf8')) as Record<string, string>;
      // The banner: what is lost at stop, and the CLI told where these outputs are.
      expect(run.output()).toContain('State          in memory: users, orders, queues and executions are lost when the stack stops');
      expect(run.output()).toContain(`npx orders confirm --email you@example.com --outputs ${join(dataDir, 'outputs.json')}`);

      // get-orders answers a bad query itself (400) with its own CORS header: the --env value.
      const user = await newUser(outputs, 'npm-start');
      const response = await fetch(`${outputs.apiUrl}/orders?limit=0`, { headers: { Authorization: user.idToken } });
      expect(response.status).toBe(400);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      // --verbose: the function's own JSON line, not the short form.
      await within(
        new Promise<void>((resolve) => {
          const seen = () => /\[get-orders\s*\] \{"level":"INFO","message":"request refused"/.test(run.output()) && resolve();
          seen();
          run.child.stdout?.on('data', seen);
        }),
        10_000,
        "get-orders' raw log line",
        run,
      );

      const before = run.output().length;
      killGroup(run, 'SIGINT'); // what Ctrl-C in a terminal does
      expect(await within(run.exited, 30_000, 'stopping', run)).toBe(0);
      const after = run.output().slice(before);
      expect(after).toContain('stopped');
      expect(after).not.toMatch(/NX|Cancelled|npm error|ERR!/);
    } finally {
      killGroup(run, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 200_000);
});
