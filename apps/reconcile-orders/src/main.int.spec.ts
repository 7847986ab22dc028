import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { DynamoDbOrderRepository, documentClient } from '@serverless-orders/adapters-dynamodb';
import { ensureQueues, startMessaging, type InvokeResult, type LocalMessaging, type QueueResources } from '@serverless-orders/local-aws';
import type { ReconcileReport } from '@serverless-orders/orders-application';
import { newOrder, type Order } from '@serverless-orders/orders-domain';
import { workflowInput } from '@serverless-orders/order-workflow';
import { LOCAL_AWS, loadBundle, startLocalDynamoDb, startLocalWorkflow, type LocalDynamoDb, type LocalWorkflow } from '@serverless-orders/testing';

// The built bundle (dist/apps/reconcile-orders/main.js), invoked as EventBridge Scheduler
// invokes it, against the local DynamoDB (orders table with its sparse "unsettled" index), the
// local Step Functions running the order workflow's ASL, and the local SNS → SQS fan-out.
//
// AWS behaviour pinned: DescribeExecution of a name never started is ExecutionDoesNotExist;
// an execution that FAILED after its Retry ran out is REDRIVABLE and RedriveExecution resumes
// it from the failed state, counting redriveCount; StartExecution names the execution after
// the order, so a start can never make a second run of the same order.
type Handler = (event: unknown, context?: Context) => Promise<ReconcileReport>;

/** How each order's task invocations answer: `hang` never answers (the run stays RUNNING), `crash` is a runtime crash (Lambda.Unknown, retried, then FAILED). */
const behaviour = new Map<string, 'hang' | 'crash'>();
const invocations = new Map<string, number>();
const crash: InvokeResult = { ok: false, errorType: 'Runtime.ExitError', errorMessage: 'RequestId: x Error: Runtime exited with error: exit status 1' };

let db: LocalDynamoDb;
let repo: DynamoDbOrderRepository;
let workflow: LocalWorkflow;
let messaging: LocalMessaging;
let queues: QueueResources;
let sqs: SQSClient;
let handler: Handler;
const hourAgo = () => new Date(Date.now() - 3_600_000);

beforeAll(async () => {
  db = await startLocalDynamoDb();
  const table = await db.createOrdersTable();
  repo = new DynamoDbOrderRepository(documentClient(db.client), table);
  workflow = await startLocalWorkflow(async (_fn, input) => {
    const id = (input as { order?: { id?: string } }).order?.id ?? '';
    invocations.set(id, (invocations.get(id) ?? 0) + 1);
    return behaviour.get(id) === 'crash' ? crash : new Promise<InvokeResult>(() => undefined);
  });
  messaging = await startMessaging({});
  queues = await ensureQueues(messaging.endpoint, LOCAL_AWS.region, { queue: 'orders', deadLetterQueue: 'orders-dlq', topic: 'order-events', notificationQueue: 'inbox' }, {
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 5,
    deadLetterRetentionSeconds: 3600,
  });
  sqs = new SQSClient({ ...LOCAL_AWS, endpoint: messaging.endpoint });
  handler = loadBundle<Handler>('reconcile-orders', {
    ORDERS_TABLE_NAME: table,
    STATE_MACHINE_ARN: workflow.stateMachineArn,
    ORDER_TOPIC_ARN: queues.topicArn,
    RECONCILE_AFTER_SECONDS: '600',
    RECONCILE_MAX_RESUMES: '1',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_ENDPOINT_URL_SFN: workflow.endpoint,
    AWS_ENDPOINT_URL_SNS: messaging.endpoint,
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
});
afterAll(async () => {
  sqs.destroy();
  workflow.sfn.stopAll();
  await workflow.close();
  await messaging.close();
  await db.close();
});

async function stored(at: Date, how: 'hang' | 'crash'): Promise<Order> {
  const order = newOrder(randomUUID(), 'alice', { restaurant_id: 'r-1', item: 'pizza', quantity: 1 }, at);
  behaviour.set(order.id, how);
  await repo.create(order);
  return order;
}

const executionArn = (id: string) => workflow.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${id}`;
const describe_ = (id: string) => workflow.sfn.describeExecution(executionArn(id)) as { status: string; redriveCount?: number };

async function ended(id: string): Promise<{ status: string; redriveCount?: number }> {
  for (let i = 0; i < 200; i++) {
    const run = describe_(id);
    if (run.status !== 'RUNNING') return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`execution ${id} still RUNNING`);
}

async function notifications(): Promise<Array<{ Message: string; MessageAttributes: Record<string, { Value: string }> }>> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.notificationQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  return Messages.map((m) => JSON.parse(m.Body ?? '{}'));
}

describe('reconcile-orders, one scheduled run after another', () => {
  let neverStarted: Order;
  let runningLong: Order;
  let crashing: Order;
  let recent: Order;

  beforeAll(async () => {
    neverStarted = await stored(hourAgo(), 'hang');
    runningLong = await stored(hourAgo(), 'hang');
    workflow.sfn.startExecution({ stateMachineArn: workflow.stateMachineArn, name: runningLong.id, input: JSON.stringify(workflowInput(runningLong)) });
    crashing = await stored(hourAgo(), 'crash');
    workflow.sfn.startExecution({ stateMachineArn: workflow.stateMachineArn, name: crashing.id, input: JSON.stringify(workflowInput(crashing)) });
    expect(await ended(crashing.id)).toMatchObject({ status: 'FAILED' });
    recent = await stored(new Date(), 'hang');
  });

  it('run 1: starts the order whose start was lost, leaves the running one alone, resumes the failed one, ignores the recent one', async () => {
    const crashesBefore = invocations.get(crashing.id);
    const report = await handler({});
    expect(report).toEqual({ examined: 3, running: 1, started: 1, resumed: 1, failed: 0, settled: 0 });
    // The lost start is started now, under the order's own name: its first task was invoked.
    expect(describe_(neverStarted.id).status).toBe('RUNNING');
    await new Promise((r) => setTimeout(r, 50));
    expect(invocations.get(neverStarted.id)).toBe(1);
    // Resumed, not restarted: the same execution, redriveCount 1, and its task ran again.
    const resumed = await ended(crashing.id);
    expect(resumed).toMatchObject({ status: 'FAILED', redriveCount: 1 });
    expect(invocations.get(crashing.id)).toBeGreaterThan(crashesBefore ?? 0);
    expect(invocations.has(recent.id)).toBe(false);
    expect(await notifications()).toEqual([]);
  });

  it('run 2: the order resumed as often as allowed is settled as FAILURE, once, and its owner notified', async () => {
    const report = await handler({});
    // The lost start is now running; nothing is started twice.
    expect(report).toEqual({ examined: 3, running: 2, started: 0, resumed: 0, failed: 1, settled: 0 });
    const failed = await repo.get('alice', crashing.id);
    expect(failed).toMatchObject({ order_status: 'FAILURE', version: crashing.version + 1 });
    expect(failed?.error_message).toMatch(/workflow failed after 1 resumes/);
    const told = await notifications();
    expect(told).toHaveLength(1);
    expect(told[0].MessageAttributes).toMatchObject({ order_id: { Value: crashing.id }, order_status: { Value: 'FAILURE' } });
    expect(told[0].Message).toContain(`Order ${crashing.id} failed.`);
    expect(invocations.get(neverStarted.id)).toBe(1);
  });

  it('run 3: a FAILURE order is off the unsettled index; the running ones are still left alone', async () => {
    expect(await handler({})).toEqual({ examined: 2, running: 2, started: 0, resumed: 0, failed: 0, settled: 0 });
    expect(await notifications()).toEqual([]);
  });
});
