import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DynamoDbOrderRepository, documentClient } from '@serverless-orders/adapters-dynamodb';
import { orderRepresentation } from '@serverless-orders/http-contract';
import { newOrder, transitionOrder, type Order } from '@serverless-orders/orders-domain';
import { apiEvent, coldStart, loadBundle, localTableEnv, startLocalDynamoDb, type LocalDynamoDb } from '@serverless-orders/testing';

// The built bundle (dist/apps/update-order/main.js), invoked with API Gateway proxy events, against dynalite.
type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
let db: LocalDynamoDb;
let repo: DynamoDbOrderRepository;
let handler: Handler;

beforeAll(async () => {
  db = await startLocalDynamoDb();
  const table = await db.createOrdersTable();
  repo = new DynamoDbOrderRepository(documentClient(db.client), table);
  handler = loadBundle<Handler>('update-order', localTableEnv(db, table));
});
afterAll(() => db.close());

async function placed(owner = 'alice'): Promise<Order> {
  const order = newOrder(randomUUID(), owner, { restaurant_id: 'r-1', item: 'pizza', quantity: 1 }, new Date(Date.UTC(2026, 0, 1)));
  await repo.create(order);
  return order;
}

async function put(body: unknown, opts: { id?: string; caller?: string } = {}) {
  const res = await handler(
    apiEvent({
      method: 'PUT',
      path: opts.id ? `/orders/${opts.id}` : '/orders',
      resource: opts.id ? '/orders/{id}' : '/orders',
      pathParameters: opts.id ? { id: opts.id } : undefined,
      body,
      caller: { sub: opts.caller ?? 'alice' },
    }),
  );
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

describe('PUT /orders/{id}', () => {
  it('changes a PENDING order; quantity "3" is read as 3', async () => {
    const order = await placed();
    const { status, body } = await put({ quantity: '3', item: 'calzone' }, { id: order.id });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: order.id, quantity: 3, item: 'calzone', order_status: 'PENDING' });
    const stored = await repo.get('alice', order.id);
    if (!stored) throw new Error('the order is gone');
    expect(orderRepresentation(stored)).toEqual(body);
    expect(stored.version).toBe(order.version + 1);
  });

  it("answers 404 for someone else's order and leaves it alone", async () => {
    const order = await placed('bob');
    expect((await put({ quantity: 5 }, { id: order.id })).status).toBe(404);
    expect(await repo.get('bob', order.id)).toEqual(order);
  });

  it('answers 409 once the order is no longer PENDING, and changes nothing', async () => {
    const order = await placed();
    const paid = transitionOrder(order, 'PAID', new Date());
    await repo.replace(paid, order);
    const { status, body } = await put({ quantity: 5 }, { id: order.id });
    expect(status).toBe(409);
    expect(body.message).toMatch(/PAID/);
    expect(await repo.get('alice', order.id)).toEqual(paid);
  });

  it.each([
    ['{"quantity":', 'body'],
    [{ quantity: 0 }, 'quantity'],
    [{ quantity: 2.5 }, 'quantity'],
    [{ quantity: 5, user_id: 'mallory' }, 'user_id'],
    [{ order_status: 'SUCCESS' }, 'order_status'],
    [{}, 'body'],
  ])('answers 400 naming the field for %p, and changes nothing', async (body, field) => {
    const order = await placed();
    const res = await put(body, { id: order.id });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await repo.get('alice', order.id)).toEqual(order);
  });
});

describe('PUT /orders (the original form, id in the body)', () => {
  it('changes my order', async () => {
    const order = await placed();
    expect(await put({ id: order.id, quantity: 4 })).toMatchObject({ status: 200, body: { quantity: 4 } });
  });

  it('answers 400 without a valid id', async () => {
    expect(await put({ quantity: 4 })).toMatchObject({ status: 400, body: { errors: [{ field: 'id', problem: 'is required' }] } });
  });
});

it('fails at cold start naming a missing setting', () => {
  expect(coldStart('update-order', {}).stderr).toContain('missing required setting ORDERS_TABLE_NAME');
});
