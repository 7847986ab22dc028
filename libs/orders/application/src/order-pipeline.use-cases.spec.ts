import { Container, type Newable } from 'inversify';
import { OrderConflictError, OrderNotFoundError, ValidationError, type Order } from '@serverless-orders/orders-domain';
import {
  InMemoryOrderRepository,
  InMemoryOrderWorkflow,
  ManualClock,
  RecordingOrderNotifier,
  ScriptedPaymentGateway,
  ScriptedRestaurantGateway,
} from '@serverless-orders/testing';
import { ConcurrentChangeError } from './order-repository.port';
import {
  CompleteOrder,
  FailOrder,
  RecordPayment,
  SaveOrder,
  SendOrderToRestaurant,
  STATUS_CHANGE_ATTEMPTS,
  TakePayment,
} from './order-pipeline.use-cases';
import { UpdateMyOrder } from './my-orders.use-cases';
import { PlaceOrder, type QueuedOrder } from './place-order.use-case';
import { ORDERS_TOKENS } from './tokens';

const placedAt = new Date('2026-01-01T11:59:00.000Z');
const queued: QueuedOrder = {
  id: '6f1c2a8e-0000-4000-8000-000000000001',
  owner: 'alice',
  details: { restaurant_id: 'r-1', item: 'pizza', quantity: 2 },
  placedAt,
};

function setUp() {
  const orders = new InMemoryOrderRepository();
  const clock = new ManualClock();
  const notifier = new RecordingOrderNotifier();
  const workflow = new InMemoryOrderWorkflow();
  const payments = new ScriptedPaymentGateway({ ok: true });
  const restaurants = new ScriptedRestaurantGateway({ ok: false, reason: 'closed' });
  // Through the container, as the apps compose them: proves every parameter has its @inject.
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(ORDERS_TOKENS.OrderRepository).toConstantValue(orders);
  container.bind(ORDERS_TOKENS.Clock).toConstantValue(clock);
  container.bind(ORDERS_TOKENS.OrderNotifier).toConstantValue(notifier);
  container.bind(ORDERS_TOKENS.OrderWorkflow).toConstantValue(workflow);
  container.bind(ORDERS_TOKENS.PaymentGateway).toConstantValue(payments);
  container.bind(ORDERS_TOKENS.RestaurantGateway).toConstantValue(restaurants);
  const useCases: Newable[] = [PlaceOrder, SaveOrder, RecordPayment, CompleteOrder, FailOrder, TakePayment, SendOrderToRestaurant, UpdateMyOrder];
  for (const useCase of useCases) container.bind(useCase).toSelf();
  const get = <T>(useCase: Newable<T>): T => container.get(useCase);
  return { orders, clock, notifier, workflow, payments, restaurants, get };
}

describe('PlaceOrder', () => {
  it('starts one workflow run per order id, however often the message comes', async () => {
    const { workflow, get } = setUp();
    const first = await get(PlaceOrder).execute(queued);
    const again = await get(PlaceOrder).execute(queued);
    expect(first.outcome).toBe('started');
    expect(again.outcome).toBe('already-started');
    expect([...workflow.runs.keys()]).toEqual([queued.id]);
    expect(first.order).toMatchObject({ id: queued.id, user_id: 'alice', order_status: 'PENDING', created_at: placedAt.toISOString() });
  });

  it('refuses an invalid order without starting anything', async () => {
    const { workflow, get } = setUp();
    await expect(get(PlaceOrder).execute({ ...queued, details: { ...queued.details, quantity: 0 } })).rejects.toBeInstanceOf(ValidationError);
    await expect(get(PlaceOrder).execute({ ...queued, owner: '' })).rejects.toBeInstanceOf(ValidationError);
    expect(workflow.calls).toHaveLength(0);
  });
});

describe('SaveOrder', () => {
  it('stores the order PENDING, created when it was placed', async () => {
    const { orders, get } = setUp();
    const saved = await get(SaveOrder).execute(queued);
    expect(await orders.get('alice', queued.id)).toEqual(saved);
    expect(saved).toMatchObject({ order_status: 'PENDING', created_at: placedAt.toISOString(), updated_at: placedAt.toISOString() });
  });

  it('a repeated save never resets a later status', async () => {
    const { orders, get } = setUp();
    await get(SaveOrder).execute(queued);
    await get(RecordPayment).execute('alice', queued.id, queued.details);
    const again = await get(SaveOrder).execute(queued);
    expect(again.order_status).toBe('PAID');
    expect((await orders.get('alice', queued.id))?.order_status).toBe('PAID');
  });
});

describe('the status steps', () => {
  async function saved() {
    const ctx = setUp();
    await ctx.get(SaveOrder).execute(queued);
    return ctx;
  }

  it('PENDING → PAID → SUCCESS, notifying the final status once', async () => {
    const { orders, clock, notifier, get } = await saved();
    clock.advance(1000);
    expect((await get(RecordPayment).execute('alice', queued.id, queued.details)).order_status).toBe('PAID');
    clock.advance(1000);
    const done = await get(CompleteOrder).execute('alice', queued.id);
    expect(done).toMatchObject({ order_status: 'SUCCESS', updated_at: '2026-01-01T12:00:02.000Z' });
    expect(await orders.get('alice', queued.id)).toEqual(done);
    expect(notifier.notified).toEqual([done]);
  });

  it('a retried step finds its work done and changes nothing', async () => {
    const { orders, get } = await saved();
    const paid = await get(RecordPayment).execute('alice', queued.id, queued.details);
    expect(await get(RecordPayment).execute('alice', queued.id, queued.details)).toEqual(paid);
    expect(await orders.get('alice', queued.id)).toEqual(paid);
  });

  it('rejects an illegal change (SUCCESS straight from PENDING) and stores nothing', async () => {
    const { orders, notifier, get } = await saved();
    await expect(get(CompleteOrder).execute('alice', queued.id)).rejects.toBeInstanceOf(OrderConflictError);
    expect((await orders.get('alice', queued.id))?.order_status).toBe('PENDING');
    expect(notifier.notified).toHaveLength(0);
  });

  it('fails a PENDING order with its reason and notifies it', async () => {
    const { orders, notifier, get } = await saved();
    const failed = await get(FailOrder).execute('alice', queued.id, 'Card declined');
    expect(failed).toMatchObject({ order_status: 'FAILURE', error_message: 'Card declined' });
    expect(await orders.get('alice', queued.id)).toEqual(failed);
    expect(notifier.notified).toEqual([failed]);
  });

  it('fails a PAID order (the restaurant step)', async () => {
    const { get } = await saved();
    await get(RecordPayment).execute('alice', queued.id, queued.details);
    expect(await get(FailOrder).execute('alice', queued.id, 'closed')).toMatchObject({ order_status: 'FAILURE', error_message: 'closed' });
  });

  it('a failure after the order settled keeps its final status and notifies it again', async () => {
    const { orders, notifier, get } = await saved();
    await get(RecordPayment).execute('alice', queued.id, queued.details);
    notifier.failNext(new Error('topic unavailable'));
    await expect(get(CompleteOrder).execute('alice', queued.id)).rejects.toThrow('topic unavailable');
    const settled = await get(FailOrder).execute('alice', queued.id, 'The order could not be processed');
    expect(settled.order_status).toBe('SUCCESS');
    expect((await orders.get('alice', queued.id))?.order_status).toBe('SUCCESS');
    expect(notifier.notified.map((o) => o.order_status)).toEqual(['SUCCESS']);
  });

  it('an order its owner deleted meanwhile is not found, at every step', async () => {
    const { orders, get } = await saved();
    await orders.delete('alice', queued.id);
    await expect(get(RecordPayment).execute('alice', queued.id, queued.details)).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(get(CompleteOrder).execute('alice', queued.id)).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(get(FailOrder).execute('alice', queued.id, 'x')).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('reads again when the customer changed the order between read and write', async () => {
    const { orders, get } = await saved();
    const replace = jest.spyOn(orders, 'replace').mockRejectedValueOnce(new ConcurrentChangeError(queued.id));
    expect((await get(RecordPayment).execute('alice', queued.id, queued.details)).order_status).toBe('PAID');
    expect(replace).toHaveBeenCalledTimes(2);
  });

  it('does not record a payment for an order the customer changed after it was paid for', async () => {
    const { orders, clock, get } = await saved();
    const before = (await orders.get('alice', queued.id)) as Order;
    clock.advance(1000);
    await get(UpdateMyOrder).execute('alice', queued.id, { quantity: 5 }); // during the Wait after ProcessPayment
    const changed = await orders.get('alice', queued.id);
    // Stays PENDING and is answered as it now is, so that the workflow charges for that.
    expect(await get(RecordPayment).execute('alice', queued.id, queued.details)).toEqual(changed);
    expect(await orders.get('alice', queued.id)).toEqual(changed);
    expect(changed).toMatchObject({ order_status: 'PENDING', quantity: 5 });
    expect(changed).not.toEqual(before);
  });

  it('checks what was paid for again when a concurrent change forced a second read', async () => {
    const { orders, get } = await saved();
    const current = (await orders.get('alice', queued.id)) as Order;
    const replace = jest.spyOn(orders, 'replace').mockImplementationOnce(async () => {
      // The customer's change lands between RecordPayment's read and its write.
      await orders.replace({ ...current, quantity: 9, updated_at: '2026-01-01T12:00:05.000Z' }, current);
      throw new ConcurrentChangeError(queued.id);
    });
    expect(await get(RecordPayment).execute('alice', queued.id, queued.details)).toMatchObject({ order_status: 'PENDING', quantity: 9 });
    expect(replace).toHaveBeenCalledTimes(2);
    expect((await orders.get('alice', queued.id))?.order_status).toBe('PENDING');
  });

  it(`gives up after ${STATUS_CHANGE_ATTEMPTS} concurrent changes in a row`, async () => {
    const { orders, get } = await saved();
    jest.spyOn(orders, 'replace').mockRejectedValue(new ConcurrentChangeError(queued.id));
    await expect(get(RecordPayment).execute('alice', queued.id, queued.details)).rejects.toBeInstanceOf(ConcurrentChangeError);
    expect(orders.replace).toHaveBeenCalledTimes(STATUS_CHANGE_ATTEMPTS);
  });
});

describe('the provider steps', () => {
  const order: Pick<Order, 'id' | 'user_id' | 'restaurant_id' | 'item' | 'quantity'> = {
    id: queued.id,
    user_id: 'alice',
    ...queued.details,
  };

  it('pass the provider’s answer through, refusals included', async () => {
    const { payments, restaurants, get } = setUp();
    expect(await get(TakePayment).execute(order)).toEqual({ ok: true });
    expect(await get(SendOrderToRestaurant).execute(order)).toEqual({ ok: false, reason: 'closed' });
    expect(payments.asked).toEqual([order]);
    expect(restaurants.asked).toEqual([order]);
  });
});
