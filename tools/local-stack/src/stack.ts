import { appendFileSync, copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_STAGE_THROTTLING, placeOrderIntegration } from '@serverless-orders/api-gateway';
import { CognitoTokenVerifier } from '@serverless-orders/auth-cognito';
import { FUNCTIONS, ORDER_QUEUE, QUEUE_CONSUMER, type FunctionDefinition, type FunctionName } from '@serverless-orders/function-catalogue';
import { openApiDocument } from '@serverless-orders/http-contract';
import { randomUUID } from 'node:crypto';
import {
  assumeSystemRoles,
  close,
  ensureIdempotencyTable,
  ensureOrdersTable,
  ensureQueues,
  functionInvoker,
  httpServer,
  listen,
  lambdaServiceError,
  LocalIam,
  LocalStepFunctions,
  LOOPBACK,
  sfnRequestHandler,
  startDynamoDb,
  startMessaging,
  type LocalDynamoDb,
  type LocalMessaging,
  type QueueResources,
  type SystemRoles,
} from '@serverless-orders/local-aws';
import { orderWorkflowDefinition, WORKFLOW_TASK_FUNCTIONS, type WorkflowResources } from '@serverless-orders/order-workflow';
import { apiRequestHandler, DEFAULT_CORS_ALLOW_ORIGIN } from './apigateway/api';
import { cognitoClaimsVerifier, CognitoUserPoolAuthorizer, lambdaAuthorizerIdentityHeader, LambdaRequestAuthorizer, type GatewayAuthorizer } from './apigateway/authorizers';
import { serveDocs } from './apigateway/docs';
import { assertLoopbackOnly } from './apigateway/loopback-only';
import { compileModels } from './apigateway/request-validator';
import { routesFromDocument } from './apigateway/routes';
import { StageThrottle } from './apigateway/throttle';
import { sqsQueryAction } from './apigateway/sqs-query-protocol';
import { ensureUserPool, type UserPool } from './cognito/user-pool';
import { startIdentityProvider, type IdentityProvider } from './cognito/identity-provider';
import { functionEnvironment, ROLE_PREFIX, type StackResources } from './lambda/function-environment';
import { formatLogLine } from './lambda/function-logs';
import { FunctionRuntime } from './lambda/function-runtime';
import { FunctionWatcher } from './lambda/watch';
import lambdaBundleOptions from '@serverless-orders/platform-lambda/bundling';
import type { StackOptions } from './options';
import { redactLine } from './redaction';
import { Schedule } from './scheduler/schedule';
import { EventSourceMapping } from './sqs/event-source-mapping';
import { ExecutionJournal } from './stepfunctions/execution-journal';
import { OrderLog } from './stepfunctions/order-log';
import { sqsQueue } from './sqs/order-queue';
import { acquireLock, writeOutputs, type StackOutputs } from './state-files';

export const ACCOUNT_ID = '000000000000';
export const API_ID = 'ordlocal01';
const PREFIX = 'serverless-orders-local';
export const NAMES = {
  userPool: `${PREFIX}-users`,
  userPoolClient: `${PREFIX}-client`,
  table: `${PREFIX}-orders`,
  idempotencyTable: `${PREFIX}-idempotency`,
  queue: `${PREFIX}-orders`,
  deadLetterQueue: `${PREFIX}-orders-dlq`,
  topic: `${PREFIX}-notifications`,
  notificationQueue: `${PREFIX}-notifications-inbox`,
  stateMachine: `${PREFIX}-order-workflow`,
};

export interface RunningStack {
  readonly outputs: StackOutputs;
  readonly outputsFile: string;
  stop(): Promise<void>;
  /** Initialises one environment of every function in the background, so first requests are warm. */
  prewarm(): void;
}

export interface StackEnvironment {
  /** The workspace root: dist/apps/* and the data directory are found from it. */
  readonly root: string;
  readonly log: (line: string) => void;
}

type Cleanups = Array<() => Promise<void> | void>;

/** The end events of an execution: it no longer needs starting again. */
const EXECUTION_ENDS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

/** Everything the steps of the start-up hand to each other. */
interface Started {
  readonly options: StackOptions;
  readonly env: StackEnvironment;
  readonly dataDir: string;
  readonly cleanups: Cleanups;
  /** What stops the triggers (the queue's poller, the schedules): the first thing a stop does after the gateway. */
  readonly triggerStops: Cleanups;
  /** Set when the stack starts to stop: the gateway answers 503. */
  stopping: boolean;
  /** Set once the drain is over: the executions aborted from then on stay in the journal, to start again. */
  aborting: boolean;
  /** With --persist: the running executions on disk, started again at the next start. */
  journal?: ExecutionJournal;
  iam: LocalIam;
  roles: SystemRoles;
  store: LocalDynamoDb;
  messaging: LocalMessaging;
  idp: IdentityProvider;
  queues: QueueResources;
  pool: UserPool;
  sfn: LocalStepFunctions;
  sfnEndpoint: string;
  stateMachineArn: string;
  functions: Map<string, FunctionRuntime>;
  environments: Map<string, Record<string, string>>;
  invoke: ReturnType<typeof functionInvoker>;
  apiUrl: string;
  docsUrl: string;
}

function bundleOf(root: string, app: string): string {
  return join(root, 'dist', 'apps', app, 'main.js');
}

/** The functions this mode needs: all of them, the authorizer only with --authorizer lambda. */
function neededFunctions(options: StackOptions): FunctionDefinition[] {
  return FUNCTIONS.filter((f) => f.trigger.kind !== 'authorizer' || options.authorizer === 'lambda');
}

/**
 * Copies each function's bundle (and source map) from dist/apps into the data directory, like a
 * deployment: a rebuild of dist/ while the stack runs changes nothing until it is reloaded. A
 * bundle that is missing is waited for a little (a build may be rewriting dist/), then named.
 */
async function snapshotBundles(s: Started): Promise<Record<string, string>> {
  const { root, log } = s.env;
  const fns = neededFunctions(s.options);
  const deadline = Date.now() + 30_000;
  for (let warned = false; ; warned = true) {
    const missing = fns.filter((f) => !existsSync(bundleOf(root, f.app)));
    if (missing.length === 0) break;
    const names = missing.map((f) => f.app).join(', ');
    if (Date.now() > deadline) {
      throw Object.assign(new Error(`no bundle for ${names} in dist/apps: build them first (npx nx run-many -t build)`), { name: 'BundleMissingError' });
    }
    if (!warned) log(`waiting for the bundles of ${names} in dist/apps…`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const files: Record<string, string> = {};
  for (const fn of fns) files[fn.app] = snapshotBundle(root, s.dataDir, fn.app);
  return files;
}

/** One function's bundle copied into the data directory; its path. */
export function snapshotBundle(root: string, dataDir: string, app: string): string {
  const target = join(dataDir, 'functions', app);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const name of ['main.js', 'main.js.map']) {
    const from = join(root, 'dist', 'apps', app, name);
    if (existsSync(from)) copyFileSync(from, join(target, name));
  }
  return join(target, 'main.js');
}

/**
 * Step 1: the stores and services, each on its own port; with --persist, their state on disk.
 * Each evaluates every call against the caller's role (local IAM: the roles are given their
 * policies in step 3).
 */
async function startServices(s: Started): Promise<void> {
  const { options, dataDir, cleanups } = s;
  s.iam = new LocalIam({ region: options.region, accountId: ACCOUNT_ID });
  s.iam.onDecision((d) => {
    if (!d.allowed) s.env.log(`[iam] AccessDenied: ${d.principal} may not ${d.action} on ${d.resource}`);
  });
  // For tests: every decision made for a role, one JSON line each (what the functions really call).
  const audit = process.env.LOCAL_STACK_IAM_AUDIT;
  if (audit) s.iam.onDecision((d) => appendFileSync(audit, `${JSON.stringify(d)}\n`));
  s.store = await startDynamoDb({ port: options.ports.dynamodb, path: options.persist ? join(dataDir, 'dynamodb') : undefined, intercept: s.iam.intercept(['dynamodb']) });
  cleanups.push(() => s.store.close());
  s.messaging = await startMessaging({
    port: options.ports.messaging,
    region: options.region,
    dataDir: options.persist ? join(dataDir, 'sqs') : undefined,
    intercept: s.iam.intercept(['sqs', 'sns']),
  });
  cleanups.push(() => s.messaging.close());
  s.idp = await startIdentityProvider({
    port: options.ports.cognito,
    dataDir,
    persist: options.persist,
    region: options.region,
    accountId: ACCOUNT_ID,
    verbose: options.verbose,
    log: s.env.log,
  });
  cleanups.push(() => s.idp.close());
}

/**
 * Lambda's answer to an Invoke the caller's role may not make, as Step Functions reports it
 * (`Lambda.AWSLambdaException`, IAM's sentence and the Lambda service's details as its cause).
 */
function invokeDenied(message: string) {
  return lambdaServiceError('AWSLambdaException', `${message} (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: ${randomUUID()}; Proxy: null)`);
}

/** Step 2: Step Functions, its executions run by the local functions, invoked with the state machine's role. */
async function startStepFunctions(s: Started): Promise<void> {
  const { options, env } = s;
  s.functions = new Map();
  s.invoke = functionInvoker(s.functions, options.region, ACCOUNT_ID);
  const invokeAsWorkflow = async (name: string, event: unknown) => {
    const arn = `arn:aws:lambda:${options.region}:${ACCOUNT_ID}:function:${name}`;
    const decision = await s.iam.authorize(s.roles.workflow, [{ action: 'lambda:InvokeFunction', resource: arn }]);
    return decision.allowed ? s.invoke(name, event) : invokeDenied(decision.message);
  };
  s.journal = journalOf(s);
  const orderLog = new OrderLog(options.verbose);
  s.sfn = new LocalStepFunctions({
    region: options.region,
    accountId: ACCOUNT_ID,
    invoke: invokeAsWorkflow,
    retainFinished: options.retainExecutions,
    retainFinishedMs: options.retainExecutionMinutes * 60_000,
    // Its own lines are about executions; the order's progress is printed from their events.
    log: options.verbose ? (l) => env.log(`[workflow] ${l}`) : undefined,
    onEvent: (execution, event) => {
      if (event.type === 'ExecutionStarted' || event.type === 'ExecutionRedriven') s.journal?.started(execution);
      else if (EXECUTION_ENDS.has(event.type) && !s.aborting) s.journal?.ended(execution.name);
      if (!options.quiet) for (const line of orderLog.lines(execution, event)) env.log(`[workflow] ${line}`);
    },
  });
  s.cleanups.push(() => s.sfn.stopAll());
  const server = httpServer(sfnRequestHandler(s.sfn, env.log, s.iam.intercept(['states'])), env.log);
  const port = await listen(server, options.ports.sfn, 'Step Functions', '--sfn-port');
  s.cleanups.push(() => close(server));
  s.sfnEndpoint = `http://${LOOPBACK}:${port}`;
}

/**
 * The journal of running executions, with --persist (in the data directory, beside the tables
 * and queues). Without it, there is nothing to carry over: a journal left by an earlier
 * persistent run is set aside, not replayed into a new system.
 */
function journalOf(s: Started): ExecutionJournal | undefined {
  const file = join(s.dataDir, 'step-functions', 'executions.jsonl');
  if (!s.options.persist) {
    rmSync(file, { force: true });
    return undefined;
  }
  return ExecutionJournal.open(file);
}

/**
 * Step 4b (with --persist): the executions a crash or an unfinished stop interrupted are started
 * again, under their own names, from their input: every step of the workflow is safe to run
 * again (idempotent providers, versioned writes), so an order picks up where it was.
 */
function resumeInterrupted(s: Started): void {
  const interrupted = s.journal?.interrupted() ?? [];
  for (const entry of interrupted) {
    try {
      s.sfn.startExecution({ stateMachineArn: s.stateMachineArn, name: entry.name, input: entry.input });
    } catch (error) {
      s.env.log(`[workflow] order ${entry.name}: not started again (${(error as Error).message})`);
      s.journal?.ended(entry.name);
    }
  }
  if (interrupted.length > 0) s.env.log(`[workflow] ${interrupted.length} execution(s) interrupted last time started again`);
}

/** Step 3: the resources infra would create, made on the first start and reused after. */
async function ensureResources(s: Started): Promise<void> {
  const { options } = s;
  await ensureOrdersTable(s.store.client, NAMES.table);
  await ensureIdempotencyTable(s.store.client, NAMES.idempotencyTable);
  s.queues = await ensureQueues(s.messaging.endpoint, options.region, NAMES, {
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? ORDER_QUEUE.visibilityTimeoutSeconds,
    maxReceiveCount: ORDER_QUEUE.maxReceiveCount,
    deadLetterRetentionSeconds: ORDER_QUEUE.deadLetterRetentionSeconds,
  });
  s.pool = await ensureUserPool(s.idp.endpoint, options.region, NAMES);
  const lambdaArn = (app: string) => `arn:aws:lambda:${options.region}:${ACCOUNT_ID}:function:${app}`;
  const resources = Object.fromEntries(WORKFLOW_TASK_FUNCTIONS.map((fn) => [fn, lambdaArn(fn)])) as WorkflowResources;
  s.stateMachineArn = s.sfn.createStateMachine(NAMES.stateMachine, orderWorkflowDefinition({ waitSeconds: options.waitSeconds, resources }) as never);
  const tableArn = (name: string) => `arn:aws:dynamodb:${options.region}:${ACCOUNT_ID}:table/${name}`;
  // Every role infra creates, with the policy infra attaches, from the same catalogue.
  s.roles = assumeSystemRoles(s.iam, {
    prefix: ROLE_PREFIX,
    region: options.region,
    accountId: ACCOUNT_ID,
    arns: {
      table: tableArn(NAMES.table),
      idempotencyTable: tableArn(NAMES.idempotencyTable),
      queue: s.queues.orderQueueArn,
      deadLetterQueue: s.queues.deadLetterQueueArn,
      stateMachine: s.stateMachineArn,
      topic: s.queues.topicArn,
    },
    taskFunctions: WORKFLOW_TASK_FUNCTIONS,
    removeStatements: removedStatements(),
  });
}

/**
 * For tests that show what a missing permission does: LOCAL_STACK_IAM_REMOVE names statements
 * to leave out of the roles' policies, as `<role>:<Sid>` separated by commas (`create-order:WorkflowStart`;
 * a role is a function's name, `workflow`, `api` or `schedule:<function>`). An unknown one stops the start.
 */
function removedStatements(): string[] {
  return (process.env.LOCAL_STACK_IAM_REMOVE ?? '').split(',').map((x) => x.trim()).filter(Boolean);
}

/**
 * The values of `from: 'config'` settings, as infra's stack config gives them: the CORS origin,
 * how long the reconciler waits, and the simulated providers' ledgers (in the data directory,
 * so that tests and a curious developer can see what was charged and sent, exactly once each).
 */
function configValues(s: Started): Record<string, string> {
  return {
    CORS_ALLOW_ORIGIN: DEFAULT_CORS_ALLOW_ORIGIN,
    RECONCILE_AFTER_SECONDS: String(s.options.waitSeconds + 600),
    PAYMENT_LEDGER_DIR: join(s.dataDir, 'ledger', 'payments'),
    RESTAURANT_LEDGER_DIR: join(s.dataDir, 'ledger', 'restaurant'),
  };
}

/** Step 4: every function, from its snapshot bundle, with its own environment. */
async function startFunctions(s: Started): Promise<void> {
  const { options, env } = s;
  const bundles = await snapshotBundles(s);
  // Without --persist every start is a new system: what the providers did before is gone too.
  if (!options.persist) rmSync(join(s.dataDir, 'ledger'), { recursive: true, force: true });
  const resources: StackResources = {
    region: options.region,
    tableName: NAMES.table,
    idempotencyTableName: NAMES.idempotencyTable,
    stateMachineArn: s.stateMachineArn,
    topicArn: s.queues.topicArn,
    deadLetterQueueUrl: s.queues.deadLetterQueueUrl,
    endpoints: { dynamodb: s.store.endpoint, sqs: s.messaging.endpoint, sns: s.messaging.endpoint, sfn: s.sfnEndpoint, cognito: s.idp.endpoint },
  };
  const authorizerEnv: Record<string, string> = {
    AUTH_SCHEME: 'cognito',
    COGNITO_USER_POOL_ID: s.pool.poolId,
    COGNITO_CLIENT_ID: s.pool.clientId,
    COGNITO_TOKEN_USE: 'id',
    COGNITO_JWKS_URI: s.idp.jwksUri(s.pool.poolId),
  };
  const width = Math.max(...FUNCTIONS.map((f) => f.app.length));
  s.environments = new Map();
  for (const fn of neededFunctions(options)) {
    const extra = { ...(fn.app === 'authorizer' ? authorizerEnv : {}), ...(options.functionEnv[fn.app] ?? {}) };
    const environment = functionEnvironment(fn, resources, configValues(s), extra, options.logLevel);
    s.environments.set(fn.app, environment);
    const runtime = new FunctionRuntime({
      name: fn.app,
      file: bundles[fn.app],
      env: environment,
      timeoutSeconds: fn.timeoutSeconds,
      memoryMb: fn.memoryMb,
      region: options.region,
      accountId: ACCOUNT_ID,
      concurrency: options.functionConcurrency,
      compileCacheDir: join(s.dataDir, 'compile-cache'),
      // One write per batch of lines (an invocation's lines arrive together with its result).
      output: options.quiet ? undefined : (lines) => env.log(lines.map((line) => `[${fn.app.padEnd(width)}] ${formatLogLine(line, options.verbose)}`).join('\n')),
    });
    s.functions.set(fn.app, runtime);
    s.cleanups.push(() => {
      // What a function's CloudWatch metrics would say: Invocations, Throttles, and its cold starts.
      if (runtime.invocations > 0) env.log(`[${fn.app.padEnd(width)}] ${runtime.invocations} invocations, ${runtime.coldStarts} cold starts, ${runtime.throttles} throttled`);
      return runtime.close();
    });
  }
}

/** The API's authorizer, as the stack's mode says: API Gateway's Cognito user-pool authorizer, or the Lambda REQUEST authorizer. */
function gatewayAuthorizer(s: Started, invoke: Started['invoke']): GatewayAuthorizer {
  const log = (l: string) => s.env.log(`[gateway] ${redactLine(l)}`);
  if (s.options.authorizer === 'lambda') {
    // The identity source, as infra derives it from the authorizer's settings (SHARED_SECRET_HEADER …).
    const identityHeader = lambdaAuthorizerIdentityHeader(s.environments.get('authorizer') ?? {});
    return new LambdaRequestAuthorizer((event) => invoke('authorizer', event), s.options.authorizerTtlSeconds, log, Date, identityHeader);
  }
  const verifier = new CognitoTokenVerifier({
    userPoolId: s.pool.poolId,
    clientIds: [s.pool.clientId],
    tokenUse: 'id',
    jwksUri: s.idp.jwksUri(s.pool.poolId),
    jwksTimeoutMs: 3000,
  });
  return new CognitoUserPoolAuthorizer(cognitoClaimsVerifier(verifier, log));
}

/**
 * Step 5: the API gateway (routes, throttling, authorizer, request validator, integrations as
 * infra deploys them) and /docs. It is the last server to start: once it listens, the process is
 * checked to listen on loopback alone (the identity provider's signing key is public).
 */
async function startGateway(s: Started): Promise<void> {
  const { options, env } = s;
  // API Gateway sends to the queue with its own role (queueSendPolicy).
  const queueClient = new SQSClient({ region: options.region, endpoint: s.messaging.endpoint, credentials: s.roles.api });
  s.cleanups.push(() => queueClient.destroy());
  const docsAssets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const routes = routesFromDocument();
  compileModels(routes);
  // The stage's throttling as infra deploys it by default; --throttle-rate and --throttle-burst override it.
  const throttling = { rateLimit: options.throttle?.rate ?? DEFAULT_STAGE_THROTTLING.rateLimit, burstLimit: options.throttle?.burst ?? DEFAULT_STAGE_THROTTLING.burstLimit };
  // The gateway's synchronous calls wait for a free environment (FunctionRuntime.invokeWaiting).
  const waiting = new Map([...s.functions].map(([name, fn]) => [name, { invoke: (event: unknown) => fn.invokeWaiting(event) }]));
  const invokeFromApi = functionInvoker(waiting, options.region, ACCOUNT_ID);
  const api = apiRequestHandler(
      {
        stage: { apiId: API_ID, stage: options.stage, accountId: ACCOUNT_ID, region: options.region, domainName: `${LOOPBACK}:${options.ports.api}` },
        routes,
        authorizer: gatewayAuthorizer(s, invokeFromApi),
        corsAllowOrigin: DEFAULT_CORS_ALLOW_ORIGIN,
        throttle: new StageThrottle(throttling),
        invokeFunction: invokeFromApi,
        queue: {
          integration: placeOrderIntegration(options.authorizer),
          call: (form, requestId) => sqsQueryAction(queueClient, s.queues.orderQueueUrl, form, requestId),
        },
        log: options.quiet ? undefined : (l) => env.log(`[gateway] ${redactLine(l)}`),
      },
      async (path, res) => {
        if (path === '/' || path === '') {
          res.writeHead(302, { Location: '/docs' });
          res.end();
          return true;
        }
        return serveDocs(path, res, docsAssets, () => openApiDocument({ title: 'Serverless Orders API (local)', serverUrl: s.apiUrl }));
      },
  );
  const gateway = httpServer(unlessStopping(s, api), env.log);
  const port = await listen(gateway, options.ports.api, 'API gateway', '--port');
  s.cleanups.push(() => close(gateway));
  assertLoopbackOnly();
  s.apiUrl = `http://${LOOPBACK}:${port}/${options.stage}`;
  s.docsUrl = `http://${LOOPBACK}:${port}/docs`;
}

/**
 * While the stack stops, the gateway takes no new request: 503 (as API Gateway answers when what
 * is behind it is unavailable), so no client gets a 202 for an order that no consumer will read.
 */
function unlessStopping(s: Started, handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  return (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!s.stopping) return handler(req, res);
    req.resume();
    res.writeHead(503, { 'Content-Type': 'application/json', Connection: 'close' });
    res.end(JSON.stringify({ message: 'Service Unavailable' }));
    return Promise.resolve();
  };
}

/**
 * Step 7 (--watch): a change under apps/ or libs/ rebuilds the functions it is part of, as the
 * deployed bundles are built, and replaces only their environments. The first build of each
 * runs after the stack is ready, so that the start is no slower.
 */
function startWatching(s: Started): void {
  const { options, env } = s;
  const { outExtension: _outExtension, ...bundleOptions } = lambdaBundleOptions;
  const functions = neededFunctions(options).map((fn) => ({ app: fn.app, reload: (file: string) => s.functions.get(fn.app)?.reload(file) ?? Promise.resolve() }));
  const started = FunctionWatcher.start({ root: env.root, outDir: join(s.dataDir, 'functions', '.watch'), functions, bundleOptions, log: env.log }).then(
    (watcher) => {
      env.log(`[watch] watching apps/ and libs/: a change rebuilds the ${functions.length} functions it is part of`);
      return watcher;
    },
    (error: Error) => {
      env.log(`[watch] not watching: ${error.message}`);
      return undefined;
    },
  );
  s.cleanups.push(async () => (await started)?.close());
}

/** Step 6: the triggers: the order queue's event source mapping, and each scheduled function's schedule. */
function startTriggers(s: Started): void {
  const { options, env } = s;
  // Lambda polls the queue with the consumer's own role (its queue:consume permission).
  const queue = sqsQueue(s.messaging.endpoint, options.region, s.queues.orderQueueUrl, s.roles.function(QUEUE_CONSUMER.app as FunctionName));
  s.cleanups.push(() => queue.close());
  const trigger = QUEUE_CONSUMER.trigger as Extract<FunctionDefinition['trigger'], { kind: 'queue' }>;
  const consumer = s.functions.get(QUEUE_CONSUMER.app);
  if (!consumer) throw new Error(`the queue consumer ${QUEUE_CONSUMER.app} is not running`);
  // Lambda's poller for the queue: it takes messages only when the consumer has a unit of
  // concurrency free, in batches as the catalogue (and so infra) sets them.
  const mapping = new EventSourceMapping({
    queue,
    queueArn: s.queues.orderQueueArn,
    region: options.region,
    batchSize: trigger.batchSize,
    maxBatchingWindowSeconds: trigger.maxBatchingWindowSeconds,
    reportBatchItemFailures: true,
    consumer,
    log: (l) => env.log(`[event-source-mapping] ${l}`),
  });
  mapping.start();
  s.triggerStops.push(() => mapping.stop());
  for (const fn of FUNCTIONS) {
    if (fn.trigger.kind !== 'schedule') continue;
    const schedule = new Schedule({
      everyMs: (options.reconcileEverySeconds ?? fn.trigger.everyMinutes * 60) * 1000,
      invoke: async (event) => {
        // EventBridge Scheduler invokes with the schedule's own role (schedulerPolicy).
        const arn = `arn:aws:lambda:${options.region}:${ACCOUNT_ID}:function:${fn.app}`;
        const decision = await s.iam.authorize(s.roles.schedule(fn.app as FunctionName), [{ action: 'lambda:InvokeFunction', resource: arn }]);
        if (!decision.allowed) {
          env.log(`[scheduler] ${fn.app} not invoked: AccessDeniedException: ${decision.message}`);
          return;
        }
        const result = await s.invoke(fn.app, event);
        if (!result.ok) env.log(`[scheduler] ${fn.app} failed: ${result.errorType}: ${result.errorMessage}`);
      },
      scheduleArn: `arn:aws:scheduler:${options.region}:${ACCOUNT_ID}:schedule/default/${PREFIX}-${fn.app}`,
      log: (l) => env.log(`[scheduler] ${l}`),
    });
    schedule.start();
    s.triggerStops.push(() => schedule.stop());
  }
}

function outputsOf(s: Started): StackOutputs {
  return {
    apiUrl: s.apiUrl,
    userPoolId: s.pool.poolId,
    userPoolClientId: s.pool.clientId,
    userPoolClientSecret: s.pool.clientSecret,
    region: s.options.region,
    tableName: NAMES.table,
    idempotencyTableName: NAMES.idempotencyTable,
    orderQueueUrl: s.queues.orderQueueUrl,
    deadLetterQueueUrl: s.queues.deadLetterQueueUrl,
    deadLetterQueueArn: s.queues.deadLetterQueueArn,
    topicArn: s.queues.topicArn,
    cognitoEndpoint: s.idp.endpoint,
    dynamodbEndpoint: s.store.endpoint,
    sqsEndpoint: s.messaging.endpoint,
    snsEndpoint: s.messaging.endpoint,
    stepFunctionsEndpoint: s.sfnEndpoint,
    stateMachineArn: s.stateMachineArn,
    notificationQueueUrl: s.queues.notificationQueueUrl,
    paymentLedgerDir: join(s.dataDir, 'ledger', 'payments'),
    docsUrl: s.docsUrl,
    authorizer: s.options.authorizer,
    stage: s.options.stage,
  };
}

async function stopAll(cleanups: Cleanups, log: (line: string) => void): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      log(`while stopping: ${(error as Error).message}`);
    }
  }
}

/**
 * A graceful stop, in the order that loses nothing: the gateway answers 503 to anything new;
 * the triggers stop (the queue's poller finishes the batch in hand; what it has not received
 * stays in the queue); the running executions get --drain-seconds to finish; then everything
 * closes, the stores last. With --persist, an execution still running then stays in the journal
 * and is started again at the next start.
 */
async function stop(s: Started): Promise<void> {
  s.stopping = true;
  await stopAll(s.triggerStops, s.env.log);
  const running = s.sfn?.running().length ?? 0;
  if (running > 0 && s.options.drainSeconds > 0) {
    s.env.log(`waiting up to ${s.options.drainSeconds} s for ${running} running execution(s)…`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([s.sfn.settle(), new Promise<void>((r) => (timer = setTimeout(r, s.options.drainSeconds * 1000)))]);
    clearTimeout(timer);
    const left = s.sfn.running().length;
    if (left > 0) s.env.log(`${left} execution(s) still running${s.journal ? ': they start again at the next start' : ' are lost (no --persist)'}`);
  }
  s.aborting = true;
  await stopAll(s.cleanups, s.env.log);
}

/** Starts everything, step by step; on any failure, stops what was started and rethrows. */
export async function startStack(options: StackOptions, env: StackEnvironment): Promise<RunningStack> {
  const s = { options, env, dataDir: resolve(env.root, options.dataDir), cleanups: [] as Cleanups, triggerStops: [] as Cleanups, stopping: false, aborting: false } as Started;
  try {
    const lock = acquireLock(s.dataDir);
    s.cleanups.push(() => lock.release());
    await startServices(s);
    await startStepFunctions(s);
    await ensureResources(s);
    await startFunctions(s);
    resumeInterrupted(s);
    await startGateway(s);
    startTriggers(s);
    if (options.watch) startWatching(s);
    const outputs = outputsOf(s);
    const outputsFile = join(s.dataDir, 'outputs.json');
    writeOutputs(outputsFile, outputs);
    return { outputs, outputsFile, stop: () => stop(s), prewarm: () => s.functions.forEach((f) => f.prewarm()) };
  } catch (error) {
    s.stopping = true;
    s.aborting = true;
    await stopAll(s.triggerStops, env.log);
    await stopAll(s.cleanups, env.log);
    throw error;
  }
}

