import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ORDER_QUEUE } from '@serverless-orders/function-catalogue';
import { orderAttributes, orderIdentityOf, orderMessageBody } from '@serverless-orders/http-contract';
import { ensureQueues, startMessaging, type LocalMessaging, type QueueResources } from '@serverless-orders/local-aws';
import {
  coldStart,
  loadBundle,
  LOCAL_AWS,
  startFaultProxy,
  startLocalDynamoDb,
  startLocalWorkflow,
  type FaultProxy,
  type LocalDynamoDb,
  type LocalWorkflow,
} from '@serverless-orders/testing';

// The built bundle (dist/apps/create-order/main.js) consuming real SQS messages (sent to and
// received from the local SQS, so ids, bodies and attributes are what SQS produces), storing
// orders in the local DynamoDB and starting executions of the local Step Functions, through
// the real SDK clients; a fault proxy sits in front of Step Functions.
//
// AWS behaviour pinned: with ReportBatchItemFailures, the event source mapping deletes every
// message of the batch except those listed in batchItemFailures, which come back after the
// visibility timeout; SQS delivers at least once, so the same messages can arrive again; Step
// Functions refuses a second execution with a name already used (the order id).
type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

let messaging: LocalMessaging;
let queues: QueueResources;
let sqs: SQSClient;
let db: LocalDynamoDb;
let table: string;
let workflow: LocalWorkflow;
let sfnProxy: FaultProxy;
let handler: Handler;
const context = { getRemainingTimeInMillis: () => 3000 } as unknown as Context;

beforeAll(async () => {
  messaging = await startMessaging({});
  queues = await ensureQueues(messaging.endpoint, LOCAL_AWS.region, { queue: 'orders', deadLetterQueue: 'orders-dlq', topic: 't', notificationQueue: 'inbox' }, {
    visibilityTimeoutSeconds: 0,
    maxReceiveCount: ORDER_QUEUE.maxReceiveCount,
    deadLetterRetentionSeconds: 3600,
  });
  sqs = new SQSClient({ ...LOCAL_AWS, endpoint: messaging.endpoint });
  db = await startLocalDynamoDb();
  table = await db.createOrdersTable();
  // The task functions never answer here: executions stay running, which is all this test looks at.
  workflow = await startLocalWorkflow(() => new Promise(() => undefined));
  sfnProxy = await startFaultProxy({ target: workflow.endpoint, throttlingError: 'ThrottlingException' });
  handler = loadBundle<Handler>('create-order', {
    ORDERS_TABLE_NAME: table,
    STATE_MACHINE_ARN: workflow.stateMachineArn,
    DEAD_LETTER_QUEUE_URL: queues.deadLetterQueueUrl,
    AWS_ENDPOINT_URL_SFN: sfnProxy.endpoint,
    AWS_ENDPOINT_URL_SQS: messaging.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
});
afterAll(async () => {
  sqs.destroy();
  await sfnProxy.close();
  workflow.sfn.stopAll();
  await workflow.close();
  await db.close();
  await messaging.close();
});

/** Sends as API Gateway's integration does: the body, and the identifying attributes. */
async function send(body: string, caller: string, requestId: string) {
  const attributes = orderAttributes(caller, { requestId });
  await sqs.send(new SendMessageCommand({ QueueUrl: queues.orderQueueUrl, MessageBody: body, MessageAttributes: attributes }));
}

/** Receives `count` messages as the SQS event source mapping would, and shapes them as its event. */
async function receive(queueUrl: string, count: number): Promise<Message[]> {
  const messages: Message[] = [];
  while (messages.length < count) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
    );
    messages.push(...Messages.filter((m) => !messages.some((seen) => seen.MessageId === m.MessageId)));
  }
  return messages;
}

const asEvent = (messages: Message[]): SQSEvent => ({
  Records: messages.map((m) => ({
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: m.Attributes as SQSEvent['Records'][number]['attributes'],
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, { stringValue: v.StringValue, dataType: v.DataType ?? 'String', stringListValues: [], binaryListValues: [] }]),
    ),
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queues.orderQueueArn,
    awsRegion: LOCAL_AWS.region,
  })),
});

const rows = async () => ((await db.client.send(new ScanCommand({ TableName: table }))).Items ?? []).map((i) => i.id?.S);

describe('create-order, the bundle', () => {
  it('a batch of 10 with 3 poison messages: 7 orders stored and started, 3 dead-lettered with their reason; the same batch again changes nothing', async () => {
    for (let i = 0; i < 10; i++) {
      const body =
        i === 2
          ? 'not json at all'
          : i === 5
            ? JSON.stringify({ data: { restaurant_id: 'r-1', item: 'pizza', quantity: 1, user_id: 'mallory' }, principal: { sub: 'alice' } })
            : i === 8
              ? orderMessageBody({ restaurant_id: 'r-1', item: 'pizza', quantity: 500 }, { sub: 'alice' })
              : orderMessageBody({ restaurant_id: 'r-1', item: `dish ${i}`, quantity: String(i + 1) }, { sub: `user-${i}` });
      await send(body, [2, 5, 8].includes(i) ? 'alice' : `user-${i}`, `req-${i}`);
    }
    const batch = asEvent(await receive(queues.orderQueueUrl, 10));
    expect(await handler(batch, context)).toEqual({ batchItemFailures: [] });

    const good = batch.Records.filter((r) => !/not json|mallory|500/.test(r.body));
    const ids = good.map((r) => orderIdentityOf(r.messageAttributes)?.orderId).sort();
    expect((await rows()).sort()).toEqual(ids);
    expect(workflow.sfn.size).toBe(7);
    const dead = await receive(queues.deadLetterQueueUrl, 3);
    expect(dead.map((m) => m.MessageAttributes?.['dead-letter-reason']?.StringValue).sort()).toEqual([
      'not an order: message.data.quantity: must be a whole number from 1 to 100',
      'not an order: message.data.user_id: is not a known field',
      'not an order: message: is not valid JSON',
    ]);
    // The identifying attributes travel to the dead-letter queue: a redrive names the same order.
    expect(dead.every((m) => m.MessageAttributes?.caller?.StringValue === 'alice')).toBe(true);

    // SQS delivers at least once: the same batch again stores and starts nothing new.
    expect(await handler({ Records: good }, context)).toEqual({ batchItemFailures: [] });
    expect(await rows()).toHaveLength(7);
    expect(workflow.sfn.size).toBe(7);
  });

  it('a record whose execution cannot start (Step Functions throttling) is reported alone, its order already stored; the next delivery starts it', async () => {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queues.orderQueueUrl })); // the first test's messages are done with
    const before = workflow.sfn.size;
    await send(orderMessageBody({ restaurant_id: 'r', item: 'i', quantity: 1 }, { sub: 'bob' }), 'bob', 'req-bob');
    const batch = asEvent(await receive(queues.orderQueueUrl, 1));
    const orderId = orderIdentityOf(batch.Records[0].messageAttributes)?.orderId;
    sfnProxy.inject('throttle');
    expect(await handler(batch, context)).toEqual({ batchItemFailures: [{ itemIdentifier: batch.Records[0].messageId }] });
    sfnProxy.heal();
    expect(await rows()).toContain(orderId);
    expect(workflow.sfn.size).toBe(before);
    expect(await handler(batch, context)).toEqual({ batchItemFailures: [] });
    expect(workflow.sfn.size).toBe(before + 1);
  });

  // DynamoDB refuses a partition key over 2,048 bytes (ValidationException): no retry stores
  // such an order, so it goes to the dead-letter queue at once, with the table's reason,
  // and no execution starts for an order that was never stored.
  it('an order the table can never store (an owner id over 2,048 bytes) is dead-lettered with its reason; nothing is started', async () => {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queues.orderQueueUrl }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queues.deadLetterQueueUrl }));
    const before = { rows: (await rows()).length, executions: workflow.sfn.size };
    const huge = 'u'.repeat(2100);
    await send(orderMessageBody({ restaurant_id: 'r', item: 'i', quantity: 1 }, { sub: huge }), huge, 'req-huge');
    const batch = asEvent(await receive(queues.orderQueueUrl, 1));
    expect(await handler(batch, context)).toEqual({ batchItemFailures: [] });
    const [dead] = await receive(queues.deadLetterQueueUrl, 1);
    expect(dead.MessageAttributes?.['dead-letter-reason']?.StringValue).toMatch(/^could not be stored: ValidationException: .*2048 bytes/);
    expect(await rows()).toHaveLength(before.rows);
    expect(workflow.sfn.size).toBe(before.executions);
  });

  it('fails at start, naming the setting, without ORDERS_TABLE_NAME', () => {
    const { status, stderr } = coldStart('create-order', { AWS_REGION: LOCAL_AWS.region });
    expect(status).not.toBe(0);
    expect(stderr).toContain('missing required setting ORDERS_TABLE_NAME');
  });
});
