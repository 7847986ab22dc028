import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DynamoDbOrderRepository, documentClient } from '@serverless-orders/adapters-dynamodb';
import { orderRepresentation } from '@serverless-orders/http-contract';
import { newOrder, type Order } from '@serverless-orders/orders-domain';
import { apiEvent, coldStart, loadBundle, localTableEnv, startLocalDynamoDb, type LocalDynamoDb } from '@serverless-orders/testing';

// The built bundle (dist/apps/get-orders/main.js), invoked with API Gateway proxy events,
// against dynalite: proves the bundle runs (no decorator metadata needed) and the API behaves.
type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
let db: LocalDynamoDb;
let table: string;
let handler: Handler;
const mine: Order[] = [];
let bobs: Order;

beforeAll(async () => {
  db = await startLocalDynamoDb();
  table = await db.createOrdersTable();
  const repo = new DynamoDbOrderRepository(documentClient(db.client), table);
  for (let m = 0; m < 5; m++) {
    mine.unshift(newOrder(randomUUID(), 'alice', { restaurant_id: 'r-1', item: `dish ${m}`, quantity: 1 }, new Date(Date.UTC(2026, 0, 1, 10, m))));
    await repo.create(mine[0]);
  }
  bobs = newOrder(randomUUID(), 'bob', { restaurant_id: 'r-2', item: 'soup', quantity: 1 }, new Date());
  await repo.create(bobs);
  handler = loadBundle<Handler>('get-orders', localTableEnv(db, table));
});
afterAll(() => db.close());

const get = async (path: string, opts: { id?: string; query?: Record<string, string>; caller?: string | null } = {}) => {
  const res = await handler(
    apiEvent({
      method: 'GET',
      path,
      resource: opts.id ? '/orders/{id}' : '/orders',
      pathParameters: opts.id ? { id: opts.id } : undefined,
      query: opts.query,
      caller: opts.caller === null ? undefined : { sub: opts.caller ?? 'alice' },
    }),
  );
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
};

describe('GET /orders', () => {
  it('lists my orders newest first, and only mine', async () => {
    const { status, body } = await get('/orders');
    expect(status).toBe(200);
    expect(body.items.map((o: Order) => o.id)).toEqual(mine.map((o) => o.id));
  });

  it('pages with limit and an opaque next_token', async () => {
    const first = await get('/orders', { query: { limit: '2' } });
    expect(first.body.items).toHaveLength(2);
    const second = await get('/orders', { query: { limit: '2', next_token: first.body.next_token } });
    expect(second.body.items.map((o: Order) => o.id)).toEqual(mine.slice(2, 4).map((o) => o.id));
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ next_token: 'garbage' }, 'next_token'],
    // Well-formed base64 JSON, but a key DynamoDB would refuse (over 1,024 bytes): still the client's 400.
    [{ next_token: Buffer.from(JSON.stringify({ id: 'x'.repeat(1100), created_at: '2026' })).toString('base64url') }, 'next_token'],
    [{ page: '2' }, 'page'],
  ])('answers 400 naming the field for %p', async (query, field) => {
    const { status, body } = await get('/orders', { query });
    expect(status).toBe(400);
    expect(body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });

  it('answers 401 when the authorizer gave no identity', async () => {
    expect(await get('/orders', { caller: null })).toEqual({ status: 401, body: { message: 'Unauthorized' } });
  });
});

describe('GET /orders/{id}', () => {
  it('returns my order as the API represents it: every field but the internal version', async () => {
    expect(await get(`/orders/${mine[1].id}`, { id: mine[1].id })).toEqual({ status: 200, body: orderRepresentation(mine[1]) });
  });

  it("answers 404 for someone else's order, exactly as for a missing one", async () => {
    const foreign = await get(`/orders/${bobs.id}`, { id: bobs.id });
    const missing = await get('/orders/x', { id: randomUUID() });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(Object.keys(foreign.body)).toEqual(Object.keys(missing.body));
  });

  it('answers 400 for a malformed id', async () => {
    expect(await get('/orders/x', { id: 'not-an-id' })).toMatchObject({ status: 400, body: { errors: [{ field: 'path.id' }] } });
  });
});

describe('start-up and failures', () => {
  it('fails at cold start naming a missing setting', () => {
    const { status, stderr } = coldStart('get-orders', {});
    expect(status).not.toBe(0);
    expect(stderr).toContain('missing required setting ORDERS_TABLE_NAME');
  });

  it('answers an unexpected failure with a generic 500', async () => {
    await db.client.send(new DeleteTableCommand({ TableName: table }));
    expect(await get('/orders')).toEqual({ status: 500, body: { message: 'Internal server error' } });
  });
});
