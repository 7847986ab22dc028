import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run, runStack, startStack, type RunResult, type StartedStack } from '@serverless-orders/local-stack-testing';
import { codeBlocks, commandsOf, kindOf, type CodeBlock } from './readme-blocks';

// Every command README.md shows in a code block is run here, so that the README cannot drift:
// a block is ```sh (run below), ```sh no-test (not run, for the reason listed in NOT_RUN) or
// ```text (output). A new block fails this test until it is one of them.
//
// The commands run as a reader runs them, in bash, from a folder inside the workspace that is not
// its root (`npx orders` finds the workspace from any folder), against one stack started as the
// README's "Try it" starts it (npm start -- --demo), on free ports and in its own data directory.
// Two overrides point them at that stack, and nothing else is changed: `npx orders` gets
// `--outputs <that stack's outputs.json>` (the CLI's own option), and the text `.local/outputs.json`
// is read as that file. A block of `npm start …` lines starts each line's stack (free ports,
// its own data directory), waits until it is ready, and stops it; `--help` must print the usage.

const README = join(ROOT, 'README.md');

/** The blocks not run, by their first command, and why. */
const NOT_RUN: Record<string, string> = {
  'npm ci && npm start     # the whole system on localhost': 'npm ci reinstalls node_modules under every other test; npm start runs until Ctrl-C (its options are run below)',
  "git clone <the repository's URL> serverless-orders && cd serverless-orders": 'this test runs inside a checkout that is already cloned and installed',
  'aws sqs start-message-move-task --source-arn "$(cd infra && pulumi stack output deadLetterQueueArn)"': 'needs the AWS CLI and a deployed stack (the local redrive is covered by no-order-lost.int.spec.ts)',
  'cd infra && pulumi stack init dev': 'deploys to AWS: needs the Pulumi CLI, a backend and AWS credentials',
};

/** What each run block must print, by its first command: the key lines a reader looks for. */
const EXPECTED: Record<string, RegExp[]> = {
  "npx orders login --email demo@example.com --password 'demo-passw0rd!'": [/signed in to the local stack as demo@example\.com/, /"order_status": "SUCCESS"/, /margherita pizza/],
  "npx orders signup  --email you@example.com --password 'passw0rd!'": [/signed up you@example\.com/, /confirmed you@example\.com/, /signed in to the local stack as you@example\.com/, /"order_status": "SUCCESS"/, /"status": "SUCCEEDED"/, /"name": "ProcessPayment"/],
  'API=$(node -p "require(\'./.local/outputs.json\').apiUrl"); TOKEN=$(npx orders token)': [
    /HTTP\/1\.1 401[^]*\{"message":"Unauthorized"\}[^]*HTTP\/1\.1 401/,
    /"items":\[\{[^]*"order_status":"SUCCESS"/,
  ],
};

const FIRST = (block: CodeBlock) => commandsOf(block.body)[0] ?? '';

const blocks = codeBlocks(readFileSync(README, 'utf8'));
const runnable = blocks.filter((b) => kindOf(b) === 'run');
const isStartBlock = (b: CodeBlock) => commandsOf(b.body).every((c) => /^npm start\b/.test(c));

/** The words of `npm start -- <args>`, as bash splits them (quotes and all). */
async function startArguments(command: string): Promise<string[]> {
  const rest = command.replace(/^npm start\s*(--)?/, '').replace(/(^|\s+)#.*$/, '');
  const split = await run('bash', ['-c', `printf '%s\\0' ${rest}`]);
  return split.stdout.split('\0').filter(Boolean);
}

/** Waits for the demo a --demo stack runs once it is ready. */
async function demoDone(started: StartedStack): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!/Demo ready\./.test(started.log())) {
    if (Date.now() > deadline || /^demo: /m.test(started.log())) throw new Error(`the demo did not finish:\n${started.log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let stack: StartedStack;

beforeAll(async () => {
  // As the README's "Try it" starts it: the demo user, its orders, and providers that accept.
  stack = await startStack(['--demo', '--quiet']);
  await demoDone(stack);
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
});

/** Runs a block in bash, from a folder inside the workspace, pointed at the test's stack. */
function runBlock(block: CodeBlock): Promise<RunResult> {
  const outputs = stack.outputsFile;
  const script = [
    'set -euo pipefail',
    `npx() { if [ "\${1-}" = orders ]; then shift; command npx orders "$@" --outputs '${outputs}'; else command npx "$@"; fi; }`,
    block.body.replace(/(\.\/)?\.local\/outputs\.json/g, outputs),
  ].join('\n');
  return run('bash', ['-c', script], { cwd: join(ROOT, 'libs'), timeoutMs: 150_000 });
}

describe('README.md', () => {
  it('says what each code block is, and the test knows why each block it does not run is not run', () => {
    for (const block of blocks) kindOf(block); // throws for a block that says nothing
    const notRun = blocks.filter((b) => kindOf(b) === 'not-run').map(FIRST);
    expect(notRun.sort()).toEqual(Object.keys(NOT_RUN).sort());
    expect(runnable.length).toBeGreaterThan(3);
  });

  it('has an expectation for every block of commands, and no expectation left over', () => {
    const commandBlocks = runnable.filter((b) => !isStartBlock(b)).map(FIRST);
    expect(commandBlocks.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(runnable.map((b) => [`line ${b.line}: ${FIRST(b)}`, b] as const))('%s', (_, block) => {
    if (isStartBlock(block)) {
      it.each(commandsOf(block.body))('%s: starts, and is ready (or prints its help)', async (command) => {
        const args = await startArguments(command);
        if (args.includes('--help')) {
          const help = await runStack(args);
          expect(help.code).toBe(0);
          expect(help.stdout).toContain('Usage: npm start -- [options]');
          return;
        }
        const started = await startStack(args);
        try {
          expect(started.log()).toMatch(/local stack ready in/);
          if (args.includes('--demo')) await demoDone(started);
          if (args.includes('--authorizer')) expect(started.log()).toContain(`(authorizer: ${args[args.indexOf('--authorizer') + 1]})`);
        } finally {
          await started.dispose();
        }
      });
    } else {
      it('runs in bash with exit code 0 and prints what the README says', async () => {
        const result = await runBlock(block);
        const printed = `${result.stdout}\n${result.stderr}`;
        if (result.code !== 0) throw new Error(`exit ${result.code}:\n${printed}`);
        for (const expected of EXPECTED[FIRST(block)] ?? []) expect(printed).toMatch(expected);
      });
    }
  });
});
