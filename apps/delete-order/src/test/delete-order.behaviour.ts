import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { OrderRepository } from '@serverless-orders/orders-application';
import { newOrder, type Order } from '@serverless-orders/orders-domain';
import { apiEvent } from '@serverless-orders/testing';

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** What the cases run against: a handler, and the repository it deletes from. */
export interface DeleteOrderSubject {
  readonly handler: Handler;
  readonly repo: OrderRepository;
}

/**
 * What DELETE /orders/{id} and its alias DELETE /order/{userId}/id/{id} answer, and what they
 * leave in the table. One list of cases for the handler from source (main.spec.ts) and for the
 * built bundle against dynalite (main.int.spec.ts): `subject` is read once the suite's
 * beforeAll has run.
 */
export function deleteOrderBehaviour(subject: () => DeleteOrderSubject): void {
  const repo = () => subject().repo;

  async function placed(owner = 'alice'): Promise<Order> {
    const order = newOrder(randomUUID(), owner, { restaurant_id: 'r-1', item: 'pizza', quantity: 1 }, new Date());
    await repo().create(order);
    return order;
  }

  async function del(pathParameters: Record<string, string>, caller = 'alice') {
    const alias = 'userId' in pathParameters;
    const res = await subject().handler(
      apiEvent({
        method: 'DELETE',
        path: alias ? `/order/${pathParameters.userId}/id/${pathParameters.id}` : `/orders/${pathParameters.id}`,
        resource: alias ? '/order/{userId}/id/{id}' : '/orders/{id}',
        pathParameters,
        caller: { sub: caller },
      }),
    );
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
  }

  describe('DELETE /orders/{id}', () => {
    it('deletes my order with 204 and no body; a second delete is 404', async () => {
      const order = await placed();
      expect(await del({ id: order.id })).toEqual({ status: 204, body: undefined });
      expect(await repo().get('alice', order.id)).toBeUndefined();
      expect((await del({ id: order.id })).status).toBe(404);
    });

    it('answers 404 for someone else’s order and keeps it', async () => {
      const bobs = await placed('bob');
      expect((await del({ id: bobs.id })).status).toBe(404);
      expect(await repo().get('bob', bobs.id)).toEqual(bobs);
    });

    it('answers 400 naming path.id for an id that is not a UUID', async () => {
      expect(await del({ id: '*' })).toMatchObject({ status: 400, body: { errors: [{ field: 'path.id' }] } });
    });
  });

  describe('DELETE /order/{userId}/id/{id} (the alias)', () => {
    it('deletes only when {userId} is the caller', async () => {
      const order = await placed();
      expect((await del({ userId: 'mallory', id: order.id })).status).toBe(404);
      expect(await repo().get('alice', order.id)).toEqual(order);
      expect((await del({ userId: 'alice', id: order.id })).status).toBe(204);
      expect(await repo().get('alice', order.id)).toBeUndefined();
    });

    it('answers 404 when {userId} is someone else, even naming the real owner', async () => {
      const order = await placed('bob');
      expect((await del({ userId: 'bob', id: order.id }, 'alice')).status).toBe(404);
      expect(await repo().get('bob', order.id)).toEqual(order);
    });

    it('answers 400 naming path.userId for a {userId} with control characters, and deletes nothing', async () => {
      const order = await placed();
      expect(await del({ userId: 'alice\u0000', id: order.id })).toMatchObject({ status: 400, body: { errors: [{ field: 'path.userId' }] } });
      expect(await repo().get('alice', order.id)).toEqual(order);
    });
  });
}
