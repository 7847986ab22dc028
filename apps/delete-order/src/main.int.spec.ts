import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DynamoDbOrderRepository, documentClient } from '@serverless-orders/adapters-dynamodb';
import { newOrder, type Order } from '@serverless-orders/orders-domain';
import { apiEvent, coldStart, loadBundle, localTableEnv, startLocalDynamoDb, type LocalDynamoDb } from '@serverless-orders/testing';

// The built bundle (dist/apps/delete-order/main.js), invoked with API Gateway proxy events, against dynalite.
type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
let db: LocalDynamoDb;
let repo: DynamoDbOrderRepository;
let handler: Handler;

beforeAll(async () => {
  db = await startLocalDynamoDb();
  const table = await db.createOrdersTable();
  repo = new DynamoDbOrderRepository(documentClient(db.client), table);
  handler = loadBundle<Handler>('delete-order', localTableEnv(db, table));
});
afterAll(() => db.close());

async function placed(owner = 'alice'): Promise<Order> {
  const order = newOrder(randomUUID(), owner, { restaurant_id: 'r-1', item: 'pizza', quantity: 1 }, new Date());
  await repo.create(order);
  return order;
}

const del = async (pathParameters: Record<string, string>, caller = 'alice') => {
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
};

describe('DELETE /orders/{id}', () => {
  it('deletes my order: 204, then 404', async () => {
    const order = await placed();
    expect(await del({ id: order.id })).toEqual({ status: 204, body: undefined });
    expect(await repo.get('alice', order.id)).toBeUndefined();
    expect((await del({ id: order.id })).status).toBe(404);
  });

  it("answers 404 for someone else's order and keeps it", async () => {
    const order = await placed('bob');
    expect((await del({ id: order.id })).status).toBe(404);
    expect(await repo.get('bob', order.id)).toEqual(order);
  });

  it('answers 400 for a malformed id', async () => {
    expect(await del({ id: '*' })).toMatchObject({ status: 400, body: { errors: [{ field: 'path.id' }] } });
  });
});

describe('DELETE /order/{userId}/id/{id} (the original form)', () => {
  it('deletes when {userId} is the caller', async () => {
    const order = await placed();
    expect((await del({ userId: 'alice', id: order.id })).status).toBe(204);
  });

  it('answers 404 when {userId} is someone else — even naming the real owner', async () => {
    const order = await placed('bob');
    expect((await del({ userId: 'bob', id: order.id }, 'alice')).status).toBe(404);
    expect(await repo.get('bob', order.id)).toEqual(order);
  });
});

it('fails at cold start naming a missing setting', () => {
  expect(coldStart('delete-order', {}).stderr).toContain('missing required setting ORDERS_TABLE_NAME');
});
