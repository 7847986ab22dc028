import type { Context, SQSRecord } from 'aws-lambda';
import { PlaceOrder } from '@serverless-orders/orders-application';
import { orderAttributes, orderIdentityOf, orderMessageBody } from '@serverless-orders/http-contract';
import { createObservability } from '@serverless-orders/platform-lambda';
import { InMemoryOrderRepository, InMemoryOrderWorkflow } from '@serverless-orders/testing';
import type { DeadLetterQueue } from './dead-letter-queue';
import { createOrderQueueHandler } from './handler';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const SENT = Date.UTC(2026, 0, 1, 12, 0, 0);
const MAX_RECEIVES = 5;

function record(messageId: string, body: string, options: { receives?: number; key?: string; caller?: string } = {}): SQSRecord {
  const attributes = options.caller ? orderAttributes(options.caller, options.key ? { idempotencyKey: options.key } : { requestId: `req-${messageId}` }) : {};
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receives ?? 1),
      SentTimestamp: String(SENT),
      SenderId: 'apigateway',
      ApproximateFirstReceiveTimestamp: String(SENT + 5),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([name, a]) => [name, { stringValue: a.StringValue, dataType: 'String', stringListValues: [], binaryListValues: [] }]),
    ),
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:orders',
    awsRegion: 'us-east-1',
  };
}

const body = (n: number, sub = `user-${n}`) => orderMessageBody({ restaurant_id: 'r-1', item: `dish ${n}`, quantity: '2' }, { sub });
const good = (n: number, options: Parameters<typeof record>[2] = {}) => record(`m-${n}`, body(n), { caller: `user-${n}`, ...options });
const orderIdOf = (r: SQSRecord) => orderIdentityOf(r.messageAttributes)?.orderId ?? r.messageId;
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
/** An invocation with this much time left: retries within it stop at the deadline. */
const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

class RecordingDeadLetterQueue implements DeadLetterQueue {
  readonly sent: { messageId: string; reason: string; placedAt: Date }[] = [];
  async send(r: SQSRecord, reason: string, placedAt: Date) {
    this.sent.push({ messageId: r.messageId, reason, placedAt });
  }
}

function setUp() {
  const obs = createObservability('create-order-test');
  const orders = new InMemoryOrderRepository();
  const workflow = new InMemoryOrderWorkflow();
  const deadLetters = new RecordingDeadLetterQueue();
  const handler = createOrderQueueHandler(obs, new PlaceOrder(orders, workflow), deadLetters, { maxReceiveCount: MAX_RECEIVES, reserveMs: 0 });
  return { obs, orders, workflow, deadLetters, handler };
}

describe('the order-queue consumer', () => {
  it('stores every order of the batch PENDING, then starts its workflow', async () => {
    const { orders, workflow, handler } = setUp();
    const batch = [1, 2, 3].map((n) => good(n));
    expect(await handler({ Records: batch }, context(2000))).toEqual({ batchItemFailures: [] });
    expect(orders.all().map((o) => o.id).sort()).toEqual(batch.map(orderIdOf).sort());
    expect([...workflow.runs.keys()].sort()).toEqual(batch.map(orderIdOf).sort());
  });

  it('takes the order id from the identifying attributes, the owner from the principal, created_at from the sent time', async () => {
    const { orders, handler } = setUp();
    const r = good(7);
    await handler({ Records: [r] }, context(2000));
    expect(orders.all()).toEqual([
      expect.objectContaining({ id: orderIdOf(r), user_id: 'user-7', quantity: 2, order_status: 'PENDING', version: 1, created_at: new Date(SENT).toISOString() }),
    ]);
    expect(orderIdOf(r)).not.toBe(r.messageId);
  });

  it('one order for a client’s retry with the same Idempotency-Key: another message, the same order', async () => {
    const { orders, workflow, handler } = setUp();
    await handler({ Records: [record('m-a', body(1), { caller: 'user-1', key: 'k-1' })] }, context(2000));
    await handler({ Records: [record('m-b', body(1), { caller: 'user-1', key: 'k-1' })] }, context(2000));
    await handler({ Records: [record('m-c', body(1, 'user-2'), { caller: 'user-2', key: 'k-1' })] }, context(2000));
    expect(orders.all().map((o) => o.user_id).sort()).toEqual(['user-1', 'user-2']);
    expect(workflow.runs.size).toBe(2);
  });

  it('a redelivered record stores and starts nothing new', async () => {
    const { orders, workflow, handler } = setUp();
    await handler({ Records: [good(1), good(2)] }, context(2000));
    expect(await handler({ Records: [good(1, { receives: 2 }), good(2, { receives: 2 })] }, context(2000))).toEqual({ batchItemFailures: [] });
    expect(orders.all()).toHaveLength(2);
    expect(workflow.runs.size).toBe(2);
    expect(workflow.calls).toHaveLength(4);
  });

  it('dead-letters a message that can never be an order, with its reason, at once; its neighbours go on', async () => {
    const { orders, deadLetters, handler } = setUp();
    const poison = [
      record('p-json', 'not json'),
      record('p-principal', JSON.stringify({ data: { restaurant_id: 'r', item: 'i', quantity: 1 } })),
      record('p-quantity', orderMessageBody({ restaurant_id: 'r', item: 'i', quantity: 0 }, { sub: 'u' })),
      record('p-forged', body(9, 'mallory'), { caller: 'user-9' }),
    ];
    const response = await handler({ Records: [good(1), ...poison, good(2)] }, context(2000));
    expect(response.batchItemFailures).toEqual([]);
    expect(orders.all()).toHaveLength(2);
    expect(deadLetters.sent.map((d) => [d.messageId, d.reason])).toEqual([
      ['p-json', 'not an order: message: is not valid JSON'],
      ['p-principal', 'not an order: message.principal: is required'],
      ['p-quantity', 'not an order: message.data.quantity: must be a whole number from 1 to 100'],
      ['p-forged', 'not an order: message.principal.sub: is not the caller the message attributes name'],
    ]);
  });

  it('retries a short table outage within the invocation, and the order is stored once', async () => {
    const { orders, workflow, handler } = setUp();
    const create = orders.create.bind(orders);
    let failures = 3;
    jest.spyOn(orders, 'create').mockImplementation(async (order) => (failures-- > 0 ? Promise.reject(refused()) : create(order)));
    expect(await handler({ Records: [good(1)] }, context(5000))).toEqual({ batchItemFailures: [] });
    expect(orders.all()).toHaveLength(1);
    expect(workflow.runs.size).toBe(1);
  });

  it('reports a record it could not store for redelivery (not its neighbours), and dead-letters it on the last receive', async () => {
    const { orders, deadLetters, handler } = setUp();
    const create = orders.create.bind(orders);
    jest.spyOn(orders, 'create').mockImplementation(async (order) => (order.user_id === 'user-1' ? Promise.reject(refused()) : create(order)));
    expect(await handler({ Records: [good(1), good(2)] }, context(300))).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(deadLetters.sent).toEqual([]);
    expect(await handler({ Records: [good(1, { receives: MAX_RECEIVES })] }, context(300))).toEqual({ batchItemFailures: [] });
    expect(deadLetters.sent).toEqual([
      { messageId: 'm-1', reason: `could not be stored after ${MAX_RECEIVES} receives: Error: connect ECONNREFUSED 127.0.0.1:8000`, placedAt: new Date(SENT) },
    ]);
    expect(orders.all().map((o) => o.user_id)).toEqual(['user-2']);
  });

  it('dead-letters at once an order the table refuses for good (an item it cannot store)', async () => {
    const { orders, deadLetters, handler } = setUp();
    const tooBig = Object.assign(new Error('Item size has exceeded the maximum allowed size'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    jest.spyOn(orders, 'create').mockRejectedValue(tooBig);
    expect(await handler({ Records: [good(1)] }, context(2000))).toEqual({ batchItemFailures: [] });
    expect(deadLetters.sent.map((d) => d.reason)).toEqual(['could not be stored: ValidationException: Item size has exceeded the maximum allowed size']);
  });

  it('reports a stored order whose workflow did not start; on the last receive acknowledges it for the reconciler, never dead-letters it', async () => {
    const { orders, workflow, deadLetters, handler } = setUp();
    const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    workflow.failNext(...Array.from({ length: 50 }, throttled));
    expect((await handler({ Records: [good(1)] }, context(300))).batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(orders.all()).toHaveLength(1);
    expect(await handler({ Records: [good(1, { receives: MAX_RECEIVES })] }, context(300))).toEqual({ batchItemFailures: [] });
    expect(deadLetters.sent).toEqual([]);
    expect(orders.all()).toEqual([expect.objectContaining({ order_status: 'PENDING' })]);
  });

  it('keeps a message’s first placing time through the dead-letter queue', async () => {
    const { orders, handler } = setUp();
    const redriven = good(1);
    redriven.messageAttributes['placed-at'] = { stringValue: String(SENT - 60_000), dataType: 'Number', stringListValues: [], binaryListValues: [] };
    redriven.attributes.SentTimestamp = String(SENT + 3_600_000);
    await handler({ Records: [redriven] }, context(2000));
    expect(orders.all()[0].created_at).toBe(new Date(SENT - 60_000).toISOString());
  });

  it('reports a dead letter it could not send, so SQS keeps the message', async () => {
    const { deadLetters, handler } = setUp();
    jest.spyOn(deadLetters, 'send').mockRejectedValue(refused());
    expect((await handler({ Records: [record('p-json', 'not json')] }, context(300))).batchItemFailures).toEqual([{ itemIdentifier: 'p-json' }]);
  });
});
