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
  | 'table:put' // conditional create or replace
  | 'table:delete'
  | 'queue:consume'
  | 'workflow:start'
  | 'topic:publish';

export type Trigger =
  | { readonly kind: 'http' } // routes name it in the OpenAPI document (x-orders-integration)
  | { readonly kind: 'queue'; readonly queue: 'orders'; readonly batchSize: number }
  | { readonly kind: 'workflow-task' } // the ASL document names it
  | { readonly kind: 'authorizer' };

/**
 * A setting a function reads from its environment. `from` says where its value comes
 * from: a resource the system creates (infra and the local stack fill it in), or config.
 */
export interface Setting {
  readonly name: string;
  readonly from: 'table-name' | 'state-machine-arn' | 'topic-arn' | 'config';
  readonly required: boolean;
}

export interface FunctionDefinition {
  /** The app folder under apps/, and the function's logical name. */
  readonly app: string;
  readonly description: string;
  readonly trigger: Trigger;
  readonly settings: readonly Setting[];
  readonly permissions: readonly Permission[];
  /** Seconds; the queue's visibility timeout is at least 6 times the consumer's. */
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

const tableName: Setting = { name: 'ORDERS_TABLE_NAME', from: 'table-name', required: true };
/** The origin a browser may call the API from ('*' when unset): the functions' answers carry it. */
const corsOrigin: Setting = { name: 'CORS_ALLOW_ORIGIN', from: 'config', required: false };

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
    description: 'Consumes the order queue and starts one workflow execution per order',
    trigger: { kind: 'queue', queue: 'orders', batchSize: 10 },
    settings: [{ name: 'STATE_MACHINE_ARN', from: 'state-machine-arn', required: true }],
    permissions: ['queue:consume', 'workflow:start'],
    timeoutSeconds: 20,
    memoryMb: 256,
  },
  {
    app: 'manage-order-state',
    description: 'Workflow task: saves the order and records each status change, then notifies',
    trigger: { kind: 'workflow-task' },
    settings: [tableName, { name: 'ORDER_TOPIC_ARN', from: 'topic-arn', required: true }],
    permissions: ['table:get', 'table:put', 'topic:publish'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    app: 'process-payment',
    description: 'Workflow task: takes payment (simulated provider)',
    trigger: { kind: 'workflow-task' },
    settings: [
      // 'simulated' (the default) is the only provider so far; a real one is one more adapter.
      { name: 'PAYMENT_PROVIDER', from: 'config', required: false },
      // 0 to 1, default 0.2: the share of payments the simulated provider refuses.
      { name: 'PAYMENT_FAILURE_RATE', from: 'config', required: false },
      // A whole number: makes the simulated outcomes reproducible.
      { name: 'PAYMENT_RANDOM_SEED', from: 'config', required: false },
    ],
    permissions: [],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    app: 'send-order',
    description: 'Workflow task: sends the order to the restaurant (simulated provider)',
    trigger: { kind: 'workflow-task' },
    settings: [
      { name: 'RESTAURANT_PROVIDER', from: 'config', required: false },
      { name: 'RESTAURANT_FAILURE_RATE', from: 'config', required: false },
      { name: 'RESTAURANT_RANDOM_SEED', from: 'config', required: false },
    ],
    permissions: [],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
] as const satisfies readonly FunctionDefinition[];

export type FunctionName = (typeof FUNCTIONS)[number]['app'];

export function functionDefinition(app: FunctionName): FunctionDefinition {
  const found = FUNCTIONS.find((f) => f.app === app);
  if (!found) throw new Error(`no function named ${app}`);
  return found;
}
