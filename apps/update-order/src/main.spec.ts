import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { newOrder, transitionOrder, type Order } from '@serverless-orders/orders-domain';
import { apiEvent, InMemoryOrderRepository } from '@serverless-orders/testing';

// The handler from source with its real composition root; only the DynamoDB adapter is
// replaced by the in-memory repository that keeps its contract. The bundle against dynalite
// is main.int.spec.ts (the integration target).
type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
const repo = new InMemoryOrderRepository();
let handler: Handler;
let next = 0;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.ORDERS_TABLE_NAME = 'orders';
  jest.doMock('@serverless-orders/adapters-dynamodb', () => ({ dynamoDbOrderRepository: () => repo }));
  ({ handler } = await import('./main'));
});

async function placed(owner = 'alice'): Promise<Order> {
  const order = newOrder(`6f1c2a8e-0000-4000-8000-${String(++next).padStart(12, '0')}`, owner, { restaurant_id: 'r-1', item: 'pizza', quantity: 1 }, new Date(Date.UTC(2026, 0, 1)));
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

describe('update-order handler', () => {
  it('changes my PENDING order and answers it; the original clients’ quantity "3" reads as 3', async () => {
    const order = await placed();
    const { status, body } = await put({ quantity: '3', restaurant_id: 'r-2' }, { id: order.id });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: order.id, quantity: 3, restaurant_id: 'r-2', item: 'pizza', order_status: 'PENDING' });
    expect(await repo.get('alice', order.id)).toEqual({ ...body, version: 2 });
  });

  it('takes the original PUT /orders with the id in the body', async () => {
    const order = await placed();
    expect(await put({ id: order.id, item: 'calzone' })).toMatchObject({ status: 200, body: { id: order.id, item: 'calzone' } });
  });

  it('answers 409 once the order is no longer PENDING, and 404 for someone else’s; both change nothing', async () => {
    const order = await placed();
    const paid = transitionOrder(order, 'PAID', new Date(Date.UTC(2026, 0, 1, 0, 1)));
    await repo.replace(paid, order);
    expect(await put({ quantity: 5 }, { id: order.id })).toMatchObject({ status: 409, body: { message: expect.stringContaining('PAID') } });
    const bobs = await placed('bob');
    expect((await put({ quantity: 5 }, { id: bobs.id })).status).toBe(404);
    expect([await repo.get('alice', order.id), await repo.get('bob', bobs.id)]).toEqual([paid, bobs]);
  });

  it.each([
    ['{"quantity":', 'body'],
    [{}, 'body'],
    [{ quantity: 101 }, 'quantity'],
    [{ item: '' }, 'item'],
    [{ quantity: 2, user_id: 'mallory' }, 'user_id'],
  ])('answers 400 naming the field for %p, and changes nothing', async (body, field) => {
    const order = await placed();
    const res = await put(body, { id: order.id });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await repo.get('alice', order.id)).toEqual(order);
  });
});
