/**
 * What an AWS API request asks for, as IAM sees it: the action (`<service>:<Operation>`) and
 * the resource ARN of each thing it touches. One request can be several calls (BatchWriteItem
 * on two tables, TransactWriteItems with a Put and a Delete), each authorized on its own.
 */

export type LocalService = 'dynamodb' | 'sqs' | 'sns' | 'states';

/** One authorization IAM makes for a request. */
export interface IamCall {
  readonly action: string;
  readonly resource: string;
}

/** The request, as read by the endpoint that received it. */
export interface ParsedRequest {
  readonly service: LocalService;
  /** The API operation (`PutItem`, `SendMessage`, …). */
  readonly operation: string;
  /** The protocol it came in, which decides the shape of an error answer. */
  readonly protocol: 'json' | 'query';
  readonly calls: readonly IamCall[];
}

/** Where the resources live: the request's region (its credential scope) and the account. */
export interface Scope {
  readonly region: string;
  readonly accountId: string;
}

type Json = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

// ——— DynamoDB ———

/** IAM's action for each item operation a transaction holds. */
const TRANSACT_ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };

/** Operations on no table: authorized on "*". */
const DYNAMODB_ACCOUNT_OPERATIONS = new Set(['ListTables', 'DescribeLimits', 'DescribeEndpoints', 'ListBackups', 'ListGlobalTables', 'ListExports', 'ListImports']);

function tableArn(name: string, scope: Scope): string {
  // TableName may be the table's ARN (DynamoDB accepts both).
  return name.startsWith('arn:') ? name : `arn:aws:dynamodb:${scope.region}:${scope.accountId}:table/${name}`;
}

/** DynamoDB (JSON 1.0, `X-Amz-Target: DynamoDB_20120810.<Operation>`). */
export function dynamoDbCalls(operation: string, body: Json, scope: Scope): IamCall[] {
  const action = `dynamodb:${operation}`;
  if (DYNAMODB_ACCOUNT_OPERATIONS.has(operation)) return [{ action, resource: '*' }];
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    return Object.keys((body.RequestItems as Json | undefined) ?? {}).map((table) => ({ action, resource: tableArn(table, scope) }));
  }
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    const items = (body.TransactItems as Json[] | undefined) ?? [];
    return items.flatMap((item) =>
      Object.entries(item).flatMap(([kind, detail]) => {
        const table = str((detail as Json | undefined)?.TableName);
        return TRANSACT_ACTIONS[kind] && table ? [{ action: `dynamodb:${TRANSACT_ACTIONS[kind]}`, resource: tableArn(table, scope) }] : [];
      }),
    );
  }
  if (operation === 'ExecuteStatement' || operation === 'BatchExecuteStatement' || operation === 'ExecuteTransaction') {
    // PartiQL names its tables inside the statement (IAM's actions are dynamodb:PartiQL*): no
    // role of the system is given PartiQL, so it is authorized as its operation on "*", which no policy allows.
    return [{ action, resource: '*' }];
  }
  const table = str(body.TableName) ?? str(body.ResourceArn) ?? str(body.TableArn);
  if (!table) return [{ action, resource: '*' }];
  const index = str(body.IndexName);
  return [{ action, resource: `${tableArn(table, scope)}${index ? `/index/${index}` : ''}` }];
}

// ——— SQS ———

/** The batch operations IAM authorizes as their single form. */
const SQS_BATCH: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

const SQS_ACCOUNT_OPERATIONS = new Set(['ListQueues']);

/** A queue's ARN from its URL (`http(s)://<host>/<account>/<name>`). */
export function queueArnOfUrl(url: string, scope: Scope): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const [account, name] = path.split('/').filter(Boolean);
  return account && name ? `arn:aws:sqs:${scope.region}:${account}:${name}` : undefined;
}

/**
 * SQS, in its JSON protocol (`X-Amz-Target: AmazonSQS.<Operation>`, the SDK's) or its query
 * protocol (form fields, the AWS CLI v1's and API Gateway's), `fields` being the JSON body or
 * the form. `path` is the request's path: the query protocol may name the queue there.
 */
export function sqsCalls(operation: string, fields: Json, path: string, scope: Scope): IamCall[] {
  const action = `sqs:${SQS_BATCH[operation] ?? operation}`;
  if (SQS_ACCOUNT_OPERATIONS.has(operation)) return [{ action, resource: '*' }];
  const byName = (name: string) => `arn:aws:sqs:${scope.region}:${str(fields.QueueOwnerAWSAccountId) ?? scope.accountId}:${name}`;
  const name = operation === 'CreateQueue' || operation === 'GetQueueUrl' ? str(fields.QueueName) : undefined;
  if (name) return [{ action, resource: byName(name) }];
  const url = str(fields.QueueUrl) ?? (path.split('/').filter(Boolean).length === 2 ? `http://localhost${path}` : undefined);
  const arn = url ? queueArnOfUrl(url, scope) : undefined;
  // Move tasks name the source queue by ARN.
  const source = str(fields.SourceArn);
  return [{ action, resource: arn ?? source ?? '*' }];
}

// ——— SNS ———

const SNS_ACCOUNT_OPERATIONS = new Set(['ListTopics', 'ListSubscriptions', 'ListPlatformApplications', 'ListPhoneNumbersOptedOut', 'GetSMSAttributes', 'SetSMSAttributes', 'CheckIfPhoneNumberIsOptedOut']);

/** SNS (query protocol: a form with `Action=<Operation>`). */
export function snsCalls(operation: string, form: URLSearchParams, scope: Scope): IamCall[] {
  const action = `sns:${operation === 'PublishBatch' ? 'Publish' : operation}`;
  if (SNS_ACCOUNT_OPERATIONS.has(operation)) return [{ action, resource: '*' }];
  if (operation === 'CreateTopic') {
    const name = form.get('Name');
    return [{ action, resource: name ? `arn:aws:sns:${scope.region}:${scope.accountId}:${name}` : '*' }];
  }
  const resource = form.get('TopicArn') ?? form.get('TargetArn') ?? form.get('ResourceArn') ?? form.get('SubscriptionArn') ?? undefined;
  // A subscription's ARN is its topic's plus an id: IAM authorizes it on the topic.
  const topic = resource && operation !== 'Publish' && /^arn:aws:sns:[^:]*:[^:]*:[^:]+:[0-9a-f-]{36}$/.test(resource) ? resource.replace(/:[0-9a-f-]{36}$/, '') : resource;
  return [{ action, resource: topic ?? '*' }];
}

// ——— Step Functions ———

const SFN_ACCOUNT_OPERATIONS = new Set(['ListStateMachines', 'ListActivities', 'CreateActivity', 'ListMapRuns']);

/** Step Functions (JSON 1.0, `X-Amz-Target: AWSStepFunctions.<Operation>`). */
export function stepFunctionsCalls(operation: string, body: Json, scope: Scope): IamCall[] {
  const action = `states:${operation}`;
  if (SFN_ACCOUNT_OPERATIONS.has(operation)) return [{ action, resource: '*' }];
  if (operation === 'CreateStateMachine') {
    const name = str(body.name);
    return [{ action, resource: name ? `arn:aws:states:${scope.region}:${scope.accountId}:stateMachine:${name}` : '*' }];
  }
  const resource = str(body.executionArn) ?? str(body.stateMachineArn) ?? str(body.mapRunArn) ?? str(body.resourceArn) ?? str(body.activityArn);
  return [{ action, resource: resource ?? '*' }];
}
