import { randomUUID } from 'node:crypto';
import { DynamoDbOrderRepository, documentClient } from '@serverless-orders/adapters-dynamodb';
import { newOrder } from '@serverless-orders/orders-domain';
import { toWorkflowOrder, WORKFLOW_ERRORS } from '@serverless-orders/order-workflow';
import { coldStart, loadBundle } from '@serverless-orders/testing';
import { startLocalPipeline, type LocalPipeline } from './test/local-pipeline';

// The built bundle (dist/apps/manage-order-state/main.js) invoked with the workflow contract's
// task inputs, against the local DynamoDB and SQS/SNS.
type Handler = (event: unknown) => Promise<Record<string, unknown>>;
let local: LocalPipeline;
let handler: Handler;
let repo: DynamoDbOrderRepository;

beforeAll(async () => {
  local = await startLocalPipeline();
  handler = loadBundle<Handler>('manage-order-state', local.env);
  repo = new DynamoDbOrderRepository(documentClient(local.db.client), local.tableName);
});
afterAll(() => local.close());

/** An order as the queue consumer stores it before the workflow starts. */
async function stored() {
  const order = newOrder(randomUUID(), 'alice', { restaurant_id: 'r-1', item: 'pizza', quantity: 2 }, new Date());
  await repo.create(order);
  return toWorkflowOrder(order);
}

describe('manage-order-state, the bundle', () => {
  it('records payment and success in DynamoDB, one version more each time, and notifies through SNS with a deduplication id', async () => {
    const order = await stored();
    const paid = await handler({ step: 'RecordPayment', order });
    expect(paid).toMatchObject({ order_status: 'PAID', version: 2 });
    expect(await handler({ step: 'CompleteOrder', order: paid })).toMatchObject({ order_status: 'SUCCESS', version: 3 });
    expect(await repo.get('alice', order.id)).toMatchObject({ order_status: 'SUCCESS', created_at: order.created_at });
    const [notification] = await local.notificationsFor(order.id);
    expect(notification.Subject).toContain('SUCCESS');
    expect(notification.Message).toContain('Owner:  alice');
  });

  // A retried CompleteOrder notifies again, with the same deduplication id: subscribers drop the repeat.
  it('a retried step changes nothing and repeats the notification with the same deduplication id', async () => {
    const order = await stored();
    const paid = await handler({ step: 'RecordPayment', order });
    await handler({ step: 'CompleteOrder', order: paid });
    expect(await handler({ step: 'CompleteOrder', order: paid })).toMatchObject({ order_status: 'SUCCESS', version: 3 });
    const notes = await local.notificationsFor(order.id, 2);
    expect(notes.map((n) => n.MessageAttributes?.deduplication_id?.Value)).toEqual([`${order.id}:SUCCESS`, `${order.id}:SUCCESS`]);
  });

  it('an order its owner deleted is OrderGone', async () => {
    const order = await stored();
    await repo.delete('alice', order.id);
    await expect(handler({ step: 'RecordPayment', order })).rejects.toMatchObject({ name: WORKFLOW_ERRORS.orderGone });
  });

  it.each(['ORDERS_TABLE_NAME', 'ORDER_TOPIC_ARN'])('fails at start, naming the setting, without %s', (name) => {
    const env = { ...local.env };
    delete env[name];
    const { status, stderr } = coldStart('manage-order-state', env);
    expect(status).not.toBe(0);
    expect(stderr).toContain(`missing required setting ${name}`);
  });
});
