import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { newOrder, type Order } from '@serverless-orders/orders-domain';
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
  const order = newOrder(`6f1c2a8e-0000-4000-8000-${String(++next).padStart(12, '0')}`, owner, { restaurant_id: 'r-1', item: 'pizza', quantity: 1 }, new Date());
  await repo.create(order);
  return order;
}

async function del(pathParameters: Record<string, string>, caller = 'alice') {
  const legacy = 'userId' in pathParameters;
  const res = await handler(
    apiEvent({
      method: 'DELETE',
      path: legacy ? `/order/${pathParameters.userId}/id/${pathParameters.id}` : `/orders/${pathParameters.id}`,
      resource: legacy ? '/order/{userId}/id/{id}' : '/orders/{id}',
      pathParameters,
      caller: { sub: caller },
    }),
  );
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

describe('delete-order handler', () => {
  it('deletes my order with 204 and no body; a second delete is 404', async () => {
    const order = await placed();
    expect(await del({ id: order.id })).toEqual({ status: 204, body: undefined });
    expect(await repo.get('alice', order.id)).toBeUndefined();
    expect((await del({ id: order.id })).status).toBe(404);
  });

  it('answers 404 for someone else’s order and keeps it', async () => {
    const bobs = await placed('bob');
    expect((await del({ id: bobs.id })).status).toBe(404);
    expect(await repo.get('bob', bobs.id)).toEqual(bobs);
  });

  it('takes the original DELETE /order/{userId}/id/{id} only when {userId} is the caller', async () => {
    const order = await placed();
    expect((await del({ userId: 'mallory', id: order.id })).status).toBe(404);
    expect(await repo.get('alice', order.id)).toEqual(order);
    expect((await del({ userId: 'alice', id: order.id })).status).toBe(204);
  });

  it('answers 400 naming path.userId for a {userId} with control characters, and deletes nothing', async () => {
    const order = await placed();
    expect(await del({ userId: 'alice\u0000', id: order.id })).toMatchObject({ status: 400, body: { errors: [{ field: 'path.userId' }] } });
    expect(await repo.get('alice', order.id)).toEqual(order);
  });

  it('answers 400 naming path.id for an id that is not a UUID', async () => {
    expect(await del({ id: '*' })).toMatchObject({ status: 400, body: { errors: [{ field: 'path.id' }] } });
  });
});
