import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { orderRepresentation } from '@serverless-orders/http-contract';
import type { OrderRepository } from '@serverless-orders/orders-application';
import { newOrder, transitionOrder, type Order } from '@serverless-orders/orders-domain';
import { apiEvent } from '@serverless-orders/testing';

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** What the cases run against: a handler, and the repository it changes. */
export interface UpdateOrderSubject {
  readonly handler: Handler;
  readonly repo: OrderRepository;
}

/**
 * What PUT /orders/{id} and its alias PUT /orders (the id in the body) answer, and what they
 * leave in the table. One list of cases for the handler from source (main.spec.ts) and for the
 * built bundle against dynalite (main.int.spec.ts): `subject` is read once the suite's
 * beforeAll has run.
 */
export function updateOrderBehaviour(subject: () => UpdateOrderSubject): void {
  const repo = () => subject().repo;

  async function placed(owner = 'alice'): Promise<Order> {
    const order = newOrder(randomUUID(), owner, { restaurant_id: 'r-1', item: 'pizza', quantity: 1 }, new Date(Date.UTC(2026, 0, 1)));
    await repo().create(order);
    return order;
  }

  async function put(body: unknown, opts: { id?: string; caller?: string } = {}) {
    const res = await subject().handler(
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
    it('changes my PENDING order, answers it as stored, one version on; quantity "3" reads as 3', async () => {
      const order = await placed();
      const { status, body } = await put({ quantity: '3', restaurant_id: 'r-2' }, { id: order.id });
      expect(status).toBe(200);
      expect(body).toMatchObject({ id: order.id, quantity: 3, restaurant_id: 'r-2', item: 'pizza', order_status: 'PENDING' });
      const stored = await repo().get('alice', order.id);
      if (!stored) throw new Error('the order is gone');
      expect(orderRepresentation(stored)).toEqual(body);
      expect(stored.version).toBe(order.version + 1);
    });

    it('answers 404 for someone else’s order and leaves it alone', async () => {
      const bobs = await placed('bob');
      expect((await put({ quantity: 5 }, { id: bobs.id })).status).toBe(404);
      expect(await repo().get('bob', bobs.id)).toEqual(bobs);
    });

    it('answers 409 once the order is no longer PENDING, and changes nothing', async () => {
      const order = await placed();
      const paid = transitionOrder(order, 'PAID', new Date(Date.UTC(2026, 0, 1, 0, 1)));
      await repo().replace(paid, order);
      expect(await put({ quantity: 5 }, { id: order.id })).toMatchObject({ status: 409, body: { message: expect.stringContaining('PAID') } });
      expect(await repo().get('alice', order.id)).toEqual(paid);
    });

    it.each([
      ['{"quantity":', 'body'],
      [{}, 'body'],
      [{ quantity: 0 }, 'quantity'],
      [{ quantity: 101 }, 'quantity'],
      [{ quantity: 2.5 }, 'quantity'],
      [{ item: '' }, 'item'],
      [{ quantity: 2, user_id: 'mallory' }, 'user_id'],
      [{ order_status: 'SUCCESS' }, 'order_status'],
    ])('answers 400 naming the field for %p, and changes nothing', async (body, field) => {
      const order = await placed();
      const res = await put(body, { id: order.id });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await repo().get('alice', order.id)).toEqual(order);
    });
  });

  describe('PUT /orders (the alias, the id in the body)', () => {
    it('changes my order', async () => {
      const order = await placed();
      expect(await put({ id: order.id, item: 'calzone' })).toMatchObject({ status: 200, body: { id: order.id, item: 'calzone' } });
      expect(await repo().get('alice', order.id)).toMatchObject({ item: 'calzone', version: order.version + 1 });
    });

    it('answers 400 without an id', async () => {
      expect(await put({ quantity: 4 })).toMatchObject({ status: 400, body: { errors: [{ field: 'id', problem: 'is required' }] } });
    });
  });
}
