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
}

export const DEFAULT_OPTIONS: StackOptions = {
  authorizer: 'cognito',
  ports: { api: 3000, cognito: 9229, dynamodb: 8000, messaging: 4566, sfn: 8083 },
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
  watch: false,
  retainExecutions: 1000,
  retainExecutionMinutes: 60,
  drainSeconds: 5,
};

export const USAGE = `Usage: npm start -- [options]      (or: npx nx run local-stack:start -- [options])

Runs the whole system on 127.0.0.1: API gateway, identity provider, DynamoDB, SQS/SNS,
Step Functions and every function. Ctrl-C stops it.

  --authorizer cognito|lambda   the API's authorizer (default cognito): the Cognito user-pool
                                authorizer, or the Lambda REQUEST authorizer (apps/authorizer)
  --port <n>                    API gateway and /docs (default 3000)
  --cognito-port <n>            identity provider (default 9229)
  --dynamodb-port <n>           DynamoDB (default 8000)
  --sqs-port <n>                SQS and SNS (default 4566)
  --sfn-port <n>                Step Functions (default 8083)
                                (0 for any port: a free one is chosen)
  --persist                     keep the table on disk under the data directory
  --data-dir <dir>              where state lives (default .local)
  --region <region>             (default us-east-1)
  --stage <name>                API stage (default dev)
  --wait-seconds <n>            the workflow's Wait state (default 1)
  --visibility-timeout <s>      the order queue's visibility timeout (default 6 × create-order's timeout)
  --authorizer-ttl <s>          Lambda authorizer result cache TTL (default 300; 0 disables)
  --reconcile-every <s>         how often the reconciler runs (default: every 5 minutes, as deployed)
  --payment-failure-rate <0-1>  process-payment's PAYMENT_FAILURE_RATE
  --restaurant-failure-rate <0-1>  send-order's RESTAURANT_FAILURE_RATE
  --env <app>:<NAME>=<value>    set a variable of one function (repeatable)
  --concurrency <n>             each function's concurrency limit (default 10); beyond it, invocations
                                are throttled as Lambda throttles them
  --watch                       rebuild a function when its source changes, keeping all state
  --retain-executions <n>       finished executions kept with their history (default 1000)
  --retain-minutes <m>          finished executions kept at most this long (default 60)
  --drain-seconds <s>           on Ctrl-C, how long running executions get to finish (default 5)
  --throttle-rate <n>           the stage's steady request rate per second (default: infra's)
  --throttle-burst <n>          the stage's burst (default: infra's)
  --log-level <level>           the functions' POWERTOOLS_LOG_LEVEL (default INFO)
  --quiet                       do not print the functions' logs
  --verbose                     print the functions' raw log lines and the identity provider's
  --exit-with-parent            stop when the process that started the stack exits (for test harnesses)
  --help`;

export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

const APPS = new Set<string>(FUNCTIONS.map((f) => f.app));

function number(flag: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new OptionsError(`${flag} needs a number from ${min} to ${max}, not ${value === undefined ? 'nothing' : `"${value}"`}`);
  }
  return n;
}

/** Parses the command line; `--flag value` and `--flag=value` both work. Returns undefined for --help. */
export function parseOptions(argv: readonly string[]): StackOptions | undefined {
  const o = { ...DEFAULT_OPTIONS, ports: { ...DEFAULT_OPTIONS.ports } };
  const functionEnv: Record<string, Record<string, string>> = {};
  const setEnv = (app: string, name: string, value: string) => ((functionEnv[app] ??= {})[name] = value);
  const args = [...argv];
  while (args.length) {
    let arg = args.shift() as string;
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const value = () => {
      const v = inline ?? args.shift();
      if (v === undefined) throw new OptionsError(`${arg} needs a value`);
      return v;
    };
    const port = () => Math.trunc(number(arg, value(), 0, 65535));
    switch (arg) {
      case '--help':
      case '-h':
        return undefined;
      case '--authorizer': {
        const v = value();
        if (v !== 'cognito' && v !== 'lambda') throw new OptionsError(`--authorizer is cognito or lambda, not "${v}"`);
        o.authorizer = v;
        break;
      }
      case '--port':
      case '--api-port':
        o.ports.api = port();
        break;
      case '--cognito-port':
        o.ports.cognito = port();
        break;
      case '--dynamodb-port':
        o.ports.dynamodb = port();
        break;
      case '--sqs-port':
      case '--sns-port':
        o.ports.messaging = port();
        break;
      case '--sfn-port':
        o.ports.sfn = port();
        break;
      case '--persist':
        o.persist = true;
        break;
      case '--data-dir':
        o.dataDir = value();
        break;
      case '--region': {
        const v = value();
        if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(v)) throw new OptionsError(`--region "${v}" is not an AWS region name`);
        o.region = v;
        break;
      }
      case '--stage': {
        const v = value();
        if (!/^[a-zA-Z0-9_-]+$/.test(v)) throw new OptionsError(`--stage "${v}" may hold only letters, digits, - and _`);
        o.stage = v;
        break;
      }
      case '--wait-seconds':
        o.waitSeconds = Math.trunc(number(arg, value(), 0, 3600));
        break;
      case '--visibility-timeout':
        o.visibilityTimeoutSeconds = Math.trunc(number(arg, value(), 0, 43200));
        break;
      case '--reconcile-every':
        o.reconcileEverySeconds = number(arg, value(), 0.1, 86400);
        break;
      case '--authorizer-ttl':
        o.authorizerTtlSeconds = Math.trunc(number(arg, value(), 0, 3600));
        break;
      case '--payment-failure-rate':
        setEnv('process-payment', 'PAYMENT_FAILURE_RATE', String(number(arg, value(), 0, 1)));
        break;
      case '--restaurant-failure-rate':
        setEnv('send-order', 'RESTAURANT_FAILURE_RATE', String(number(arg, value(), 0, 1)));
        break;
      case '--env': {
        const v = value();
        const m = /^([\w-]+):([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(v);
        if (!m) throw new OptionsError(`--env takes <app>:<NAME>=<value>, not "${v}"`);
        if (!APPS.has(m[1])) throw new OptionsError(`--env: no function named ${m[1]} (one of ${[...APPS].join(', ')})`);
        setEnv(m[1], m[2], m[3]);
        break;
      }
      case '--log-level':
        o.logLevel = value().toUpperCase();
        break;
      case '--quiet':
        o.quiet = true;
        break;
      case '--verbose':
        o.verbose = true;
        break;
      case '--exit-with-parent':
        o.exitWithParent = true;
        break;
      case '--concurrency':
        o.functionConcurrency = Math.trunc(number(arg, value(), 1, 1000));
        break;
      case '--watch':
        o.watch = true;
        break;
      case '--retain-executions':
        o.retainExecutions = Math.trunc(number(arg, value(), 1, 1_000_000));
        break;
      case '--retain-minutes':
        o.retainExecutionMinutes = number(arg, value(), 1, 60 * 24 * 90);
        break;
      case '--drain-seconds':
        o.drainSeconds = number(arg, value(), 0, 600);
        break;
      case '--throttle-rate':
        o.throttle = { ...o.throttle, rate: number(arg, value(), 1, 1_000_000) };
        break;
      case '--throttle-burst':
        o.throttle = { ...o.throttle, burst: Math.trunc(number(arg, value(), 1, 1_000_000)) };
        break;
      default:
        throw new OptionsError(`unknown option ${arg} (see --help)`);
    }
  }
  return { ...o, functionEnv };
}
