import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { PlaceOrder } from '@serverless-orders/orders-application';
import { createObservability } from '@serverless-orders/platform-lambda';
import { orderMessageBody } from '@serverless-orders/http-contract';
import { InMemoryOrderWorkflow } from '@serverless-orders/testing';
import { createOrderQueueHandler } from './handler';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const SENT = Date.UTC(2026, 0, 1, 12, 0, 0);

function record(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(SENT),
      SenderId: 'apigateway',
      ApproximateFirstReceiveTimestamp: String(SENT + 5),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:orders',
    awsRegion: 'us-east-1',
  };
}

const id = (n: number) => `6f1c2a8e-0000-4000-8000-${String(n).padStart(12, '0')}`;
const good = (n: number) => record(id(n), orderMessageBody({ restaurant_id: 'r-1', item: `dish ${n}`, quantity: '2' }, { sub: `user-${n}` }));

function setUp() {
  const obs = createObservability('create-order-test');
  const workflow = new InMemoryOrderWorkflow();
  const handler = createOrderQueueHandler(obs, new PlaceOrder(workflow));
  return { obs, workflow, handler };
}

describe('the order-queue consumer', () => {
  it('starts one workflow per record of the batch (the original read only Records[0])', async () => {
    const { workflow, handler } = setUp();
    const event: SQSEvent = { Records: [1, 2, 3].map(good) };
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect([...workflow.runs.keys()]).toEqual([id(1), id(2), id(3)]);
  });

  it('takes the order id from the message id, the owner from the principal, and created_at from the sent time', async () => {
    const { workflow, handler } = setUp();
    await handler({ Records: [good(7)] });
    expect(workflow.runs.get(id(7))).toMatchObject({
      id: id(7),
      user_id: 'user-7',
      quantity: 2,
      order_status: 'PENDING',
      created_at: new Date(SENT).toISOString(),
    });
  });

  it('reports a poison record, logs it, and lets its neighbours through', async () => {
    const { obs, workflow, handler } = setUp();
    const error = jest.spyOn(obs.logger, 'error');
    const poison = [
      record(id(90), 'not json'),
      record(id(91), JSON.stringify({ data: { restaurant_id: 'r', item: 'i', quantity: 1 } })), // no principal
      record(id(92), orderMessageBody({ restaurant_id: 'r', item: 'i', quantity: 0 }, { sub: 'u' })),
    ];
    const response = await handler({ Records: [good(1), poison[0], good(2), poison[1], poison[2]] });
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([id(90), id(91), id(92)]);
    expect([...workflow.runs.keys()].sort()).toEqual([id(1), id(2)]);
    expect(error).toHaveBeenCalledTimes(3);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('poison message'), expect.objectContaining({ order_id: id(91) }));
  });

  it('reports a batch of nothing but poison record by record instead of throwing', async () => {
    const { handler } = setUp();
    const response = await handler({ Records: [record(id(1), '{}'), record(id(2), '[]')] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: id(1) }, { itemIdentifier: id(2) }]);
  });

  it('reports a record whose workflow could not start (it is retried), not its neighbours', async () => {
    const { workflow, handler } = setUp();
    workflow.failNext(new Error('Step Functions unavailable'));
    const response = await handler({ Records: [good(1), good(2)] });
    expect(response.batchItemFailures).toHaveLength(1);
    expect(workflow.runs.size).toBe(1);
  });

  it('a redelivered record starts nothing new', async () => {
    const { workflow, handler } = setUp();
    await handler({ Records: [good(1), good(2)] });
    expect(await handler({ Records: [good(1), good(2)] })).toEqual({ batchItemFailures: [] });
    expect(workflow.runs.size).toBe(2);
    expect(workflow.calls).toHaveLength(4);
  });
});
