import type { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { checkIdempotencyKey, OrdersApi, type RetryPolicy } from './api';
import { CliError, EXIT, HttpError, UsageError, type ExitCode } from './errors';
import { executionArnOf, executionView, historyText, type WorkflowPort } from './history';
import type { IdentityPort, Tokens } from './identity';
import { json, orderText, ordersText, printable, type OrderView } from './render';
import { jwtClaims, loadSession, saveSession, type Session } from './session';
import { deployedTarget, localTarget, urlTarget, type PoolTarget, type StackTarget, type WorkflowTarget } from './target';
import { resolvePaths } from './workspace';

/** Everything a run of `orders` touches outside itself, so tests can give their own. */
export interface CliDeps {
  readonly cwd: string;
  /** Text on a terminal; JSON when the output is piped or captured (unless --json or --no-json says). */
  readonly stdoutIsTerminal: boolean;
  /** The workspace this CLI was built in: used when the current folder is in none. */
  readonly ownWorkspace?: string;
  readonly version: string;
  /** Raw writes; every line printed ends with a newline. */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly fetch: typeof fetch;
  readonly identity: (pool: PoolTarget) => IdentityPort;
  readonly workflow: (workflow: WorkflowTarget) => WorkflowPort;
  readonly pulumi?: typeof execFileSync;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly uuid: () => string;
  readonly retry: RetryPolicy;
  /** How often --wait asks for the order. */
  readonly pollMs: number;
}

interface GlobalOptions {
  outputs?: string;
  apiUrl?: string;
  stack?: string;
  token?: string;
  json?: boolean;
  quiet?: boolean;
}

const FINAL = new Set(['SUCCESS', 'FAILURE']);

const EXIT_CODES_HELP = `
Exit codes:
  0  done (with --wait: the order ended SUCCESS)
  1  the stack refused or failed: an API error, a wrong password, nothing listening, …
  2  a wrong command line: unknown command or option, missing or malformed value
  3  with --wait: the order ended FAILURE
  4  with --wait: no final status before --timeout`;

const TARGET_HELP = `
Which stack: the local one by default, from .local/outputs.json at the workspace root (found from
any folder inside the workspace); --outputs <file> or --api-url <url> for another; --stack <name>
for a deployed one (its Pulumi outputs, read with the Pulumi CLI).`;

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number.');
  return Number(value);
}

function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of seconds (0 or more).');
  return n;
}

function idempotencyKey(value: string): string {
  try {
    return checkIdempotencyKey(value);
  } catch (error) {
    throw new InvalidArgumentError(`${(error as Error).message.replace(/^--idempotency-key /, '')}.`);
  }
}

/** A connection refused, however the HTTP client wraps it (fetch: cause; the SDK: code; several addresses: errors). */
function refused(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { code?: string; cause?: unknown; errors?: unknown[] };
  if (e.code === 'ECONNREFUSED') return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => refused(x, depth + 1))) return true;
  return refused(e.cause, depth + 1);
}

/** Runs one command line; resolves its exit code. Never throws. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<ExitCode> {
  // Errors go to stderr as JSON only when asked for (--json); stdout's format also follows the terminal.
  const wantsJson = argv.includes('--json');
  let quiet = argv.includes('--quiet') || argv.includes('-q');
  const line = (text: string) => deps.stdout(`${text}\n`);
  const note = (text: string) => {
    if (!quiet) deps.stderr(`${text}\n`);
  };
  let exitCode: ExitCode = EXIT.ok;
  let stackLabel = 'the stack';

  const program = new Command('orders');
  program
    .description('The Serverless Orders command-line client: an account, orders, and their workflow.')
    .version(deps.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help (orders <command> --help for a command)')
    .helpCommand('help [command]', 'print help for a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => deps.stdout(text),
      writeErr: (text) => deps.stderr(text),
      outputError: (text, write) => {
        const message = text.trim().replace(/^error: /, '');
        write(wantsJson ? `${json({ error: { code: 'usage', message } })}\n` : `orders: ${message}\n`);
      },
    })
    .optionsGroup('Which stack and how to print (every command):')
    .addOption(new Option('--outputs <file>', "the local stack's outputs (default: .local/outputs.json at the workspace root)").conflicts('stack'))
    .option('--api-url <url>', "the API to call, instead of the outputs' apiUrl")
    .option('--stack <name>', "a deployed stack: its Pulumi outputs (the Pulumi CLI, in infra/)")
    .option('--token <jwt>', "an ID token to send instead of the signed-in user's")
    .option('--json', 'JSON on stdout (the default when stdout is not a terminal), and errors as JSON on stderr')
    .option('--no-json', 'text on stdout, even when it is not a terminal')
    .option('-q, --quiet', 'no progress or notes on stderr')
    .addHelpText('after', `${TARGET_HELP}\n${EXIT_CODES_HELP}`);

  const globals = (command: Command) => command.optsWithGlobals<GlobalOptions>();

  // ——— the stack, the session and the API, resolved once per command ———
  const context = (command: Command) => {
    const options = globals(command);
    quiet = options.quiet === true;
    const paths = resolvePaths(deps.cwd, deps.ownWorkspace, options.outputs);
    let target: StackTarget;
    let sessionFile: string | undefined;
    if (options.stack) {
      if (!paths.root) throw new CliError(`--stack needs the workspace's infra/ folder: run orders inside the workspace (no nx.json above ${deps.cwd})`);
      target = deployedTarget(options.stack, join(paths.root, 'infra'), options.apiUrl, deps.pulumi);
      sessionFile = join(paths.root, '.local', 'cli-session.json');
    } else if (paths.outputs) {
      target = localTarget(paths.outputs, options.apiUrl);
      sessionFile = paths.session;
    } else if (options.apiUrl) {
      target = urlTarget(options.apiUrl);
    } else {
      throw new CliError(`not inside the Serverless Orders workspace (no nx.json above ${deps.cwd}): run orders inside it, or pass --outputs <file> or --api-url <url>`);
    }
    stackLabel = target.kind === 'local' ? 'the local stack' : target.source;
    let identity: IdentityPort | undefined;
    const pool = () => {
      if (!target.pool) throw new CliError(`${target.source} names no user pool: sign in elsewhere and pass --token <jwt>`);
      identity ??= deps.identity(target.pool);
      return identity;
    };
    const remember = (email: string, tokens: Tokens, previous?: Session): Session => {
      const claims = jwtClaims(tokens.idToken);
      const session: Session = {
        email,
        username: String(claims['cognito:username'] ?? claims.sub ?? email),
        idToken: tokens.idToken,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken ?? previous?.refreshToken,
        expiresAt: typeof claims.exp === 'number' ? claims.exp : 0,
      };
      if (sessionFile) saveSession(sessionFile, target.apiUrl, session);
      return session;
    };
    /** The ID token to send: --token, else the session's (refreshed when it is about to expire). */
    const token = async (): Promise<string> => {
      if (options.token) return options.token;
      const session = sessionFile ? loadSession(sessionFile, target.apiUrl) : undefined;
      if (!session) throw new CliError(`not signed in to ${target.apiUrl}: orders login --email <e> --password <p> (or pass --token <jwt>)`);
      if (session.expiresAt * 1000 > deps.now() + 60_000) return session.idToken;
      if (!session.refreshToken) throw new CliError('the session has expired: log in again (orders login)');
      return remember(session.email, await pool().refresh(session.username, session.refreshToken), session).idToken;
    };
    const api = new OrdersApi({
      apiUrl: target.apiUrl,
      token,
      fetch: deps.fetch,
      sleep: deps.sleep,
      random: deps.random,
      retry: deps.retry,
      onRetry: (message) => note(`orders: ${message}`),
    });
    const asJson = options.json ?? !deps.stdoutIsTerminal;
    return { options, asJson, target, pool, remember, token, api, close: () => identity?.close() };
  };

  /** Runs an action with its context, and closes the SDK clients it opened. */
  const action =
    <A extends unknown[]>(run: (ctx: ReturnType<typeof context>, ...args: A) => Promise<void>) =>
    async (...args: A) => {
      const command = args[args.length - 1] as Command;
      const ctx = context(command);
      try {
        await run(ctx, ...args);
      } finally {
        ctx.close();
      }
    };

  const orderPath = (id: string) => `/orders/${encodeURIComponent(id)}`;

  /** Polls the order until its status is final, printing each status as it changes. */
  const waitFor = async (api: OrdersApi, id: string, timeoutSeconds: number): Promise<OrderView> => {
    const deadline = deps.now() + timeoutSeconds * 1000;
    let last: string | undefined;
    for (;;) {
      const order = await api.request<OrderView>('GET', orderPath(id)).catch((error: unknown) => {
        if (error instanceof HttpError && error.status === 404) return undefined;
        throw error;
      });
      // Until the workflow's first step saves it, the order is only a message in the queue.
      const status = order?.order_status ?? 'QUEUED';
      if (status !== last) {
        const reason = order?.error_message ? ` (${order.error_message})` : '';
        note(`${new Date(deps.now()).toISOString().slice(11, 19)}  ${printable(id)}  ${printable(status)}${printable(reason)}`);
        last = status;
      }
      if (order && FINAL.has(status)) return order;
      const left = deadline - deps.now();
      if (left <= 0) {
        throw new CliError(`order ${id} is still ${status} after ${timeoutSeconds} s: orders get ${id} --wait to keep waiting`, EXIT.timeout, 'timeout');
      }
      await deps.sleep(Math.min(deps.pollMs, left));
    }
  };

  /** Prints a final order, and makes FAILURE the exit code. */
  const finalOrder = (asJson: boolean, order: OrderView) => {
    line(asJson ? json(order) : orderText(order));
    if (order.order_status === 'FAILURE') exitCode = EXIT.orderFailed;
  };

  const perCommandHelp = (command: Command, examples: string) =>
    command.showHelpAfterError(`(orders ${command.name()} --help lists its options)`).addHelpText('after', `\nExamples:\n${examples}`);

  // ——— account ———
  program.commandsGroup('Account:');

  perCommandHelp(
    program
      .command('signup')
      .description('create a user (email as the username; passwords of at least 8 characters)')
      .requiredOption('--email <email>', "the user's email")
      .requiredOption('--password <password>', 'the password')
      .action(
        action(async (ctx, options: { email: string; password: string }) => {
          const { confirmed } = await ctx.pool().signUp(options.email, options.password);
          if (ctx.asJson) line(json({ email: options.email, confirmed }));
          note(confirmed ? `signed up ${options.email}` : `signed up ${options.email}; now confirm it: orders confirm --email ${options.email} [--code <the code sent>]`);
        }),
      ),
    "  orders signup --email you@example.com --password 'passw0rd!'",
  );

  perCommandHelp(
    program
      .command('confirm')
      .description("confirm a user: with the code the pool sent, or without one as the pool's administrator (the local stack)")
      .requiredOption('--email <email>', "the user's email")
      .option('--code <code>', 'the confirmation code')
      .action(
        action(async (ctx, options: { email: string; code?: string }) => {
          await ctx.pool().confirm(options.email, options.code);
          if (ctx.asJson) line(json({ email: options.email, confirmed: true }));
          note(`confirmed ${options.email}; now log in: orders login --email ${options.email} --password <p>`);
        }),
      ),
    '  orders confirm --email you@example.com               # the local stack: no code needed\n  orders confirm --email you@example.com --code 123456',
  );

  perCommandHelp(
    program
      .command('login')
      .description("sign in; the other commands act as this user (the tokens are kept beside the stack's outputs)")
      .requiredOption('--email <email>', "the user's email")
      .requiredOption('--password <password>', 'the password')
      .action(
        action(async (ctx, options: { email: string; password: string }) => {
          const session = ctx.remember(options.email, await ctx.pool().login(options.email, options.password));
          const until = new Date(session.expiresAt * 1000).toISOString();
          if (ctx.asJson) line(json({ email: options.email, expires_at: until }));
          note(`signed in to ${stackLabel} as ${options.email} (token valid until ${until}, then refreshed)`);
        }),
      ),
    "  orders login --email you@example.com --password 'passw0rd!'",
  );

  perCommandHelp(
    program
      .command('token')
      .description("print the signed-in user's ID token, for curl or Swagger UI (with --email and --password: sign in as them first)")
      .option('--email <email>', 'sign in as this user first')
      .option('--password <password>', 'their password')
      .action(
        action(async (ctx, options: { email?: string; password?: string }) => {
          if ((options.email === undefined) !== (options.password === undefined)) {
            throw new UsageError('orders token takes both --email and --password, or neither');
          }
          const idToken =
            options.email && options.password ? ctx.remember(options.email, await ctx.pool().login(options.email, options.password)).idToken : await ctx.token();
          // The token alone unless --json says otherwise, so TOKEN=$(orders token) is the token.
          line(ctx.options.json === true ? json({ id_token: idToken }) : idToken);
        }),
      ),
    '  TOKEN=$(npx orders token)\n  curl -H "Authorization: $TOKEN" "$API/orders"',
  );

  // ——— orders ———
  program.commandsGroup('Orders (as the signed-in user):');

  perCommandHelp(
    program
      .command('create')
      .description('place an order; with --wait, follow it to SUCCESS or FAILURE')
      .requiredOption('--restaurant <id>', 'the restaurant')
      .requiredOption('--item <name>', 'what to order')
      .requiredOption('--quantity <n>', 'how many (1 to 100)', wholeNumber)
      .option('--wait', 'print each status as it changes, until SUCCESS (exit 0) or FAILURE (exit 3)')
      .option('--timeout <seconds>', 'how long --wait waits (then exit 4)', seconds, 120)
      .option('--idempotency-key <key>', 'the Idempotency-Key to send (default: a new UUID); the same key within 24 h is the same order', idempotencyKey)
      .action(
        action(async (ctx, options: { restaurant: string; item: string; quantity: number; wait?: boolean; timeout: number; idempotencyKey?: string }) => {
          const key = options.idempotencyKey ?? deps.uuid();
          const placed = await ctx.api.request<{ order_id: string }>('POST', '/orders', {
            body: { restaurant_id: options.restaurant, item: options.item, quantity: options.quantity },
            idempotencyKey: key,
          });
          if (!options.wait) {
            line(ctx.asJson ? json({ ...placed, idempotency_key: key }) : printable(placed.order_id));
            note(`placed order ${printable(placed.order_id)}: orders get ${printable(placed.order_id)} --wait follows it`);
            return;
          }
          note(`placed order ${printable(placed.order_id)}; waiting up to ${options.timeout} s for SUCCESS or FAILURE`);
          finalOrder(ctx.asJson, await waitFor(ctx.api, placed.order_id, options.timeout));
        }),
      ),
    '  orders create --restaurant r-1 --item pizza --quantity 2 --wait\n  ID=$(orders create --restaurant r-1 --item soup --quantity 1 --no-json)   # the id alone',
  );

  perCommandHelp(
    program
      .command('list')
      .description('my orders, newest first')
      .option('--limit <n>', 'at most this many (1 to 100)', wholeNumber)
      .option('--next-token <token>', 'the next page (printed after a full page)')
      .action(
        action(async (ctx, options: { limit?: number; nextToken?: string }) => {
          const query = new URLSearchParams();
          if (options.limit !== undefined) query.set('limit', String(options.limit));
          if (options.nextToken !== undefined) query.set('next_token', options.nextToken);
          const page = await ctx.api.request<{ items: OrderView[]; next_token?: string }>('GET', `/orders${query.size ? `?${query}` : ''}`);
          if (ctx.asJson) {
            line(json(page));
            return;
          }
          line(ordersText(page.items ?? []));
          if (page.next_token) note(`more: orders list --next-token ${printable(page.next_token)}`);
        }),
      ),
    '  orders list\n  orders list --limit 5 --json',
  );

  perCommandHelp(
    program
      .command('get')
      .description('one of my orders; with --wait, follow it to SUCCESS or FAILURE')
      .argument('<order-id>', 'the order id')
      .option('--wait', 'print each status as it changes, until SUCCESS (exit 0) or FAILURE (exit 3)')
      .option('--timeout <seconds>', 'how long --wait waits (then exit 4)', seconds, 120)
      .action(
        action(async (ctx, id: string, options: { wait?: boolean; timeout: number }) => {
          if (options.wait) {
            finalOrder(ctx.asJson, await waitFor(ctx.api, id, options.timeout));
            return;
          }
          const order = await ctx.api.request<OrderView>('GET', orderPath(id));
          line(ctx.asJson ? json(order) : orderText(order));
        }),
      ),
    '  orders get 6f1c2a8e-1b2c-4d3e-8f90-123456789abc --wait',
  );

  perCommandHelp(
    program
      .command('update')
      .description('change my order while it is PENDING (then the API answers 409)')
      .argument('<order-id>', 'the order id')
      .option('--restaurant <id>', 'another restaurant')
      .option('--item <name>', 'another item')
      .option('--quantity <n>', 'another quantity (1 to 100)', wholeNumber)
      .action(
        action(async (ctx, id: string, options: { restaurant?: string; item?: string; quantity?: number }) => {
          const body = {
            ...(options.restaurant !== undefined ? { restaurant_id: options.restaurant } : {}),
            ...(options.item !== undefined ? { item: options.item } : {}),
            ...(options.quantity !== undefined ? { quantity: options.quantity } : {}),
          };
          if (Object.keys(body).length === 0) throw new UsageError('orders update needs at least one of --restaurant, --item, --quantity');
          const order = await ctx.api.request<OrderView>('PUT', orderPath(id), { body });
          line(ctx.asJson ? json(order) : orderText(order));
        }),
      ),
    '  orders update 6f1c2a8e-1b2c-4d3e-8f90-123456789abc --quantity 3',
  );

  perCommandHelp(
    program
      .command('delete')
      .description('cancel (delete) my order')
      .argument('<order-id>', 'the order id')
      .action(
        action(async (ctx, id: string) => {
          await ctx.api.request('DELETE', orderPath(id));
          if (ctx.asJson) line(json({ order_id: id, deleted: true }));
          note(`deleted order ${printable(id)}`);
        }),
      ),
    '  orders delete 6f1c2a8e-1b2c-4d3e-8f90-123456789abc',
  );

  // ——— workflow ———
  program.commandsGroup('Workflow:');

  perCommandHelp(
    program
      .command('history')
      .description("the workflow's steps for an order, from Step Functions (a deployed stack: with your AWS credentials)")
      .argument('<order-id>', 'the order id')
      .action(
        action(async (ctx, id: string) => {
          if (!ctx.target.workflow) throw new CliError(`${ctx.target.source} names no state machine (stateMachineArn): history needs the stack's outputs`);
          const workflow = deps.workflow(ctx.target.workflow);
          try {
            const arn = executionArnOf(ctx.target.workflow.stateMachineArn, id);
            const view = executionView(arn, await workflow.history(arn));
            line(ctx.asJson ? json({ order_id: id, ...view }) : historyText(id, view));
          } finally {
            workflow.close();
          }
        }),
      ),
    '  orders history 6f1c2a8e-1b2c-4d3e-8f90-123456789abc\n  AWS_PROFILE=dev orders history <order id> --stack dev',
  );

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander printed it already (help, the version, or the usage error with a suggestion)
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return report(error, wantsJson, stackLabel, deps.stderr);
  }
}

/** Says what went wrong, plainly (as JSON with --json), and picks the exit code. */
function report(error: unknown, asJson: boolean, stackLabel: string, write: (text: string) => void): ExitCode {
  let code = 'error';
  let lines: string[];
  let exitCode: ExitCode = EXIT.error;
  let extra: Record<string, unknown> = {};
  if (error instanceof HttpError) {
    code = 'http';
    // The API names each field at fault: one line each.
    lines = [error.message, ...(error.details?.errors ?? []).map((e) => `${e.field ?? '?'}: ${e.problem ?? '?'}`)];
    extra = { status: error.status, body: error.details ?? error.body };
  } else if (error instanceof CliError) {
    code = error.code;
    lines = [error.message];
    exitCode = error.exitCode;
  } else if (refused(error)) {
    code = 'unreachable';
    lines = [`nothing answers at ${stackLabel}'s endpoints: is ${stackLabel === 'the local stack' ? 'it running (npm start)' : 'it deployed'}?`];
  } else {
    const e = error as { name?: string; message?: string } | undefined;
    lines = [`${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e?.message ?? String(error)}`];
  }
  if (asJson) write(`${json({ error: { code, message: lines.join('\n'), ...extra } })}\n`);
  else write(`orders: ${lines.map(printable).join('\n  ')}\n`);
  return exitCode;
}
