import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { PolicyDocument } from '@serverless-orders/function-catalogue';
import { LOCAL_AWS } from './credentials';
import { startDynamoDb, type LocalDynamoDb } from './dynamodb';
import { close, httpServer, listen, LOOPBACK } from './http';
import { LocalIam, type IamDecision, type RoleCredentials } from './iam';
import { ensureQueues, startMessaging, type LocalMessaging, type QueueResources } from './messaging';
import { sfnRequestHandler } from './step-functions/endpoint';
import { LocalStepFunctions } from './step-functions/local-step-functions';

// The local services enforce IAM as AWS does, seen through the SDK with a role's credentials.
//
// AWS behaviour pinned: a call no statement of the caller's identity policy allows is refused
// before it does anything, with the service's own error: DynamoDB and Step Functions
// AccessDeniedException (HTTP 400), SQS AccessDenied (403), SNS AuthorizationError (403), each
// saying "User: arn:aws:sts::<account>:assumed-role/<role>/<session> is not authorized to
// perform: <action> on resource: <arn> because no identity-based policy allows the <action>
// action" (SQS writes the action in lower case, SNS as SNS:<Operation>). The resource is the
// table's ARN (an index's: table/<t>/index/<i>), the queue's ARN from its URL, the topic's and
// the state machine's ARN. A wrong secret is InvalidSignatureException, a wrong session token
// UnrecognizedClientException.

const ACCOUNT = '000000000000';
const REGION = LOCAL_AWS.region;
const TABLE = 'orders';
const tableArn = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;

const policy = (statements: Array<{ Sid: string; Action: string[]; Resource: string[] }>): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements.map((s) => ({ ...s, Effect: 'Allow' as const })),
});

describe('local IAM', () => {
  const iam = new LocalIam({ region: REGION, accountId: ACCOUNT });
  const decisions: IamDecision[] = [];
  iam.onDecision((d) => decisions.push(d));
  let store: LocalDynamoDb;
  let messaging: LocalMessaging;
  let queues: QueueResources;
  let sfn: LocalStepFunctions;
  let sfnServer: ReturnType<typeof httpServer>;
  let sfnEndpoint: string;
  let stateMachineArn: string;
  let worker: RoleCredentials;
  const clients: Array<{ destroy(): void }> = [];
  const client = <T extends { destroy(): void }>(c: T) => (clients.push(c), c);

  beforeAll(async () => {
    store = await startDynamoDb({ intercept: iam.intercept(['dynamodb']) });
    await store.client.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'at', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'by_at',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'at', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    messaging = await startMessaging({ intercept: iam.intercept(['sqs', 'sns']) });
    queues = await ensureQueues(messaging.endpoint, REGION, { queue: 'orders', deadLetterQueue: 'orders-dlq', topic: 'events', notificationQueue: 'inbox' }, {
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 3,
      deadLetterRetentionSeconds: 3600,
    });
    sfn = new LocalStepFunctions({ region: REGION, accountId: ACCOUNT, invoke: async () => ({ ok: true, payload: {} }), log: () => undefined });
    stateMachineArn = sfn.createStateMachine('workflow', { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });
    sfnServer = httpServer(sfnRequestHandler(sfn, () => undefined, iam.intercept(['states'])));
    sfnEndpoint = `http://${LOOPBACK}:${await listen(sfnServer, 0, 'Step Functions', '--sfn-port')}`;
    worker = iam.assume({
      roleName: 'orders-worker-role',
      sessionName: 'worker',
      policy: policy([
        { Sid: 'TablePut', Action: ['dynamodb:PutItem'], Resource: [tableArn(TABLE)] },
        { Sid: 'TableQuery', Action: ['dynamodb:Query'], Resource: [`${tableArn(TABLE)}/index/by_at`] },
        { Sid: 'QueueSend', Action: ['sqs:SendMessage'], Resource: [queues.orderQueueArn] },
        { Sid: 'TopicPublish', Action: ['sns:Publish'], Resource: [`${queues.topicArn}-other`] },
        { Sid: 'WorkflowStart', Action: ['states:StartExecution'], Resource: [`${stateMachineArn}-other`] },
      ]),
    });
  });

  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    sfn?.stopAll();
    if (sfnServer) await close(sfnServer);
    await messaging?.close();
    await store?.close();
  });

  const as = (credentials: RoleCredentials) => ({ region: REGION, credentials });
  const denied = (action: string, resource: string) =>
    `User: arn:aws:sts::${ACCOUNT}:assumed-role/orders-worker-role/worker is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
  const item = (sk: string) => ({ pk: { S: 'alice' }, sk: { S: sk }, at: { S: '2024-01-01' } });

  it('DynamoDB: the allowed action on the allowed table goes through; anything else is AccessDeniedException and changes nothing', async () => {
    const db = client(new DynamoDBClient({ ...as(worker), endpoint: store.endpoint }));
    await db.send(new PutItemCommand({ TableName: TABLE, Item: item('o-1') }));
    const refused = await db.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'alice' }, sk: { S: 'o-1' } } })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'AccessDeniedException', message: denied('dynamodb:GetItem', tableArn(TABLE)), $metadata: { httpStatusCode: 400 } });
    const other = await db.send(new PutItemCommand({ TableName: 'elsewhere', Item: item('o-2') })).catch((e: unknown) => e);
    expect(other).toMatchObject({ name: 'AccessDeniedException', message: denied('dynamodb:PutItem', tableArn('elsewhere')) });
    // The administrator's key (the stack's own client) may do anything: the first put is there.
    const { Item } = await store.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'alice' }, sk: { S: 'o-1' } } }));
    expect(Item?.sk.S).toBe('o-1');
  });

  it('DynamoDB: a Query is authorized on the index it names, not on the table', async () => {
    const db = client(new DynamoDBClient({ ...as(worker), endpoint: store.endpoint }));
    const query = (IndexName?: string) =>
      db.send(new QueryCommand({ TableName: TABLE, IndexName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'alice' } } }));
    expect((await query('by_at')).Count).toBe(1);
    await expect(query()).rejects.toMatchObject({ name: 'AccessDeniedException', message: denied('dynamodb:Query', tableArn(TABLE)) });
  });

  it('SQS: SendMessage to the allowed queue goes through; to another queue, and any other action, is AccessDenied (403) and queues nothing', async () => {
    const sqs = client(new SQSClient({ ...as(worker), endpoint: messaging.endpoint }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.orderQueueUrl, MessageBody: 'allowed' }));
    const refused = await sqs.send(new SendMessageCommand({ QueueUrl: queues.deadLetterQueueUrl, MessageBody: 'refused' })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ $metadata: { httpStatusCode: 403 }, message: denied('sqs:sendmessage', queues.deadLetterQueueArn) });
    expect((refused as { Code?: string; name: string }).Code ?? (refused as Error).name).toMatch(/^AccessDenied/);
    await expect(sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.orderQueueUrl }))).rejects.toMatchObject({
      message: denied('sqs:receivemessage', queues.orderQueueArn),
    });
    const admin = client(new SQSClient({ ...LOCAL_AWS, endpoint: messaging.endpoint }));
    const { Messages = [] } = await admin.send(new ReceiveMessageCommand({ QueueUrl: queues.deadLetterQueueUrl, WaitTimeSeconds: 0 }));
    expect(Messages).toHaveLength(0);
  });

  it('SNS: Publish to a topic the policy does not name is AuthorizationError (403), in SNS’s words', async () => {
    const sns = client(new SNSClient({ ...as(worker), endpoint: messaging.endpoint }));
    const refused = await sns.send(new PublishCommand({ TopicArn: queues.topicArn, Message: 'refused' })).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      name: 'AuthorizationErrorException',
      $metadata: { httpStatusCode: 403 },
      message: denied('SNS:Publish', queues.topicArn),
    });
  });

  it('Step Functions: StartExecution of a state machine the policy does not name is AccessDeniedException, and starts nothing', async () => {
    const states = client(new SFNClient({ ...as(worker), endpoint: sfnEndpoint }));
    const refused = await states.send(new StartExecutionCommand({ stateMachineArn, name: 'o-1', input: '{}' })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 }, message: denied('states:StartExecution', stateMachineArn) });
    const admin = client(new SFNClient({ ...LOCAL_AWS, endpoint: sfnEndpoint }));
    await expect(admin.send(new StartExecutionCommand({ stateMachineArn, name: 'o-1', input: '{}' }))).resolves.toMatchObject({ executionArn: expect.stringContaining(':o-1') });
  });

  it('a role’s key with another secret is InvalidSignatureException, with another session token UnrecognizedClientException', async () => {
    const forged = client(new DynamoDBClient({ region: REGION, endpoint: store.endpoint, credentials: { ...worker, secretAccessKey: 'guessed' } }));
    await expect(forged.send(new PutItemCommand({ TableName: TABLE, Item: item('o-3') }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    const stale = client(new DynamoDBClient({ region: REGION, endpoint: store.endpoint, credentials: { ...worker, sessionToken: 'expired' } }));
    await expect(stale.send(new PutItemCommand({ TableName: TABLE, Item: item('o-3') }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    const { Item } = await store.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'alice' }, sk: { S: 'o-3' } } }));
    expect(Item).toBeUndefined();
  });

  it('reports each decision made for a role, with its action and resource', () => {
    expect(decisions).toContainEqual({
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/orders-worker-role/worker`,
      roleName: 'orders-worker-role',
      action: 'dynamodb:PutItem',
      resource: tableArn(TABLE),
      allowed: true,
    });
    expect(decisions.filter((d) => !d.allowed).map((d) => d.action)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'sqs:SendMessage', 'sqs:ReceiveMessage', 'sns:Publish', 'states:StartExecution']),
    );
  });
});
