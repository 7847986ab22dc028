import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ORDER_QUEUE } from '@serverless-orders/function-catalogue';
import {
  assumeSystemRoles,
  ensureIdempotencyTable,
  ensureOrdersTable,
  ensureQueues,
  LocalIam,
  startDynamoDb,
  startMessaging,
} from '@serverless-orders/local-aws';
import { orderWorkflowDefinition, WORKFLOW_TASK_FUNCTIONS, type WorkflowResources } from '@serverless-orders/order-workflow';
import { startGateway } from './apigateway/gateway-step';
import { startIdentityProvider } from './cognito/identity-provider';
import { ensureUserPool } from './cognito/user-pool';
import { ROLE_PREFIX } from './lambda/function-environment';
import { startFunctions, startWatching } from './lambda/functions-step';
import type { StackOptions } from './options';
import { startSchedules } from './scheduler/schedules-step';
import { startQueueTrigger } from './sqs/queue-trigger-step';
import { ACCOUNT_ID, NAMES, type Cleanups, type StackEnvironment, type Started } from './started';
import { acquireLock, writeOutputs, type StackOutputs } from './state-files';
import { resumeInterrupted, startStepFunctions } from './stepfunctions/step-functions-step';

// The local stack's start-up, read top-down: startStack runs the steps in order (each one in the
// folder of the service it starts, except the emulators and the resources, which span several),
// then stop undoes them, and outputsOf says what was started.

export { ACCOUNT_ID, API_ID, NAMES, type StackEnvironment } from './started';
export { snapshotBundle } from './lambda/functions-step';

export interface RunningStack {
  readonly outputs: StackOutputs;
  readonly outputsFile: string;
  stop(): Promise<void>;
  /** Initialises one environment of every function in the background, so first requests are warm. */
  prewarm(): void;
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
    startQueueTrigger(s);
    startSchedules(s);
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

/** What was started, as the Pulumi stack exports it, plus the local endpoints: written to outputs.json. */
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
