import { ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { orderMessageBody } from '@serverless-orders/http-contract';
import {
  coldStart,
  loadBundle,
  LOCAL_AWS,
  startFakeStepFunctionsEndpoint,
  type FakeStepFunctionsEndpoint,
} from '@serverless-orders/testing';

// The built bundle (dist/apps/create-order/main.js) consuming real SQS messages (sent to and
// received from fauxqs, so ids, bodies and attributes are what SQS produces), starting
// executions through the real Step Functions client on a loopback Step Functions endpoint.
//
// AWS behaviour pinned: with ReportBatchItemFailures, the event source mapping deletes every
// message of the batch except those listed in batchItemFailures, which come back after the
// visibility timeout (and go to the DLQ after maxReceiveCount); SQS delivers at least once,
// so the same messages (same ids) can arrive again; Step Functions refuses a second
// execution with a name already used (the order id).
type Handler = (event: SQSEvent) => Promise<SQSBatchResponse>;
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';

let sqsServer: FauxqsServer;
let sfn: FakeStepFunctionsEndpoint;
let sqs: SQSClient;
let queueUrl: string;
let handler: Handler;

beforeAll(async () => {
  sqsServer = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  sqs = new SQSClient({ ...LOCAL_AWS, endpoint: sqsServer.address });
  ({ queueUrl } = sqsServer.createQueue('orders'));
  sfn = await startFakeStepFunctionsEndpoint();
  handler = loadBundle<Handler>('create-order', {
    STATE_MACHINE_ARN,
    AWS_ENDPOINT_URL_SFN: sfn.endpoint,
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
});
afterAll(async () => {
  sqs.destroy();
  await sfn.close();
  await sqsServer.stop();
});

/** Receives `count` messages as the SQS event source mapping would, and shapes them as its event. */
async function receiveBatch(count: number): Promise<SQSEvent> {
  const messages: Message[] = [];
  while (messages.length < count) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], VisibilityTimeout: 0, WaitTimeSeconds: 1 }),
    );
    messages.push(...Messages.filter((m) => !messages.some((seen) => seen.MessageId === m.MessageId)));
  }
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      attributes: m.Attributes as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:orders',
      awsRegion: LOCAL_AWS.region,
    })),
  };
}

describe('create-order, the bundle', () => {
  it('a batch of 10 with 3 poison records: 7 orders started, 3 reported; the same batch again: still 7 executions', async () => {
    const poison = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const body =
        i === 2
          ? 'not json at all'
          : i === 5
            ? JSON.stringify({ data: { restaurant_id: 'r-1', item: 'pizza', quantity: 1, user_id: 'mallory' }, principal: { sub: 'alice' } })
            : i === 8
              ? orderMessageBody({ restaurant_id: 'r-1', item: 'pizza', quantity: 500 }, { sub: 'alice' })
              : orderMessageBody({ restaurant_id: 'r-1', item: `dish ${i}`, quantity: String(i + 1) }, { sub: `user-${i}`, email: `u${i}@example.com` });
      const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      if ([2, 5, 8].includes(i)) poison.add(MessageId ?? '');
    }
    const batch = await receiveBatch(10);
    expect(batch.Records).toHaveLength(10);

    const first = await handler(batch);
    expect(new Set(first.batchItemFailures.map((f) => f.itemIdentifier))).toEqual(poison);
    expect(sfn.executions.size).toBe(7);
    for (const r of batch.Records.filter((r) => !poison.has(r.messageId))) {
      const execution = sfn.executions.get(r.messageId);
      expect(execution?.stateMachineArn).toBe(STATE_MACHINE_ARN);
      // The owner is the principal's sub; created_at is when SQS got the message.
      expect(execution?.input).toMatchObject({
        order_id: r.messageId,
        user_id: JSON.parse(r.body).principal.sub,
        placed_at: new Date(Number(r.attributes.SentTimestamp)).toISOString(),
      });
    }

    // SQS delivers at least once: the same batch again starts nothing new.
    const again = await handler(batch);
    expect(new Set(again.batchItemFailures.map((f) => f.itemIdentifier))).toEqual(poison);
    expect(sfn.executions.size).toBe(7);
    expect(sfn.calls()).toBe(14);
  });

  it('a record whose execution cannot start (Step Functions throttling, after the SDK’s retries) is reported alone', async () => {
    sqsServer.reset(); // the first test's messages are done with
    const before = sfn.executions.size;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: orderMessageBody({ restaurant_id: 'r', item: 'i', quantity: 1 }, { sub: 'bob' }) }));
    const batch = await receiveBatch(1);
    sfn.throttleNext(100);
    const response = await handler(batch);
    sfn.throttleNext(0);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[0].messageId }]);
    expect(sfn.executions.size).toBe(before);
    expect(await handler(batch)).toEqual({ batchItemFailures: [] });
    expect(sfn.executions.size).toBe(before + 1);
  });

  it('fails at start, naming the setting, without STATE_MACHINE_ARN', () => {
    const { status, stderr } = coldStart('create-order', { AWS_REGION: LOCAL_AWS.region });
    expect(status).not.toBe(0);
    expect(stderr).toContain('missing required setting STATE_MACHINE_ARN');
  });
});
