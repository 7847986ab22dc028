import { newOrder, OrderConflictError, OrderNotFoundError, ValidationError, type Order } from '@serverless-orders/orders-domain';
import { InMemoryOrderRepository } from '@serverless-orders/testing';
import { PAGE_LIMIT_DEFAULT } from '@serverless-orders/orders-domain';
import { DeleteMyOrder, GetMyOrder, ListMyOrders, UpdateMyOrder } from './my-orders.use-cases';
import { ConcurrentChangeError } from './order-repository.port';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));
const details = { restaurant_id: 'r-1', item: 'pizza', quantity: 2 };

async function seeded() {
  const orders = new InMemoryOrderRepository();
  for (let i = 0; i < 5; i++) await orders.create(newOrder(`alice-${i}`, 'alice', details, at(i)));
  await orders.create(newOrder('bob-0', 'bob', details, at(30)));
  return orders;
}

describe('ListMyOrders', () => {
  it('lists only my orders, newest first, a page at a time', async () => {
    const list = new ListMyOrders(await seeded());
    const first = await list.execute('alice', { limit: 2 });
    expect(first.items.map((o) => o.id)).toEqual(['alice-4', 'alice-3']);
    const second = await list.execute('alice', { limit: 2, nextToken: first.nextToken });
    expect(second.items.map((o) => o.id)).toEqual(['alice-2', 'alice-1']);
    const last = await list.execute('alice', { limit: 2, nextToken: second.nextToken });
    expect(last.items.map((o) => o.id)).toEqual(['alice-0']);
    expect(last.nextToken).toBeUndefined();
  });

  it(`pages by ${PAGE_LIMIT_DEFAULT} when no limit is given`, async () => {
    const orders = new InMemoryOrderRepository();
    for (let i = 0; i < PAGE_LIMIT_DEFAULT + 1; i++) await orders.create(newOrder(`o-${i}`, 'alice', details, at(i)));
    expect((await new ListMyOrders(orders).execute('alice')).items).toHaveLength(PAGE_LIMIT_DEFAULT);
  });

  it.each([0, 101, 1.5])('refuses limit %p', async (limit) => {
    await expect(new ListMyOrders(await seeded()).execute('alice', { limit })).rejects.toThrow(ValidationError);
  });
});

describe('GetMyOrder', () => {
  it('returns my order', async () => {
    expect(await new GetMyOrder(await seeded()).execute('alice', 'alice-1')).toMatchObject({ id: 'alice-1', user_id: 'alice' });
  });

  it("treats someone else's order as not found", async () => {
    await expect(new GetMyOrder(await seeded()).execute('alice', 'bob-0')).rejects.toThrow(OrderNotFoundError);
  });
});

describe('UpdateMyOrder', () => {
  const clock = { now: () => at(59) };

  it('changes a PENDING order and stores the change', async () => {
    const orders = await seeded();
    const updated = await new UpdateMyOrder(orders, clock).execute('alice', 'alice-1', { quantity: 7 });
    expect(updated).toMatchObject({ quantity: 7, updated_at: at(59).toISOString() });
    expect(await orders.get('alice', 'alice-1')).toEqual(updated);
  });

  it("cannot touch someone else's order", async () => {
    const orders = await seeded();
    await expect(new UpdateMyOrder(orders, clock).execute('alice', 'bob-0', { quantity: 7 })).rejects.toThrow(OrderNotFoundError);
    expect((await orders.get('bob', 'bob-0'))?.quantity).toBe(2);
  });

  it('is a conflict once the order has moved on, and changes nothing', async () => {
    const orders = await seeded();
    const current = (await orders.get('alice', 'alice-1')) as Order;
    const paid: Order = { ...current, order_status: 'PAID' };
    await orders.replace(paid, current);
    await expect(new UpdateMyOrder(orders, clock).execute('alice', 'alice-1', { quantity: 7 })).rejects.toThrow(OrderConflictError);
    expect(await orders.get('alice', 'alice-1')).toEqual(paid);
  });

  it('turns a change that raced the workflow into a conflict', async () => {
    class RacedRepository extends InMemoryOrderRepository {
      override async replace(order: Order): Promise<void> {
        throw new ConcurrentChangeError(order.id);
      }
    }
    const racing = new RacedRepository();
    await racing.create(newOrder('alice-1', 'alice', details, at(1)));
    await expect(new UpdateMyOrder(racing, clock).execute('alice', 'alice-1', { quantity: 7 })).rejects.toThrow(OrderConflictError);
  });
});

describe('DeleteMyOrder', () => {
  it('deletes my order', async () => {
    const orders = await seeded();
    await new DeleteMyOrder(orders).execute('alice', 'alice-1');
    expect(await orders.get('alice', 'alice-1')).toBeUndefined();
  });

  it("cannot delete someone else's order", async () => {
    const orders = await seeded();
    await expect(new DeleteMyOrder(orders).execute('alice', 'bob-0')).rejects.toThrow(OrderNotFoundError);
    expect(await orders.get('bob', 'bob-0')).toBeDefined();
  });
});
