import { dirname, join, resolve } from 'node:path';
import { parseArgs, stringFlag, UsageError } from './args';
import { HttpError, run } from './commands';
import { CognitoIdentity } from './identity';
import { deployedTarget, localTarget, TargetError } from './target';

/** `orders`: run from the workspace root (it reads .local/outputs.json, or infra/'s Pulumi outputs). */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = process.cwd();
  const stack = stringFlag(args, 'stack');
  const outputsFile = resolve(root, stringFlag(args, 'outputs') ?? '.local/outputs.json');
  await run(args, {
    target: () => (stack ? deployedTarget(stack, resolve(root, 'infra')) : localTarget(outputsFile)),
    identity: (target) => new CognitoIdentity(target),
    fetch: globalThis.fetch,
    // Beside the local stack's outputs (one session per stack); .local/ for deployed stacks.
    sessionFile: stack ? resolve(root, '.local', 'cli-session.json') : join(dirname(outputsFile), 'cli-session.json'),
    out: (text) => process.stdout.write(`${text}\n`),
    note: (text) => {
      if (!args.flags.quiet) process.stderr.write(`${text}\n`);
    },
  });
}

/** A connection refused, however the HTTP client wraps it (fetch: cause; the SDK: code). */
function refused(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === 'ECONNREFUSED') return true;
    if (Array.isArray((e as { errors?: unknown[] }).errors) && (e as { errors: unknown[] }).errors.some(refused)) return true;
  }
  return false;
}

main().catch((error: Error) => {
  if (error instanceof HttpError) {
    process.stderr.write(`orders: the API answered ${error.status}${error.body ? `\n${error.body}` : ''}\n`);
  } else if (refused(error)) {
    process.stderr.write(`orders: nothing answers at the stack's endpoints; is the local stack running (npm start)?\n`);
  } else if (error instanceof UsageError || error instanceof TargetError) {
    process.stderr.write(`orders: ${error.message}\n`);
  } else {
    const name = (error as { name?: string }).name;
    process.stderr.write(`orders: ${name && name !== 'Error' ? `${name}: ` : ''}${error.message}\n`);
  }
  process.exit(1);
});
