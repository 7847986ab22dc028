import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { runSmoke, type CliResult } from './smoke';

/**
 * `nx run smoke:run -- --outputs <file>` (or `-- --stack <pulumi stack>`): the walkthrough of
 * smoke.ts against a stack. Exit 0 when every check passed, 1 at the first that did not, 2 for
 * a wrong command line.
 */
// dist/tools/smoke/ → the workspace.
const root = resolve(__dirname, '../../..');
const cli = join(root, 'dist', 'tools', 'cli', 'main.js');

const seconds = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number of seconds.');
  return n;
};

const program = new Command('smoke')
  .description("The walkthrough after a deploy, against a stack's outputs: sign-up, token, orders, their final status, list, update, delete.")
  .option('--outputs <file>', "a stack's outputs: the local stack's outputs.json, or `pulumi stack output --json --show-secrets` saved to a file")
  .option('--stack <name>', 'a deployed stack: its outputs through the Pulumi CLI (in infra/)')
  .option('--email <email>', 'an existing, confirmed user (default: sign up a new one, which needs AWS credentials allowed AdminConfirmSignUp on a deployed stack)')
  .option('--password <password>', "that user's password")
  .option('--timeout <seconds>', 'how long an order may take to reach its final status', seconds, 180)
  .exitOverride();

async function main(): Promise<number> {
  try {
    program.parse(process.argv);
  } catch {
    return 2;
  }
  const options = program.opts<{ outputs?: string; stack?: string; email?: string; password?: string; timeout: number }>();
  if (!options.outputs === !options.stack) {
    process.stderr.write('smoke: name the stack with --outputs <file> or --stack <name> (one of them)\n');
    return 2;
  }
  if ((options.email === undefined) !== (options.password === undefined)) {
    process.stderr.write('smoke: --email and --password go together\n');
    return 2;
  }
  if (!existsSync(cli)) {
    process.stderr.write(`smoke: the orders CLI is not built (${cli}): npx nx run cli:build\n`);
    return 2;
  }
  const outputsFile = options.outputs ? resolve(process.cwd(), options.outputs) : undefined;
  const outputs = outputsFile
    ? (JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, unknown>)
    : (JSON.parse(
        execFileSync('pulumi', ['stack', 'output', '--json', '--show-secrets', '--stack', options.stack as string, '--cwd', join(root, 'infra')], { encoding: 'utf8' }),
      ) as Record<string, unknown>);
  const apiUrl = typeof outputs.apiUrl === 'string' ? outputs.apiUrl.replace(/\/+$/, '') : undefined;
  if (!apiUrl) {
    process.stderr.write(`smoke: ${outputsFile ?? `stack ${options.stack}`} has no apiUrl: is it a Serverless Orders stack's outputs?\n`);
    return 2;
  }
  const target = outputsFile ? ['--outputs', outputsFile] : ['--stack', options.stack as string];
  const orders = (args: readonly string[]) =>
    new Promise<CliResult>((done) => {
      const child = spawn(process.execPath, [cli, ...args, ...target, '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`smoke test of ${apiUrl}`);
  try {
    const checks = await runSmoke({ orders, apiUrl, fetch: globalThis.fetch, uuid: randomUUID, log, now: Date.now }, { email: options.email, password: options.password, timeoutSeconds: options.timeout });
    log(`${checks} passed, 0 failed`);
    return 0;
  } catch (error) {
    log(`not ok - ${(error as Error).message}`);
    return 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});
