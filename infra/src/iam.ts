import { ORDERS_TABLE } from '@serverless-orders/order-table';
import { type FunctionDefinition, type Permission } from '@serverless-orders/function-catalogue';

/**
 * IAM policy documents, as pure functions of resolved ARNs, so that what each role may do is
 * plain data that tests read. Rules: no wildcard action anywhere; every resource is a named
 * ARN, except where AWS accepts nothing narrower than "*" (X-Ray, Step Functions log delivery).
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
  readonly queue: string;
  readonly stateMachine: string;
  readonly topic: string;
}

/** The exact actions behind each permission of the catalogue. */
export const PERMISSION_ACTIONS = {
  'table:get': ['dynamodb:GetItem'],
  // The owner's orders, newest first: a Query on the local index.
  'table:query': ['dynamodb:Query'],
  // Conditional PutItem: save, and replace on an update or a status change.
  'table:put': ['dynamodb:PutItem'],
  'table:delete': ['dynamodb:DeleteItem'],
  // What Lambda's SQS event source mapping needs from the function's role (as AWSLambdaSQSQueueExecutionRole).
  'queue:consume': ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
  'workflow:start': ['states:StartExecution'],
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

const document = (statements: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

const statement = (Sid: string, Action: readonly string[], Resource: readonly string[]): PolicyStatement => ({
  Sid,
  Effect: 'Allow',
  Action: [...Action],
  Resource: [...Resource],
});

/** The resources one permission applies to. */
function permissionStatements(permission: Permission, arns: Partial<SystemArns>): PolicyStatement[] {
  const arn = (key: keyof SystemArns) => {
    const value = arns[key];
    if (!value) throw new Error(`permission ${permission} needs the ${key} ARN`);
    return value;
  };
  switch (permission) {
    case 'table:get':
      return [statement('TableGet', PERMISSION_ACTIONS['table:get'], [arn('table')])];
    case 'table:query':
      return [
        statement(
          'TableQuery',
          PERMISSION_ACTIONS['table:query'],
          ORDERS_TABLE.localIndexes.map((index) => `${arn('table')}/index/${index.name}`),
        ),
      ];
    case 'table:put':
      return [statement('TablePut', PERMISSION_ACTIONS['table:put'], [arn('table')])];
    case 'table:delete':
      return [statement('TableDelete', PERMISSION_ACTIONS['table:delete'], [arn('table')])];
    case 'queue:consume':
      return [statement('QueueConsume', PERMISSION_ACTIONS['queue:consume'], [arn('queue')])];
    case 'workflow:start':
      return [statement('WorkflowStart', PERMISSION_ACTIONS['workflow:start'], [arn('stateMachine')])];
    case 'topic:publish':
      return [statement('TopicPublish', PERMISSION_ACTIONS['topic:publish'], [arn('topic')])];
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
    ...fn.permissions.flatMap((p) => permissionStatements(p, arns)),
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

/**
 * The region's API Gateway CloudWatch role (account setting), which stage access logs need.
 * Scoped to this account's and region's log groups: API Gateway names its own groups.
 */
export function apiGatewayLoggingPolicy(logGroupArn: string): PolicyDocument {
  const { partition, region, account } = parseArn(logGroupArn);
  const groups = `arn:${partition}:logs:${region}:${account}:log-group:*`;
  return document([
    statement(
      'ApiGatewayLogs',
      [
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:DescribeLogGroups',
        'logs:DescribeLogStreams',
        'logs:PutLogEvents',
        'logs:GetLogEvents',
        'logs:FilterLogEvents',
      ],
      [groups, `${groups}:log-stream:*`],
    ),
  ]);
}

/** A trust policy letting one AWS service assume the role. */
export function assumeRolePolicy(service: string, conditions?: Record<string, unknown>) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        ...(conditions ? { Condition: conditions } : {}),
      },
    ],
  };
}

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
