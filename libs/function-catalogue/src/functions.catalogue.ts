/**
 * The catalogue of functions, defined once: which app each one is, what triggers it, the
 * settings it reads and what it may touch. The Pulumi program turns an entry into a Lambda,
 * its role and its trigger; the local stack loads dist/apps/<app>/main.js with the same
 * environment and wires the same trigger.
 */

/** What a function may do; each maps to exact IAM actions on one resource in infra. */
export type Permission =
  | 'table:get' // read one order by key
  | 'table:query' // list an owner's orders (the table's local index)
  | 'table:query-unsettled' // list orders left non-final (the table's sparse global index)
  | 'table:put' // conditional create or replace
  | 'table:delete'
  | 'idempotency:use' // Powertools idempotency records of the provider steps
  | 'queue:consume'
  | 'dead-letter:send' // a message that can never be stored, with its reason
  | 'workflow:start'
  | 'workflow:inspect' // DescribeExecution of the workflow's executions
  | 'workflow:redrive' // RedriveExecution of an ended one
  | 'topic:publish';

export type Trigger =
  | { readonly kind: 'http' } // routes name it in the OpenAPI document (x-orders-integration)
  | { readonly kind: 'queue'; readonly queue: 'orders'; readonly batchSize: number; readonly maxBatchingWindowSeconds: number }
  | { readonly kind: 'workflow-task' } // the ASL document names it
  | { readonly kind: 'authorizer' }
  | { readonly kind: 'schedule'; readonly everyMinutes: number }; // EventBridge Scheduler in AWS, a timer locally

/** Where a setting's value comes from: a resource the system creates (infra and the local stack fill it in), or config. */
export type SettingSource = 'table-name' | 'idempotency-table-name' | 'state-machine-arn' | 'topic-arn' | 'dead-letter-queue-url' | 'config';

/** A setting a function reads from its environment. */
export interface Setting {
  readonly name: string;
  readonly from: SettingSource;
  readonly required: boolean;
}

export interface FunctionDefinition {
  /** The app folder under apps/, and the function's logical name. */
  readonly app: string;
  readonly description: string;
  readonly trigger: Trigger;
  readonly settings: readonly Setting[];
  readonly permissions: readonly Permission[];
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

const tableName: Setting = { name: 'ORDERS_TABLE_NAME', from: 'table-name', required: true };
const stateMachineArn: Setting = { name: 'STATE_MACHINE_ARN', from: 'state-machine-arn', required: true };
const topicArn: Setting = { name: 'ORDER_TOPIC_ARN', from: 'topic-arn', required: true };
const idempotencyTable: Setting = { name: 'IDEMPOTENCY_TABLE_NAME', from: 'idempotency-table-name', required: true };
/** The origin a browser may call the API from ('*' when unset): the functions' answers carry it. */
const corsOrigin: Setting = { name: 'CORS_ALLOW_ORIGIN', from: 'config', required: false };

/** A simulated provider's settings: `<PREFIX>_PROVIDER`, failure rate, seed, shared ledger, fault after acting. */
const simulatedProvider = (prefix: 'PAYMENT' | 'RESTAURANT'): Setting[] =>
  ['PROVIDER', 'FAILURE_RATE', 'RANDOM_SEED', 'LEDGER_DIR', 'FAULT_AFTER_ACTING'].map((name) => ({
    name: `${prefix}_${name}`,
    from: 'config',
    required: false,
  }));

export const FUNCTIONS = [
  {
    app: 'get-orders',
    description: 'GET /orders and GET /orders/{id}: the caller’s orders',
    trigger: { kind: 'http' },
    settings: [tableName, corsOrigin],
    permissions: ['table:get', 'table:query'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    app: 'update-order',
    description: 'PUT /orders/{id} (and PUT /orders): change a PENDING order',
    trigger: { kind: 'http' },
    settings: [tableName, corsOrigin],
    permissions: ['table:get', 'table:put'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    app: 'delete-order',
    description: 'DELETE /orders/{id} (and DELETE /order/{userId}/id/{id}): cancel an order',
    trigger: { kind: 'http' },
    settings: [tableName, corsOrigin],
    permissions: ['table:delete'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    app: 'authorizer',
    description: 'Lambda REQUEST authorizer; the token scheme is chosen by AUTH_SCHEME',
    trigger: { kind: 'authorizer' },
    settings: [{ name: 'AUTH_SCHEME', from: 'config', required: true }],
    permissions: [],
    timeoutSeconds: 5,
    memoryMb: 256,
  },
  {
    app: 'create-order',
    description: 'Consumes the order queue: stores each order PENDING, then starts its workflow execution',
    trigger: { kind: 'queue', queue: 'orders', batchSize: 10, maxBatchingWindowSeconds: 0 },
    settings: [tableName, stateMachineArn, { name: 'DEAD_LETTER_QUEUE_URL', from: 'dead-letter-queue-url', required: true }],
    permissions: ['queue:consume', 'table:get', 'table:put', 'workflow:start', 'dead-letter:send'],
    timeoutSeconds: 20,
    memoryMb: 256,
  },
  {
    app: 'manage-order-state',
    description: 'Workflow task: records each status change of an order, then notifies its final status',
    trigger: { kind: 'workflow-task' },
    settings: [tableName, topicArn],
    permissions: ['table:get', 'table:put', 'topic:publish'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    app: 'process-payment',
    description: 'Workflow task: takes payment (simulated provider), once per order version',
    trigger: { kind: 'workflow-task' },
    settings: [idempotencyTable, ...simulatedProvider('PAYMENT')],
    permissions: ['idempotency:use'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    app: 'send-order',
    description: 'Workflow task: sends the order to the restaurant (simulated provider), once per order version',
    trigger: { kind: 'workflow-task' },
    settings: [idempotencyTable, ...simulatedProvider('RESTAURANT')],
    permissions: ['idempotency:use'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    app: 'reconcile-orders',
    description: 'Scheduled: finishes or re-drives orders left non-final beyond the workflow’s time bound',
    trigger: { kind: 'schedule', everyMinutes: 5 },
    settings: [
      tableName,
      stateMachineArn,
      topicArn,
      // Seconds an order may go unchanged before it is looked at (default: the workflow's Wait plus 10 minutes).
      { name: 'RECONCILE_AFTER_SECONDS', from: 'config', required: false },
      // How often an ended run is resumed before the order is failed (default 3).
      { name: 'RECONCILE_MAX_RESUMES', from: 'config', required: false },
    ],
    permissions: ['table:get', 'table:put', 'table:query-unsettled', 'workflow:start', 'workflow:inspect', 'workflow:redrive', 'topic:publish'],
    timeoutSeconds: 60,
    memoryMb: 256,
  },
] as const satisfies readonly FunctionDefinition[];

export type FunctionName = (typeof FUNCTIONS)[number]['app'];

export function functionDefinition(app: FunctionName): FunctionDefinition {
  const found = FUNCTIONS.find((f) => f.app === app);
  if (!found) throw new Error(`no function named ${app}`);
  return found;
}

/** The queue consumer: the one function the order queue triggers. */
export const QUEUE_CONSUMER = functionDefinition('create-order');

/**
 * The order queue and its dead-letter queue, defined once for infra, the local stack and the
 * consumer (which dead-letters a message itself, with its reason, on its last receive).
 */
export const ORDER_QUEUE = {
  /** Receives before SQS moves a message to the dead-letter queue (AWS advises at least 5). */
  maxReceiveCount: 5,
  /** At least 6 × the consumer's timeout (AWS's guidance for SQS event sources), so a batch in progress never reappears. */
  visibilityTimeoutSeconds: 6 * QUEUE_CONSUMER.timeoutSeconds,
  /** The dead-letter queue keeps messages for the maximum, 14 days. */
  deadLetterRetentionSeconds: 14 * 24 * 3600,
} as const;
