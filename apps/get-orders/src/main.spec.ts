import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { orderRepresentation } from '@serverless-orders/http-contract';
import { newOrder, type Order } from '@serverless-orders/orders-domain';
import { apiEvent, InMemoryOrderRepository, type ApiEventInput } from '@serverless-orders/testing';

// The handler from source with its real composition root; only the DynamoDB adapter is
// replaced by the in-memory repository that keeps its contract. The bundle against dynalite
// is main.int.spec.ts (the integration target).
type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
const repo = new InMemoryOrderRepository();
let handler: Handler;

const id = (n: number) => `6f1c2a8e-0000-4000-8000-${String(n).padStart(12, '0')}`;
const mine: Order[] = [];

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.ORDERS_TABLE_NAME = 'orders';
  jest.doMock('@serverless-orders/adapters-dynamodb', () => ({ dynamoDbOrderRepository: () => repo }));
  ({ handler } = await import('./main'));
  for (let n = 1; n <= 3; n++) {
    mine.unshift(newOrder(id(n), 'alice', { restaurant_id: 'r-1', item: `dish ${n}`, quantity: n }, new Date(Date.UTC(2026, 0, 1, 12, n))));
    await repo.create(mine[0]);
  }
  await repo.create(newOrder(id(9), 'bob', { restaurant_id: 'r-2', item: 'soup', quantity: 1 }, new Date(Date.UTC(2026, 0, 2))));
});

async function get(input: Partial<ApiEventInput> & { id?: string }) {
  const res = await handler(
    apiEvent({
      method: 'GET',
      path: input.id ? `/orders/${input.id}` : '/orders',
      resource: input.id ? '/orders/{id}' : '/orders',
      pathParameters: input.id ? { id: input.id } : undefined,
      caller: { sub: 'alice' },
      ...input,
    }),
  );
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

describe('get-orders handler', () => {
  it('lists only the caller’s orders, newest first, with an opaque next_token for the next page', async () => {
    const first = await get({ query: { limit: '2' } });
    expect(first.status).toBe(200);
    expect(first.body.items.map((o: Order) => o.id)).toEqual([id(3), id(2)]);
    const second = await get({ query: { limit: '2', next_token: first.body.next_token } });
    // The API's representation: the order less its version (storage's and the workflow's business).
    expect(second.body).toEqual({ items: [orderRepresentation(mine[2])] });
    expect(second.body.items[0]).not.toHaveProperty('version');
  });

  it('takes the caller from a Lambda authorizer’s principalId as from Cognito’s claims.sub', async () => {
    const viaLambda = await get({ caller: { sub: 'bob', via: 'lambda' } });
    expect(viaLambda.body.items.map((o: Order) => o.id)).toEqual([id(9)]);
  });

  it('returns one of my orders, and 404 for someone else’s exactly as for a missing one', async () => {
    expect(await get({ id: id(2) })).toEqual({ status: 200, body: orderRepresentation(mine[1]) });
    const foreign = await get({ id: id(9) });
    const missing = await get({ id: id(42) });
    expect([foreign.status, missing.status]).toEqual([404, 404]);
    expect(foreign.body).toEqual({ ...missing.body, message: expect.any(String) });
  });

  it.each([
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ next_token: 'garbage' }, 'next_token'],
    [{ page: '2' }, 'page'],
  ])('answers 400 naming the query parameter for %p', async (query, field) => {
    const { status, body } = await get({ query });
    expect(status).toBe(400);
    expect(body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });

  it('answers 400 naming path.id for an id that is not a UUID, and 401 without an identity', async () => {
    expect(await get({ id: 'not-an-id' })).toMatchObject({ status: 400, body: { errors: [{ field: 'path.id' }] } });
    expect(await get({ caller: undefined })).toEqual({ status: 401, body: { message: 'Unauthorized' } });
  });
});
