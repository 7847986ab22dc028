import { ORDERS_TABLE } from '@serverless-orders/order-table';
import type { FunctionName } from './functions.catalogue';
import { executionsOf, type SystemArns } from './role-policies';

/**
 * The AWS calls each role makes, as IAM sees them: (action, resource ARN) pairs. This is what
 * the code does, written down independently of the policies (which say what it may do), so
 * that each can be checked against the other: every call is allowed by its role's policy, and
 * every statement of a policy allows a call that would otherwise be denied
 * (role-policies.spec.ts). The local stack checks the third side: each call a function makes
 * there is one of its calls listed here (tools/local-stack iam.int.spec.ts).
 *
 * A resource may end in `*` where the call names a resource that exists only at run time (an
 * execution of the workflow, a log stream).
 */
export interface RoleCall {
  readonly action: string;
  readonly resource: string;
  /** Who makes it and why, for a reader and for test names. */
  readonly why: string;
}

/** What the calls are made on: the system's ARNs, and where the account's functions live. */
export interface CallContext {
  readonly arns: SystemArns;
  readonly region: string;
  readonly accountId: string;
  /** A function's log group ARN (`arn:aws:logs:<region>:<account>:log-group:/aws/lambda/<name>`). */
  readonly logGroupArn: (fn: FunctionName) => string;
  /** A function's ARN. */
  readonly functionArn: (fn: FunctionName) => string;
}

const localIndex = (table: string) => ORDERS_TABLE.localIndexes.map((index) => `${table}/index/${index.name}`);
const globalIndex = (table: string) => ORDERS_TABLE.globalIndexes.map((index) => `${table}/index/${index.name}`);

/** What the Lambda service does with every function's role: its log stream, and its trace segments. */
function runtimeCalls(fn: FunctionName, c: CallContext): RoleCall[] {
  const stream = `${c.logGroupArn(fn)}:log-stream:*`;
  return [
    { action: 'logs:CreateLogStream', resource: stream, why: 'the Lambda runtime opens a log stream per execution environment' },
    { action: 'logs:PutLogEvents', resource: stream, why: 'the Lambda runtime writes the function’s log lines' },
    { action: 'xray:PutTraceSegments', resource: '*', why: 'active tracing sends the function’s segments' },
    { action: 'xray:PutTelemetryRecords', resource: '*', why: 'active tracing reports its own telemetry' },
  ];
}

/** The Powertools idempotency records of a provider step (DynamoDBPersistenceLayer). */
function idempotencyCalls(table: string): RoleCall[] {
  return [
    { action: 'dynamodb:PutItem', resource: table, why: 'Powertools writes the INPROGRESS record of a step' },
    { action: 'dynamodb:UpdateItem', resource: table, why: 'Powertools saves the step’s result' },
    { action: 'dynamodb:GetItem', resource: table, why: 'Powertools reads the record of a step already taken' },
    { action: 'dynamodb:DeleteItem', resource: table, why: 'Powertools deletes the record of a step that failed' },
  ];
}

/** The calls each function's code (and the Lambda service on its role) makes. */
export function functionCalls(fn: FunctionName, c: CallContext): RoleCall[] {
  const { table, idempotencyTable, queue, deadLetterQueue, stateMachine, topic } = c.arns;
  const own = ((): RoleCall[] => {
    switch (fn) {
      case 'get-orders':
        return [
          { action: 'dynamodb:GetItem', resource: table, why: 'GET /orders/{id} reads one order by key' },
          ...localIndex(table).map((resource) => ({ action: 'dynamodb:Query', resource, why: 'GET /orders lists the caller’s orders, newest first' })),
        ];
      case 'update-order':
        return [
          { action: 'dynamodb:GetItem', resource: table, why: 'PUT /orders/{id} reads the order it changes' },
          { action: 'dynamodb:PutItem', resource: table, why: 'PUT /orders/{id} replaces it, conditional on its version' },
        ];
      case 'delete-order':
        return [{ action: 'dynamodb:DeleteItem', resource: table, why: 'DELETE /orders/{id} deletes the order' }];
      case 'authorizer':
        return [];
      case 'create-order':
        return [
          { action: 'sqs:ReceiveMessage', resource: queue, why: 'the event source mapping polls the order queue with the function’s role' },
          { action: 'sqs:DeleteMessage', resource: queue, why: 'the event source mapping deletes the messages of a successful batch' },
          { action: 'sqs:GetQueueAttributes', resource: queue, why: 'the event source mapping reads the queue’s attributes when it is created' },
          { action: 'dynamodb:GetItem', resource: table, why: 'a message delivered again finds its order' },
          { action: 'dynamodb:PutItem', resource: table, why: 'each order is stored PENDING before its workflow starts' },
          { action: 'states:StartExecution', resource: stateMachine, why: 'one workflow execution per order' },
          { action: 'sqs:SendMessage', resource: deadLetterQueue, why: 'a message that can never be an order goes to the dead-letter queue with its reason' },
        ];
      case 'manage-order-state':
        return [
          { action: 'dynamodb:GetItem', resource: table, why: 'each step reads the order' },
          { action: 'dynamodb:PutItem', resource: table, why: 'each step records the order’s new status' },
          { action: 'sns:Publish', resource: topic, why: 'the final status is notified' },
        ];
      case 'process-payment':
      case 'send-order':
        return idempotencyCalls(idempotencyTable);
      case 'reconcile-orders':
        return [
          ...globalIndex(table).map((resource) => ({ action: 'dynamodb:Query', resource, why: 'the orders left non-final, from the sparse index' })),
          { action: 'dynamodb:GetItem', resource: table, why: 'each order is read again before it is changed' },
          { action: 'dynamodb:PutItem', resource: table, why: 'an order is finished, conditional on its version' },
          { action: 'states:DescribeExecution', resource: executionsOf(stateMachine), why: 'the order’s execution says whether it still runs' },
          { action: 'states:RedriveExecution', resource: executionsOf(stateMachine), why: 'an ended execution is resumed' },
          { action: 'states:StartExecution', resource: stateMachine, why: 'an order whose execution never started gets one' },
          { action: 'sns:Publish', resource: topic, why: 'an order the reconciler fails is notified' },
        ];
    }
  })();
  return [...own, ...runtimeCalls(fn, c)];
}

/** The state machine's role: Step Functions invokes each task function with it. */
export function workflowCalls(taskFunctions: readonly FunctionName[], c: CallContext): RoleCall[] {
  return [
    ...taskFunctions.map((fn) => ({ action: 'lambda:InvokeFunction', resource: c.functionArn(fn), why: `the workflow’s Task states invoke ${fn}` })),
    // With logging on, Step Functions delivers the execution logs to CloudWatch Logs under this role.
    { action: 'logs:CreateLogDelivery', resource: '*', why: 'Step Functions sets up the delivery of the execution logs' },
    { action: 'logs:GetLogDelivery', resource: '*', why: 'Step Functions reads the log delivery back' },
    // Tracing on: the execution's segments.
    { action: 'xray:PutTraceSegments', resource: '*', why: 'the workflow’s tracing sends its segments' },
  ];
}

/** API Gateway's role for POST /orders. */
export function queueSendCalls(c: CallContext): RoleCall[] {
  return [{ action: 'sqs:SendMessage', resource: c.arns.queue, why: 'POST /orders puts the order on the queue' }];
}

/** EventBridge Scheduler's role for a scheduled function. */
export function schedulerCalls(fn: FunctionName, c: CallContext): RoleCall[] {
  return [{ action: 'lambda:InvokeFunction', resource: c.functionArn(fn), why: `the schedule invokes ${fn}` }];
}

/** Whether an ARN matches an IAM resource pattern: `*` any run of characters (slashes included), `?` exactly one. Case-sensitive. */
export function arnMatches(pattern: string, arn: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(arn);
}
