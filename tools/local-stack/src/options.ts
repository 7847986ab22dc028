import { availableParallelism } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { FUNCTIONS } from '@serverless-orders/function-catalogue';

export type AuthorizerMode = 'cognito' | 'lambda';

export interface StackOptions {
  readonly authorizer: AuthorizerMode;
  readonly ports: { readonly api: number; readonly cognito: number; readonly dynamodb: number; readonly messaging: number; readonly sfn: number };
  readonly region: string;
  readonly stage: string;
  /** Where the stack keeps its state: identity provider data, outputs.json, the lock, and the table with --persist. */
  readonly dataDir: string;
  readonly persist: boolean;
  /** Seconds of the workflow's Wait state. */
  readonly waitSeconds: number;
  /** The order queue's visibility timeout; default 6 × the consumer's timeout, as infra sets it. */
  readonly visibilityTimeoutSeconds?: number;
  readonly authorizerTtlSeconds: number;
  /** Per-function environment additions: app → NAME → value. */
  readonly functionEnv: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly logLevel: string;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** Stop when the process that started this one is gone (test harnesses). */
  readonly exitWithParent: boolean;
  /** How often scheduled functions (the reconciler) run, in seconds; default: the catalogue's schedule. */
  readonly reconcileEverySeconds?: number;
  /** Each function's concurrency limit: environments at once; beyond it, invocations are throttled (TooManyRequestsException). */
  readonly functionConcurrency: number;
  /** Each function's execution environments at most (default: the machine's cores, at least 2; the concurrency bounds it too). */
  readonly functionEnvironments: number;
  /** Rebuild a function when its source changes and replace its environments, keeping all state. */
  readonly watch: boolean;
  /** Finished executions kept (with their history), at most; older ones are forgotten first. */
  readonly retainExecutions: number;
  /** Finished executions kept at most this many minutes. */
  readonly retainExecutionMinutes: number;
  /** On Ctrl-C, how long running executions get to finish before the stack stops anyway (with --persist they resume at the next start). */
  readonly drainSeconds: number;
  /** The stage's throttling (requests per second, and burst); default: what infra deploys. */
  readonly throttle?: { readonly rate?: number; readonly burst?: number };
  /**
   * Once ready, sign up the demo user (DEMO_USER) and place its orders through the API. The
   * simulated providers then accept every order (failure rates 0), unless a rate is given.
   */
  readonly demo: boolean;
}

/** The user `npm start -- --demo` signs up and confirms; README.md prints it. */
export const DEMO_USER = { email: 'demo@example.com', password: 'demo-passw0rd!' } as const;

/** What --demo sets when the command line does not: the simulated providers accept every order. */
export const DEMO_SETTINGS: ReadonlyArray<readonly [app: string, name: string, value: string]> = [
  ['process-payment', 'PAYMENT_FAILURE_RATE', '0'],
  ['send-order', 'RESTAURANT_FAILURE_RATE', '0'],
];

/**
 * The default ports. The API keeps 3000, the port people type (Swagger UI at /docs) and the one
 * `sam local start-api` uses for the same job. The other four are never typed (everything reads
 * them from outputs.json), so they sit together just above it, on ports no common tool claims:
 * not 9229 (Node's inspector, where `node --inspect` and editors' debuggers listen), 8000
 * (DynamoDB Local, Django, `python -m http.server`), 4566 (LocalStack, whose clients would
 * silently talk to this stack) or 8083 (Step Functions Local, Kafka Connect), and below every
 * system's ephemeral range, so an outgoing connection never holds one.
 */
export const DEFAULT_PORTS = { api: 3000, cognito: 3010, dynamodb: 3011, messaging: 3012, sfn: 3013 } as const;

export const DEFAULT_OPTIONS: StackOptions = {
  authorizer: 'cognito',
  ports: DEFAULT_PORTS,
  region: 'us-east-1',
  stage: 'dev',
  dataDir: '.local',
  persist: false,
  waitSeconds: 1,
  authorizerTtlSeconds: 300,
  functionEnv: {},
  logLevel: 'INFO',
  quiet: false,
  verbose: false,
  exitWithParent: false,
  functionConcurrency: 10,
  functionEnvironments: Math.max(2, availableParallelism()),
  watch: false,
  retainExecutions: 1000,
  retainExecutionMinutes: 60,
  drainSeconds: 5,
  demo: false,
};

/** Powertools' log levels (POWERTOOLS_LOG_LEVEL). */
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

const APPS: readonly string[] = FUNCTIONS.map((f) => f.app);

const shown = (value: string) => `"${value}"`;

/** A number option's parser: the value, or an error naming the option and the range. */
function numberIn(flag: string, min: number, max: number, whole: boolean) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) {
      throw new OptionsError(`${flag} needs a ${whole ? 'whole ' : ''}number from ${min} to ${max}, not ${shown(value)}`);
    }
    return n;
  };
}

const port = (flag: string) => numberIn(flag, 0, 65535, true);

function oneOf<T extends string>(flag: string, allowed: readonly T[], normalise: (v: string) => string = (v) => v) {
  return (value: string): T => {
    const v = normalise(value);
    if (!(allowed as readonly string[]).includes(v)) {
      throw new OptionsError(`${flag} is ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, not ${shown(value)}`);
    }
    return v as T;
  };
}

function matching(flag: string, pattern: RegExp, what: string) {
  return (value: string): string => {
    if (!pattern.test(value)) throw new OptionsError(`${flag} ${shown(value)} ${what}`);
    return value;
  };
}

/** `<app>:<NAME>=<value>`: one variable of one function. */
function envSetting(value: string): [app: string, name: string, value: string] {
  const m = /^([\w-]+):([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(value);
  if (!m) throw new OptionsError(`--env takes <app>:<NAME>=<value>, not ${shown(value)}`);
  if (!APPS.includes(m[1])) throw new OptionsError(`--env: no function named ${m[1]} (one of ${APPS.join(', ')})`);
  return [m[1], m[2], m[3]];
}

const d = DEFAULT_OPTIONS;

/**
 * The stack's command line, as commander reads it. Every setting of a function (`--env`, and
 * the failure rates, which are variables of process-payment and send-order) goes to `settings`
 * in the order given, so the last one given wins.
 */
function stackCommand(settings: Array<[string, string, string]>): Command {
  const setting = (app: string, name: string, value: string) => {
    settings.push([app, name, value]);
    return value;
  };
  const paymentRate = numberIn('--payment-failure-rate', 0, 1, false);
  const restaurantRate = numberIn('--restaurant-failure-rate', 0, 1, false);
  const program = new Command('npm start')
    .usage('-- [options]')
    .description('Runs the whole system on 127.0.0.1: API gateway, identity provider, DynamoDB, SQS/SNS, Step Functions and every function. Ctrl-C stops it.')
    .allowExcessArguments(false)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined })

    .optionsGroup('The API:')
    .addOption(
      new Option('--authorizer <mode>', `the API's authorizer: cognito (API Gateway's Cognito user-pool authorizer) or lambda (the REQUEST authorizer, apps/authorizer); default ${d.authorizer}`).argParser(
        oneOf<AuthorizerMode>('--authorizer', ['cognito', 'lambda']),
      ),
    )
    .addOption(new Option('--stage <name>', `API stage (default ${d.stage})`).argParser(matching('--stage', /^[a-zA-Z0-9_-]+$/, 'may hold only letters, digits, - and _')))
    .addOption(new Option('--authorizer-ttl <s>', `the Lambda authorizer's result cache, in seconds (default ${d.authorizerTtlSeconds}; 0 disables it)`).argParser(numberIn('--authorizer-ttl', 0, 3600, true)))
    .addOption(new Option('--throttle-rate <n>', "the stage's steady request rate per second (default: infra's)").argParser(numberIn('--throttle-rate', 1, 1_000_000, false)))
    .addOption(new Option('--throttle-burst <n>', "the stage's burst (default: infra's)").argParser(numberIn('--throttle-burst', 1, 1_000_000, true)))

    .optionsGroup('Ports (0 for any free one; the endpoints chosen are in <data dir>/outputs.json):')
    .addOption(new Option('--port <n>', `API gateway and /docs (default ${d.ports.api})`).argParser(port('--port')))
    .addOption(new Option('--api-port <n>').hideHelp().argParser(port('--api-port')).conflicts('port'))
    .addOption(new Option('--cognito-port <n>', `identity provider (default ${d.ports.cognito})`).argParser(port('--cognito-port')))
    .addOption(new Option('--dynamodb-port <n>', `DynamoDB (default ${d.ports.dynamodb})`).argParser(port('--dynamodb-port')))
    .addOption(new Option('--sqs-port <n>', `SQS and SNS (default ${d.ports.messaging})`).argParser(port('--sqs-port')))
    .addOption(new Option('--sns-port <n>').hideHelp().argParser(port('--sns-port')).conflicts('sqsPort'))
    .addOption(new Option('--sfn-port <n>', `Step Functions (default ${d.ports.sfn})`).argParser(port('--sfn-port')))

    .optionsGroup('A first look:')
    .addOption(
      new Option(
        '--demo',
        `once ready, sign up ${DEMO_USER.email} (password ${DEMO_USER.password}) and place a few orders through the API; the simulated providers accept every order (failure rates 0) unless a rate is given`,
      ),
    )

    .optionsGroup('State:')
    .addOption(new Option('--persist', 'keep the users, the table and the queues on disk in the data directory, for the next start (without it, every start is a new, empty system)'))
    .addOption(new Option('--data-dir <dir>', `where state lives (default ${d.dataDir})`).argParser(matching('--data-dir', /\S/, 'is not a directory name')))
    .addOption(new Option('--region <region>', `(default ${d.region})`).argParser(matching('--region', /^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'is not an AWS region name')))

    .optionsGroup('The workflow, the queue and the schedule:')
    .addOption(new Option('--wait-seconds <n>', `the workflow's Wait state (30 s in AWS; default ${d.waitSeconds} here)`).argParser(numberIn('--wait-seconds', 0, 3600, true)))
    .addOption(new Option('--visibility-timeout <s>', "the order queue's visibility timeout (default 6 × create-order's timeout, as in AWS)").argParser(numberIn('--visibility-timeout', 0, 43200, true)))
    .addOption(new Option('--reconcile-every <s>', 'how often the reconciler runs (default: every 5 minutes, as deployed)').argParser(numberIn('--reconcile-every', 0.1, 86400, false)))
    .addOption(new Option('--retain-executions <n>', `finished executions kept with their history (default ${d.retainExecutions})`).argParser(numberIn('--retain-executions', 1, 1_000_000, true)))
    .addOption(new Option('--retain-minutes <m>', `finished executions kept at most this long (default ${d.retainExecutionMinutes})`).argParser(numberIn('--retain-minutes', 1, 60 * 24 * 90, false)))
    .addOption(new Option('--drain-seconds <s>', `on Ctrl-C, how long running executions get to finish (default ${d.drainSeconds})`).argParser(numberIn('--drain-seconds', 0, 600, false)))

    .optionsGroup('The functions:')
    .addOption(new Option('--payment-failure-rate <0-1>', "process-payment's PAYMENT_FAILURE_RATE (default: the app's, 0.2)").argParser((v: string) => setting('process-payment', 'PAYMENT_FAILURE_RATE', String(paymentRate(v)))))
    .addOption(new Option('--restaurant-failure-rate <0-1>', "send-order's RESTAURANT_FAILURE_RATE (default: the app's, 0.2)").argParser((v: string) => setting('send-order', 'RESTAURANT_FAILURE_RATE', String(restaurantRate(v)))))
    .addOption(new Option('--env <app>:<NAME>=<value>', 'set a variable of one function (repeatable), e.g. --env process-payment:PAYMENT_RANDOM_SEED=42').argParser((v: string) => setting(...envSetting(v))))
    .addOption(new Option('--concurrency <n>', `each function's concurrency limit (default ${d.functionConcurrency}); beyond it, invocations are throttled as Lambda throttles them`).argParser(numberIn('--concurrency', 1, 1000, true)))
    .addOption(
      new Option('--environments <n>', `each function's execution environments at most (default ${d.functionEnvironments}: this machine's cores, at least 2, within --concurrency); invocations beyond them wait for one`).argParser(
        numberIn('--environments', 1, 1000, true),
      ),
    )
    .addOption(new Option('--watch', 'rebuild a function when its source changes, keeping all state'))

    .optionsGroup('What the stack prints:')
    .addOption(new Option('--log-level <level>', `the functions' POWERTOOLS_LOG_LEVEL: ${LOG_LEVELS.join(', ')} (default ${d.logLevel})`).argParser(oneOf('--log-level', LOG_LEVELS, (v) => v.toUpperCase())))
    .addOption(new Option('--quiet', "do not print the functions' logs"))
    .addOption(new Option('--verbose', "print the functions' raw log lines and the identity provider's debug output (passwords, tokens and secrets are always redacted)"))
    .addOption(new Option('--exit-with-parent', 'stop when the process that started the stack exits (for test harnesses)'))
    .addHelpOption(new Option('-h, --help', 'print this help').helpGroup('What the stack prints:'))

    .addHelpText(
      'after',
      `
Examples:
  npm start -- --demo
  npm start -- --authorizer lambda
  npm start -- --payment-failure-rate 0 --restaurant-failure-rate 0
  npm start -- --port 0 --cognito-port 0 --dynamodb-port 0 --sqs-port 0 --sfn-port 0
  npm start -- --env get-orders:POWERTOOLS_LOG_LEVEL=DEBUG --verbose

Then, in another terminal: npx orders --help`,
    );
  return program;
}

/** The text of --help, wrapped at `width` columns. */
export function usage(width = 100): string {
  let text = '';
  const program = stackCommand([])
    .configureHelp({ helpWidth: width })
    .configureOutput({ writeOut: (t) => (text += t) });
  program.outputHelp();
  return text.trimEnd();
}

type Parsed = Partial<{
  authorizer: AuthorizerMode;
  stage: string;
  authorizerTtl: number;
  throttleRate: number;
  throttleBurst: number;
  port: number;
  apiPort: number;
  cognitoPort: number;
  dynamodbPort: number;
  sqsPort: number;
  snsPort: number;
  sfnPort: number;
  persist: boolean;
  dataDir: string;
  region: string;
  waitSeconds: number;
  visibilityTimeout: number;
  reconcileEvery: number;
  retainExecutions: number;
  retainMinutes: number;
  drainSeconds: number;
  concurrency: number;
  environments: number;
  watch: boolean;
  logLevel: string;
  quiet: boolean;
  verbose: boolean;
  exitWithParent: boolean;
  demo: boolean;
}>;

/** commander's own refusals, said as the stack says the others: the option, then what is wrong. */
function optionsErrorOf(error: CommanderError, operands: readonly string[]): OptionsError {
  const message = error.message.replace(/^error: /, '');
  switch (error.code) {
    case 'commander.optionMissingArgument': {
      const flag = /option '(-[-\w]+)/.exec(message)?.[1] ?? 'an option';
      return new OptionsError(`${flag} needs a value`);
    }
    case 'commander.unknownOption':
      // "unknown option '--prot'\n(Did you mean --port?)", as the orders CLI says it.
      return new OptionsError(message.includes('Did you mean') ? message : `${message} (npm start -- --help lists every option)`);
    case 'commander.excessArguments':
      return new OptionsError(`the stack takes options only, not ${operands.map(shown).join(' ')} (npm start -- --help lists every option)`);
    case 'commander.conflictingOption':
      // Only the old names of two ports conflict with anything: --api-port (--port) and --sns-port (--sqs-port).
      return new OptionsError(message.replace(/option '(--[\w-]+)[^']*' cannot be used with option '(--[\w-]+)[^']*'/, '$1 is another name for $2: give one of them'));
    default:
      return new OptionsError(message);
  }
}

/**
 * Parses the command line (`--flag value` and `--flag=value` both work). Returns undefined for
 * --help; throws an OptionsError naming the option for anything it cannot take.
 */
export function parseOptions(argv: readonly string[]): StackOptions | undefined {
  const settings: Array<[string, string, string]> = [];
  const program = stackCommand(settings);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help') return undefined;
      throw optionsErrorOf(error, program.args);
    }
    throw error;
  }
  const o = program.opts<Parsed>();
  const functionEnv: Record<string, Record<string, string>> = {};
  for (const [app, name, value] of settings) (functionEnv[app] ??= {})[name] = value;
  const demo = o.demo ?? d.demo;
  if (demo) for (const [app, name, value] of DEMO_SETTINGS) (functionEnv[app] ??= {})[name] ??= value;
  const throttle = o.throttleRate !== undefined || o.throttleBurst !== undefined ? { rate: o.throttleRate, burst: o.throttleBurst } : undefined;
  return {
    authorizer: o.authorizer ?? d.authorizer,
    ports: {
      api: o.port ?? o.apiPort ?? d.ports.api,
      cognito: o.cognitoPort ?? d.ports.cognito,
      dynamodb: o.dynamodbPort ?? d.ports.dynamodb,
      messaging: o.sqsPort ?? o.snsPort ?? d.ports.messaging,
      sfn: o.sfnPort ?? d.ports.sfn,
    },
    region: o.region ?? d.region,
    stage: o.stage ?? d.stage,
    dataDir: o.dataDir ?? d.dataDir,
    persist: o.persist ?? d.persist,
    waitSeconds: o.waitSeconds ?? d.waitSeconds,
    ...(o.visibilityTimeout !== undefined ? { visibilityTimeoutSeconds: o.visibilityTimeout } : {}),
    authorizerTtlSeconds: o.authorizerTtl ?? d.authorizerTtlSeconds,
    functionEnv,
    logLevel: o.logLevel ?? d.logLevel,
    quiet: o.quiet ?? d.quiet,
    verbose: o.verbose ?? d.verbose,
    exitWithParent: o.exitWithParent ?? d.exitWithParent,
    ...(o.reconcileEvery !== undefined ? { reconcileEverySeconds: o.reconcileEvery } : {}),
    functionConcurrency: o.concurrency ?? d.functionConcurrency,
    functionEnvironments: o.environments ?? d.functionEnvironments,
    watch: o.watch ?? d.watch,
    retainExecutions: o.retainExecutions ?? d.retainExecutions,
    retainExecutionMinutes: o.retainMinutes ?? d.retainExecutionMinutes,
    drainSeconds: o.drainSeconds ?? d.drainSeconds,
    ...(throttle ? { throttle } : {}),
    demo,
  };
}
