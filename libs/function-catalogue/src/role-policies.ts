import { ORDERS_TABLE } from '@serverless-orders/order-table';
import type { FunctionDefinition, Permission } from './functions.catalogue';

/**
 * The IAM policies of the system's roles, as pure functions of resolved ARNs, defined once:
 * infra attaches them to the roles it creates, and the local stack evaluates every call a
 * function makes against the same document. Rules: no wildcard action anywhere; every resource
 * is a named ARN, except where AWS accepts nothing narrower than "*" (X-Ray, Step Functions
 * log delivery).
 */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** The ARNs a function's permissions refer to, resolved. */
export interface SystemArns {
  readonly table: string;
  readonly idempotencyTable: string;
  readonly queue: string;
  readonly deadLetterQueue: string;
  readonly stateMachine: string;
  readonly topic: string;
}

/** The exact actions behind each permission of the catalogue. */
export const PERMISSION_ACTIONS = {
  'table:get': ['dynamodb:GetItem'],
  // The owner's orders, newest first: a Query on the local index.
  'table:query': ['dynamodb:Query'],
  // The orders left non-final: a Query on the sparse global index.
  'table:query-unsettled': ['dynamodb:Query'],
  // Conditional PutItem: create, and replace on an update or a status change.
  'table:put': ['dynamodb:PutItem'],
  'table:delete': ['dynamodb:DeleteItem'],
  // What Powertools' DynamoDB persistence layer does with an idempotency record.
  'idempotency:use': ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  // What Lambda's SQS event source mapping needs from the function's role (as AWSLambdaSQSQueueExecutionRole).
  'queue:consume': ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
  'dead-letter:send': ['sqs:SendMessage'],
  'workflow:start': ['states:StartExecution'],
  'workflow:inspect': ['states:DescribeExecution'],
  'workflow:redrive': ['states:RedriveExecution'],
  'topic:publish': ['sns:Publish'],
} as const satisfies Record<Permission, readonly string[]>;

/** X-Ray accepts no resource narrower than "*" for these. */
export const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;

/** Step Functions' CloudWatch Logs delivery: AWS documents these with resource "*" only. */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
] as const;

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(arn: string): ParsedArn {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw new Error(`not an ARN: ${arn}`);
  const [, partition, service, region, account, ...resource] = parts;
  return { partition, service, region, account, resource: resource.join(':') };
}

/** Every execution of a state machine: `arn:…:stateMachine:NAME` → `arn:…:execution:NAME:*`. */
export function executionsOf(stateMachineArn: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:*`;
}

const document = (statements: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

const statement = (Sid: string, Action: readonly string[], Resource: readonly string[]): PolicyStatement => ({
  Sid,
  Effect: 'Allow',
  Action: [...Action],
  Resource: [...Resource],
});

/** The resources one permission applies to. */
function permissionStatement(permission: Permission, arns: Partial<SystemArns>): PolicyStatement {
  const arn = (key: keyof SystemArns) => {
    const value = arns[key];
    if (!value) throw new Error(`permission ${permission} needs the ${key} ARN`);
    return value;
  };
  const actions = PERMISSION_ACTIONS[permission];
  switch (permission) {
    case 'table:get':
      return statement('TableGet', actions, [arn('table')]);
    case 'table:query':
      return statement('TableQuery', actions, ORDERS_TABLE.localIndexes.map((index) => `${arn('table')}/index/${index.name}`));
    case 'table:query-unsettled':
      return statement('TableQueryUnsettled', actions, ORDERS_TABLE.globalIndexes.map((index) => `${arn('table')}/index/${index.name}`));
    case 'table:put':
      return statement('TablePut', actions, [arn('table')]);
    case 'table:delete':
      return statement('TableDelete', actions, [arn('table')]);
    case 'idempotency:use':
      return statement('IdempotencyRecords', actions, [arn('idempotencyTable')]);
    case 'queue:consume':
      return statement('QueueConsume', actions, [arn('queue')]);
    case 'dead-letter:send':
      return statement('DeadLetterSend', actions, [arn('deadLetterQueue')]);
    case 'workflow:start':
      return statement('WorkflowStart', actions, [arn('stateMachine')]);
    case 'workflow:inspect':
      return statement('WorkflowInspect', actions, [executionsOf(arn('stateMachine'))]);
    case 'workflow:redrive':
      return statement('WorkflowRedrive', actions, [executionsOf(arn('stateMachine'))]);
    case 'topic:publish':
      return statement('TopicPublish', actions, [arn('topic')]);
  }
}

/**
 * A function's own policy: its log group, X-Ray, and exactly the permissions the catalogue
 * gives it. Only the ARNs its permissions name are needed.
 */
export function functionPolicy(fn: Pick<FunctionDefinition, 'permissions'>, logGroupArn: string, arns: Partial<SystemArns>): PolicyDocument {
  return document([
    // The log group exists already (infra creates it), so no logs:CreateLogGroup.
    statement('Logs', ['logs:CreateLogStream', 'logs:PutLogEvents'], [`${logGroupArn}:*`]),
    statement('Tracing', XRAY_ACTIONS, ['*']),
    ...fn.permissions.map((p) => permissionStatement(p, arns)),
  ]);
}

/** The state machine's role: invoke its task functions, deliver its logs, send traces. */
export function workflowPolicy(taskFunctionArns: readonly string[]): PolicyDocument {
  const unique = [...new Set(taskFunctionArns)].sort();
  return document([
    statement('InvokeTasks', ['lambda:InvokeFunction'], unique),
    statement('LogDelivery', LOG_DELIVERY_ACTIONS, ['*']),
    statement('Tracing', [...XRAY_ACTIONS, 'xray:GetSamplingRules', 'xray:GetSamplingTargets'], ['*']),
  ]);
}

/** API Gateway's role for POST /orders: send to the order queue, nothing else. */
export function queueSendPolicy(queueArn: string): PolicyDocument {
  return document([statement('SendOrder', ['sqs:SendMessage'], [queueArn])]);
}

/** EventBridge Scheduler's role for a scheduled function: invoke it, nothing else. */
export function schedulerPolicy(functionArn: string): PolicyDocument {
  return document([statement('InvokeScheduledFunction', ['lambda:InvokeFunction'], [functionArn])]);
}
