import { randomUUID } from 'node:crypto';
import { DynamoDbOrderRepository, documentClient } from '@serverless-orders/adapters-dynamodb';
import { WORKFLOW_ERRORS } from '@serverless-orders/order-workflow';
import { coldStart, loadBundle } from '@serverless-orders/testing';
import { startLocalPipeline, type LocalPipeline } from './test/local-pipeline';

// The built bundle (dist/apps/manage-order-state/main.js) invoked with the workflow contract's
// task inputs, against dynalite and fauxqs.
type Handler = (event: unknown) => Promise<Record<string, unknown>>;
let local: LocalPipeline;
let handler: Handler;

beforeAll(async () => {
  local = await startLocalPipeline();
  handler = loadBundle<Handler>('manage-order-state', local.env);
});
afterAll(() => local.close());

const placed = (order_id = randomUUID()) => ({ order_id, user_id: 'alice', restaurant_id: 'r-1', item: 'pizza', quantity: 2, placed_at: new Date().toISOString() });
/** RecordPayment's input: the ids, and the order as ProcessPayment charged it. */
const paymentSuccess = (order: ReturnType<typeof placed>) => {
  const { placed_at: _placedAt, ...paid } = order;
  return { action: 'payment-success', order_id: order.order_id, user_id: order.user_id, paid: { ...paid, order_status: 'PENDING' } };
};

describe('manage-order-state, the bundle', () => {
  it('saves, records payment and success in DynamoDB, and notifies through SNS', async () => {
    const order = placed();
    const ids = { order_id: order.order_id, user_id: 'alice' };
    expect(await handler({ action: 'save', order })).toMatchObject({ order_status: 'PENDING' });
    expect(await handler(paymentSuccess(order))).toMatchObject({ order_status: 'PAID' });
    expect(await handler({ action: 'success', ...ids })).toMatchObject({ order_status: 'SUCCESS' });

    const stored = await new DynamoDbOrderRepository(documentClient(local.db.client), local.tableName).get('alice', order.order_id);
    expect(stored).toMatchObject({ order_status: 'SUCCESS', created_at: order.placed_at });
    const [notification] = await local.notificationsFor(order.order_id);
    expect(notification.Subject).toContain('SUCCESS');
    expect(notification.Message).toContain('Owner:  alice');
  });

  // DynamoDB: a conditional put (attribute_not_exists) never overwrites, so a repeated save keeps the later status.
  it('a repeated save does not reset a later status', async () => {
    const order = placed();
    await handler({ action: 'save', order });
    await handler(paymentSuccess(order));
    expect(await handler({ action: 'save', order })).toMatchObject({ order_status: 'PAID' });
  });

  it('an order its owner deleted is OrderGone', async () => {
    const order = placed();
    await handler({ action: 'save', order });
    await new DynamoDbOrderRepository(documentClient(local.db.client), local.tableName).delete('alice', order.order_id);
    await expect(handler(paymentSuccess(order))).rejects.toMatchObject({ name: WORKFLOW_ERRORS.orderGone });
  });

  it.each(['ORDERS_TABLE_NAME', 'ORDER_TOPIC_ARN'])('fails at start, naming the setting, without %s', (name) => {
    const env = { ...local.env };
    delete env[name];
    const { status, stderr } = coldStart('manage-order-state', env);
    expect(status).not.toBe(0);
    expect(stderr).toContain(`missing required setting ${name}`);
  });
});
